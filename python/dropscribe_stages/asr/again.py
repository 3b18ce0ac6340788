"""The transcribe stage's second looks: each turn in its own language where a window doubted the pass's, and the
speech of segments that held only listed terms never said, transcribed again without the vocabulary."""

from __future__ import annotations

import os
from dataclasses import replace

from ..runtime.protocol import Channel
from ..runtime.stage_requests import TranscribeRequest
from ..runtime.typed_json import JsonObject
from ..speech.spans import window_label
from .segments import clamp_segment
from .turn_languages import label as label_language
from .turn_languages import per_turn


def languages_per_turn(request, samples, spans, segments, language, watch, channel) -> list[JsonObject]:
    """`segments` with their language: the pass's, or where a window doubted it, each turn's own (turn_languages)."""
    if watch is None or not watch.doubted(language):
        return label_language(segments, language)
    from .faster_whisper import load_model
    from .faster_whisper import transcribe as transcribe_spans

    channel.progress(0.99, f"{window_label(request)}more than one language: finding each turn's")
    model = load_model(request, channel)

    def again(turn_spans: list[JsonObject], other: str) -> list[JsonObject]:
        return transcribe_spans(request, samples, turn_spans, other, channel)[0]

    found = per_turn(model, samples, spans, segments, language, request.languages or None, again)
    others = sorted({s["language"] for s in found} - {language})
    if others:
        channel.progress(0.99, f"{window_label(request)}turns in {', '.join(others)} transcribed in their language")
    return found


def heard_again(request: TranscribeRequest, samples, struck: list, language: str, window) -> list[JsonObject]:
    """The speech of segments that held only listed terms never said (the recognizer recited the list over it),
    transcribed again without the vocabulary."""
    from .faster_whisper import transcribe as transcribe_spans

    spans = [{"start": a, "end": b} for a, b in sorted({s.again for s in struck if s.again})]
    with open(os.devnull, "w") as sink:  # its progress would run back from 99%
        segments = transcribe_spans(replace(request, vocabulary=None), samples, spans, language, Channel(sink))[0]
    if window:
        segments = [clamp_segment(seg, window.start, window.end) for seg in segments]
    return label_language(segments, language)
