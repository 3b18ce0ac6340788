"""From window labels to a labelled transcript: each word takes the speaker of its span, segments split at changes.

A word's speaker is the label of the window whose centre is nearest the word's middle; a segment whose words change
speaker is cut there into segments of one speaker each (text rebuilt from the words).
"""

from __future__ import annotations

import numpy as np

from ..runtime.typed_json import JsonObject
from ..speech.edges import words_of


def speaker_id(label: int) -> str:
    return f"S{label + 1}"


def label_at(times: np.ndarray, centres: np.ndarray, labels: np.ndarray) -> np.ndarray:
    """Label of the window centre nearest each time (centres sorted)."""
    if len(centres) == 0:
        return np.zeros(len(times), dtype=np.int64)
    right = np.clip(np.searchsorted(centres, times), 0, len(centres) - 1)
    left = np.clip(right - 1, 0, len(centres) - 1)
    nearer_left = np.abs(times - centres[left]) <= np.abs(times - centres[right])
    return labels[np.where(nearer_left, left, right)]


def _piece(segment: JsonObject, words: list[JsonObject], speaker: str) -> JsonObject:
    out = {**segment, "words": words, "speaker": speaker}
    if words:
        out["start"], out["end"] = words[0]["start"], words[-1]["end"]
        out["text"] = (
            "".join(w["word"] for w in words).strip() if len(words) != len(segment["words"]) else segment["text"]
        )
    return out


def label_segments(
    segments: list[JsonObject], centres: np.ndarray, labels: np.ndarray, names: dict[int, str]
) -> list[JsonObject]:
    """Segments with `speaker` on every word and segment; a segment is split where its words change speaker."""
    order = np.argsort(centres)
    centres, labels = centres[order], labels[order]
    out: list[JsonObject] = []
    for segment in segments:
        words = words_of(segment)
        if not words:
            mid = np.array([(segment["start"] + segment["end"]) / 2])
            out.append({**segment, "speaker": names[int(label_at(mid, centres, labels)[0])]})
            continue
        mids = np.array([(w["start"] + w["end"]) / 2 for w in words])
        who = [names[int(x)] for x in label_at(mids, centres, labels)]
        run: list[JsonObject] = []
        for word, speaker in zip(words, who, strict=True):
            if run and run[-1]["speaker"] != speaker:
                out.append(_piece(segment, run, run[-1]["speaker"]))
                run = []
            run.append({**word, "speaker": speaker})
        out.append(_piece(segment, run, run[-1]["speaker"]))
    return out


def speech_time(segments: list[JsonObject]) -> dict[str, float]:
    """Seconds of word time per speaker (segment time for segments without words)."""
    total: dict[str, float] = {}
    for segment in segments:
        spans = [(w["start"], w["end"], w["speaker"]) for w in words_of(segment)] or [
            (segment["start"], segment["end"], segment["speaker"])
        ]
        for start, end, speaker in spans:
            total[speaker] = total.get(speaker, 0.0) + max(0.0, end - start)
    return total
