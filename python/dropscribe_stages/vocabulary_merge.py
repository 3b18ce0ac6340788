"""Put the vocabulary's spellings into a transcript without letting the vocabulary change anything else.

A recognizer told the vocabulary (hotwords, prompt) spells the listed terms right, but on recordings that do not use
them it also drifts elsewhere (measured in BENCHMARKS.md: a sonnet and a German clip got worse). So the plain pass is
kept, and only where the two passes disagree and the hinted pass wrote a vocabulary term does its wording replace the
plain words (timed over the span of the words it replaces). Nothing is added where the plain pass heard nothing.
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher

# A hinted stretch much longer or shorter than the plain one it would replace is another reading, not a spelling.
MAX_LENGTH_RATIO = 3


def _norm(word: str) -> str:
    return "".join(re.findall(r"\w+", word.lower()))


def merge(plain: list[dict], hinted: list[dict], terms: list[str]) -> list[dict]:
    """`plain` segments with the hinted pass's vocabulary spellings put in."""
    known = {w for term in terms for w in re.findall(r"\w+", term.lower())}
    places = [(si, wi) for si, seg in enumerate(plain) for wi in range(len(seg["words"]))]
    a = [_norm(plain[si]["words"][wi]["word"]) for si, wi in places]
    b_words = [w for seg in hinted for w in seg["words"]]
    b = [_norm(w["word"]) for w in b_words]
    edits: dict[int, list[tuple[int, int, list[dict]]]] = {}
    for tag, i1, i2, j1, j2 in SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        if tag != "replace" or not any(w in known for w in b[j1:j2]):
            continue
        if max(i2 - i1, j2 - j1) > MAX_LENGTH_RATIO * min(i2 - i1, j2 - j1):
            continue
        if i2 - i1 == j2 - j1:  # word for word: only the listed terms change
            stretches = [
                (i, i + 1, j, j + 1) for i, j in zip(range(i1, i2), range(j1, j2), strict=True) if b[j] in known
            ]
        else:
            stretches = [(i1, i2, j1, j2)]
        for k1, k2, l1, l2 in stretches:
            segment = places[k1][0]
            if places[k2 - 1][0] != segment:
                continue  # the stretch crosses a segment boundary of the plain pass: leave it
            first, last = places[k1][1], places[k2 - 1][1]
            old = plain[segment]["words"]
            edits.setdefault(segment, []).append(
                (first, last, _retimed(b_words[l1:l2], old[first]["start"], old[last]["end"]))
            )
    out = []
    for si, seg in enumerate(plain):
        if si not in edits:
            out.append(seg)
            continue
        words = list(seg["words"])
        for first, last, new in sorted(edits[si], reverse=True):
            words[first : last + 1] = new
        out.append({**seg, "words": words, "text": "".join(w["word"] for w in words)})
    return out


def _retimed(words: list[dict], start: float, end: float) -> list[dict]:
    """The hinted words spread evenly over the time of the plain words they replace."""
    step = (end - start) / len(words)
    return [
        {**w, "start": round(start + i * step, 3), "end": round(start + (i + 1) * step, 3)} for i, w in enumerate(words)
    ]
