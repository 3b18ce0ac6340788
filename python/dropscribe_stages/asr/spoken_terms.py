"""Listed terms the recognizer wrote where nobody said them, struck out of the transcript.

A vocabulary is given to Whisper as a prompt. It makes it spell the names it hears, but it can also make it write a
listed term where none was said: over the quiet after speech ("Names, Niamh, Llanfairpwll,"), as a loop over the
list, or in place of words it did not catch ("Saoirse, Niamh, Llanfairpwll" for "Saoirse, Niamh and Aoife"). Each
listed term written is checked against what the decode measured anyway, so the check costs no second decode:

- its word probability. faster-whisper and mlx-whisper score the words by aligning the written text to the audio with
  no prompt, so a term the prompt made up, with nothing like it in the audio, gets next to none (measured with base on
  espeak-ng recordings: 0.002-0.0067 for terms written in place of other words; 0.009-0.04 for the names said that it
  hears worst, Caernarfon, Gemma, Brenmoor; the limit sits between, and a name said but heard worse is lost);
- its length in time: a term not sure of itself and timed too short for its letters is squeezed into audio that holds
  other words ("Caernarfon, Llanfairpwll, Niamh, Aberystwyth": Niamh in the 0.1 s of "and");
- its segment: written where the recognizer itself doubts there was speech (no-speech probability and mean
  log-probability both past their limits: every term the prompt recited over the quiet after speech);
- a repeat of a term a few seconds after the same term in one segment, not sure of itself or after a struck copy (a
  loop over the list: the copies after the first are scored sure of themselves, the alignment reading its own text).

A struck term leaves the words around it; a segment that held nothing else goes with it, and where the recognizer was
sure it held speech, that speech is transcribed again without the vocabulary (transcribe.py). A sentence is never
dropped for being made of listed terms.

Before the check, words the recognizer was unsure of that sound like a listed term are written as that term
(asr/respelled_terms.py: "Big Stroll" for Pixtral), and checked like the terms it wrote itself; where such a term
would be struck, its segment is checked as the recognizer wrote it, so respelling never takes a heard word away."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from .respelled_terms import respell_terms

# A term whose words the alignment scored below this (mean token probability) is not in the audio.
MIN_PROBABILITY = 0.008
# A term timed shorter than this per letter, and below this probability, is squeezed into audio that holds other words.
SQUEEZED_SEC_PER_LETTER = 0.025
SQUEEZED_PROBABILITY = 0.1
# A segment the recognizer doubts: both past these.
DOUBTED_NO_SPEECH = 0.4
DOUBTED_LOGPROB = -0.5
# A term again within this many seconds in one segment, below this probability, is a loop over the list.
REPEAT_SEC = 5.0
REPEAT_PROBABILITY = 0.5
# A word of at least this many letters that starts a listed term is that term, cut short.
MIN_CUT = 5
# The prompts' own words, recited with the terms ("Names, Niamh, ...").
PROMPT_WORDS = ["Names", "Glossary"]


@dataclass
class Struck:
    """A listed term left out of a segment, and why."""

    start: float
    end: float
    text: str
    reason: str
    # The span of a segment the recognizer was sure held speech but that held only struck terms: its speech was not
    # written, so it is transcribed again without the vocabulary.
    again: tuple[float, float] | None = None

    def as_suppressed(self) -> dict:
        return {"start": self.start, "end": self.end, "text": self.text, "reason": self.reason}


def _tokens(text: str) -> list[str]:
    return re.findall(r"\w+", text.lower())


def strike_unspoken(segments: list[dict], terms: list[str] | None) -> tuple[list[dict], list[Struck]]:
    """`segments` with unsure words that sound like a listed term written as it, without the listed terms that were
    not said, and those terms."""
    if not terms:
        return segments, []
    listed = [t for t in (_tokens(term) for term in [*terms, *PROMPT_WORDS]) if t]
    out, struck = [], []
    for segment in segments:
        respelled, changes = respell_terms([segment], terms)
        kept, gone = _strike_in_segment(respelled[0], listed)
        if any(g.start < c.end and c.start < g.end for g in gone for c in changes):
            kept, gone = _strike_in_segment(segment, listed)  # a respelled term struck: the words as heard
        struck += gone
        if kept["text"] or not gone:  # a segment of struck terms only is gone with them
            out.append(kept)
    return out, struck


def _strike_in_segment(segment: dict, listed: list[list[str]]) -> tuple[dict, list[Struck]]:
    words = segment.get("words") or []
    if not words:
        return _strike_in_text(segment, listed)
    doubted = _doubted(segment)
    drop: set[int] = set()
    struck: list[Struck] = []
    last_seen: dict[tuple[str, ...], tuple[float, bool]] = {}  # a term's last end, and whether it was struck
    for first, count in _term_spans(words, listed):
        span = words[first : first + count]
        key = tuple(t for w in span for t in _tokens(w["word"]))
        probability = min((w["probability"] for w in span if w.get("probability") is not None), default=None)
        reason = None
        if doubted:
            reason = doubted
        elif probability is not None and probability < MIN_PROBABILITY:
            reason = f"not in the audio (word probability {probability:.3f})"
        elif (
            probability is not None
            and probability < SQUEEZED_PROBABILITY
            and span[-1]["end"] - span[0]["start"] < SQUEEZED_SEC_PER_LETTER * len("".join(key))
        ):
            reason = f"squeezed into {span[-1]['end'] - span[0]['start']:.2f} s (word probability {probability:.3f})"
        elif key in last_seen and span[0]["start"] - last_seen[key][0] <= REPEAT_SEC:
            if last_seen[key][1] or probability is None or probability < REPEAT_PROBABILITY:
                reason = "the list recited again"
        last_seen[key] = (span[-1]["end"], reason is not None)
        if reason:
            drop.update(range(first, first + count))
            text = "".join(w["word"] for w in span).strip(" ,.;:!?")
            struck.append(Struck(span[0]["start"], span[-1]["end"], text, f"listed term not spoken: {reason}"))
    if not drop:
        return segment, []
    left = [w for i, w in enumerate(words) if i not in drop]
    if not left and not doubted:
        struck = [replace(s, again=(segment["start"], segment["end"])) for s in struck]
    text = _tidy("".join(w["word"] for w in left))
    times = {"start": left[0]["start"], "end": left[-1]["end"]} if left else {}
    return {**segment, **times, "text": text, "words": left}, struck


def _strike_in_text(segment: dict, listed: list[list[str]]) -> tuple[dict, list[Struck]]:
    """A segment without word timings: only the segment's own doubt tells, and then every term goes."""
    reason = _doubted(segment)
    if not reason:
        return segment, []
    text, struck = segment["text"], []
    for term in listed:
        pattern = re.compile(r"\b" + r"\W+".join(map(re.escape, term)) + r"\b[,.;:]?", re.IGNORECASE)
        for m in pattern.finditer(text):
            struck.append(Struck(segment["start"], segment["end"], m.group(0).strip(" ,.;:"), reason))
        text = pattern.sub("", text)
    if not struck:
        return segment, []
    return {**segment, "text": _tidy(text)}, [
        Struck(s.start, s.end, s.text, f"listed term not spoken: {s.reason}") for s in struck
    ]


