"""The speech regions diarize embeds: the request's VAD spans, else the transcript's words merged across short gaps."""

from __future__ import annotations

from typing import Any

from ..runtime.typed_json import JsonObject
from ..speech.edges import words_of

WORD_GAP = 0.3  # words closer than this form one speech region


def speech_regions(speech: list[Any] | None, segments: list[JsonObject]) -> list[tuple[float, float]]:
    """The request's VAD spans when given, else the recognizer's word timings merged across gaps under WORD_GAP."""
    if speech:
        return [(s.start, s.end) for s in speech if s.end > s.start]
    spans = sorted(
        (w["start"], w["end"]) for seg in segments for w in (words_of(seg) or [seg]) if w["end"] > w["start"]
    )
    merged: list[list[float]] = []
    for start, end in spans:
        if merged and start - merged[-1][1] < WORD_GAP:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    return [(a, b) for a, b in merged]
