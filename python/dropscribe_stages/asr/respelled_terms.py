"""Words the recognizer was unsure of that sound like a listed term, written as that term.

Given a vocabulary, Whisper spells most of the listed names it hears, but not all: a name it hears badly comes out as
the nearest words it knows ("Quwen" for Qwen, "Big Stroll" for Pixtral, "Beirdre" for Deirdre). Such words are
scored low by the alignment that times them (their word probability), and they sound like the term. So after the
decode, a word, or two words with no punctuation between, is replaced by a listed term when

- each of its words has a word probability below UNSURE: a word the recognizer was sure of is never replaced;
- its rough pronunciation (sounds.py) is at least ALIKE like the term's, and the term's key has MIN_SOUNDS sounds
  or more (a short key is like too many words);
- it starts with the term's first sound or one like it: a listener knows a name by its start. Without this, "thy foe"
  in a sonnet, written "Thyphrex" by a recognizer given Zyphrex among 43 terms never said, became Zyphrex;
- no other listed term is nearly as alike (within MARGIN): an ambiguous word is left as it was;
- the segment is in English: the pronunciation key reads English spelling.

The term replaces the words with their times, their punctuation and their lowest probability, so spoken_terms.py
checks it like any term the recognizer wrote. Costs no decode: a few thousand letter comparisons a segment."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .sounds import WEAK, likeness, sound_key, swap_cost

UNSURE = 0.5
ALIKE = 0.8
MIN_SOUNDS = 4
MARGIN = 0.05
MAX_WORDS = 2
LANGUAGE = "en"


@dataclass
class Respelled:
    """Words replaced by a listed term."""

    start: float
    end: float
    heard: str
    term: str
    likeness: float


def respell_terms(segments: list[dict], terms: list[str] | None) -> tuple[list[dict], list[Respelled]]:
    """`segments` with unsure words that sound like a listed term written as that term, and what was replaced."""
    spellings = {_letters(term): term for term in reversed(terms or [])}  # a term listed twice: its first spelling
    keys = {term: sound_key(term) for term in spellings.values()}
    keys = {term: key for term, key in keys.items() if len(key) >= MIN_SOUNDS}
    if not keys:
        return segments, []
    listed = set(spellings)
    out, respelled = [], []
    for segment in segments:
        if segment.get("language", LANGUAGE) != LANGUAGE or not segment.get("words"):
            out.append(segment)
            continue
        words, changed = _respell_words(segment["words"], keys, listed)
        respelled += changed
        out.append(
            {**segment, "words": words, "text": "".join(w["word"] for w in words).strip()} if changed else segment
        )
    return out, respelled


def _respell_words(words: list[dict], keys: dict[str, str], listed: set[str]) -> tuple[list[dict], list[Respelled]]:
    out, changed, i = [], [], 0
    while i < len(words):
        found = _best_term(words, i, keys, listed)
        if found is None:
            out.append(words[i])
            i += 1
            continue
        count, term, score = found
        span = words[i : i + count]
        lead = matched(re.match(r"\s*", span[0]["word"]))
        tail = matched(re.search(r"[^\w]*$", span[-1]["word"].strip()))
        probability = min(w["probability"] for w in span)
        out.append({**span[0], "word": f"{lead}{term}{tail}", "end": span[-1]["end"], "probability": probability})
        heard = "".join(w["word"] for w in span).strip()
        changed.append(Respelled(span[0]["start"], span[-1]["end"], heard, term, round(score, 3)))
        i += count
    return out, changed


def _best_term(words: list[dict], first: int, keys: dict[str, str], listed: set[str]) -> tuple | None:
    """(word count, term, likeness) of the term the unsure words from `first` sound like, or None."""
    best = None
    for count in range(1, MAX_WORDS + 1):
        span = words[first : first + count]
        if len(span) < count or not all(_unsure(w) and _letters(w["word"]) not in listed for w in span):
            break
        if count > 1 and re.search(r"[^\w\s]\s*$", span[-2]["word"]):
            break  # punctuation between: two words, not one name
        heard = sound_key("".join(w["word"] for w in span))
        scores = sorted(
            ((likeness(heard, key), term) for term, key in keys.items() if _may_be_alike(heard, key)), reverse=True
        )
        if not scores:
            continue
        score, term = scores[0]
        ambiguous = len(scores) > 1 and scores[1][0] >= score - MARGIN
        same_start = swap_cost(heard[:1], keys[term][:1]) < 1
        if score >= ALIKE and not ambiguous and same_start and (best is None or score > best[2]):
            best = (count, term, score)
    return best


def _may_be_alike(a: str, b: str) -> bool:
    """False when the keys' lengths alone keep them from being nearly ALIKE (each sound missing costs WEAK or more)."""
    return 1.0 - WEAK * abs(len(a) - len(b)) / max(len(a), len(b), 1) >= ALIKE - MARGIN


def _unsure(word: dict) -> bool:
    probability = word.get("probability")
    return probability is not None and probability < UNSURE


def _letters(text: str) -> str:
    return re.sub(r"\W", "", text.lower())


def matched(found: re.Match[str] | None) -> str:
    """The text a pattern that may match nothing matched ("" when it did not)."""
    return found.group(0) if found else ""