def _doubted(segment: dict) -> str | None:
    nsp, lp = segment.get("noSpeechProb"), segment.get("avgLogprob")
    if nsp is not None and lp is not None and nsp >= DOUBTED_NO_SPEECH and lp <= DOUBTED_LOGPROB:
        return f"written over no speech (no-speech probability {nsp}, mean log-probability {lp})"
    return None


def _term_spans(words: list[dict], listed: list[list[str]]) -> list[tuple[int, int]]:
    """(first word, word count) of each listed term written in `words`, longest terms first, without overlaps. A word
    that is the start of a one-word term ("Llanfair" for Llanfairpwll) counts as that term cut short."""
    tokens = [_tokens(w["word"]) for w in words]
    taken: set[int] = set()
    spans = []
    for term in sorted(listed, key=len, reverse=True):
        for first in range(len(words)):
            got, count = [], 0
            while first + count < len(words) and len(got) < len(term):
                got += tokens[first + count]
                count += 1
            cut_short = len(term) == 1 and len(got) == 1 and len(got[0]) >= MIN_CUT and term[0].startswith(got[0])
            if (got == term or cut_short) and not taken & set(range(first, first + count)):
                taken.update(range(first, first + count))
                spans.append((first, count))
    return sorted(spans)


def _tidy(text: str) -> str:
    """Text with the gaps and stray punctuation a struck term leaves."""
    text = re.sub(r"\s+([,.;:!?])", r"\1", re.sub(r"\s{2,}", " ", text)).strip()
    text = re.sub(r"([,;:])(?=[,.;:!?])", "", text)
    return text.strip(",;: ")
