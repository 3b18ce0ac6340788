"""Transcript segments as the contract wants them: clean word times and probabilities, quality fields, clamping."""

from __future__ import annotations

from ..runtime.typed_json import JsonObject
from .quality import Number, quality_fields


def clean_words(words: list[JsonObject] | None) -> list[JsonObject]:
    """Words with non-decreasing, non-negative times and probabilities in [0, 1]."""
    out: list[JsonObject] = []
    for w in words or []:
        start = max(0.0, float(w["start"]))
        end = max(start, float(w["end"]))
        p = w.get("probability")
        out.append(
            {
                "word": str(w["word"]),
                "start": round(start, 3),
                "end": round(end, 3),
                "probability": None if p is None else round(min(1.0, max(0.0, float(p))), 4),
            }
        )
    return out


def make_segment(
    start: float,
    end: float,
    text: str,
    words: list[JsonObject] | None,
    no_speech_prob: Number = None,
    avg_logprob: Number = None,
    compression_ratio: Number = None,
) -> JsonObject:
    start = max(0.0, float(start))
    segment = {
        "start": round(start, 3),
        "end": round(max(start, float(end)), 3),
        "text": text.strip(),
        "words": clean_words(words),
    }
    segment.update(quality_fields(no_speech_prob, avg_logprob, compression_ratio))
    return segment


def clamp_segment(segment: JsonObject, start: float, end: float) -> JsonObject:
    """A segment with its and its words' times kept inside [start, end] (a window's range)."""

    def inside(t: float) -> float:
        return round(min(max(t, start), end), 3)

    words = [{**w, "start": inside(w["start"]), "end": inside(w["end"])} for w in segment["words"]]
    return {**segment, "start": inside(segment["start"]), "end": inside(segment["end"]), "words": words}
