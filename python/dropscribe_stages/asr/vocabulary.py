"""The job's vocabulary as the recognizer takes it: one sentence naming the terms, given to faster-whisper as its
hotwords ("Names: Zyphrex, Quorvane.", so every 30 s window gets it), and to the other backends in their prompt before
the previous window's words ("Glossary: Zyphrex, Quorvane.", the first window of each request; not measured again).

The sentence is given once: faster-whisper given the list both as hotwords and in its prompt (as before) recited it in
place of speech and over the quiet after it (base on 28 espeak-ng recordings, python/tests/vocabulary_clips.py: 28
listed terms written where none was said, 5 with one sentence). Its words matter for the rest of the text: with an
unrelated list, the corpus's English clips had 12.3 word errors with none, 12.3 with "Names: ...", 13.2 with the bare
list, 16.1 as before and 17.1 with "Glossary: ..." (issue 27), while the names recordings got 39, 39 and 40 of their 50
names said with the three sentences. A listed term written where it was not said is struck after the decode
(spoken_terms.py).

The terms are written in one language, the vocabulary's (the job's `language`, English when it is detected). They
are given only where the text being written is in that language: Whisper given terms of another language before a
French or German window writes it worse (bench/vocabulary.py: the corpus WER went from 0.109 to 0.130, all of it on
the French and German clips), and finds none of the terms there anyway."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..runtime.stage_requests import TranscribeRequest

DEFAULT_LANGUAGE = "en"


def for_speech(request: TranscribeRequest, spoken: str | None) -> list[str] | None:
    """The request's vocabulary when the text written for speech in `spoken` (None: not known) is in the
    vocabulary's language (a translation is written in English); None otherwise or without a vocabulary."""
    terms = request.vocabulary or None
    written = "en" if request.task == "translate" else spoken
    if terms is None or written is None:
        return terms
    return terms if written == (request.vocabulary_language or DEFAULT_LANGUAGE) else None


def hotwords(terms: list[str] | None) -> str | None:
    """faster-whisper's sentence naming the terms, or None without a vocabulary."""
    return f"Names: {', '.join(terms)}." if terms else None


def prompt(terms: list[str] | None, previous: str | None) -> str | None:
    """A glossary sentence with the terms, then the text before this window; None when there is neither."""
    parts = [f"Glossary: {', '.join(terms)}." if terms else "", (previous or "").strip()]
    text = " ".join(p for p in parts if p)
    return text or None
