"""The speech a transcribe request covers: its spans joined into one signal, times mapped back, the first seconds."""

from __future__ import annotations

import numpy as np

from ..media.audio import SAMPLE_RATE, Samples, read_samples
from ..runtime.stage_requests import TranscribeRequest
from ..runtime.typed_json import JsonObject


def join_speech(samples: Samples, spans: list[JsonObject]) -> tuple[np.ndarray, list[JsonObject]]:
    """float32 audio of the speech `spans` (seconds) of 16-bit `samples` joined, and the non-empty chunks it holds
    as {"start", "end"} sample offsets in the recording (what faster-whisper's restore_speech_timestamps takes)."""
    chunks = [
        {"start": int(s["start"] * SAMPLE_RATE), "end": min(len(samples), int(s["end"] * SAMPLE_RATE))} for s in spans
    ]
    chunks = [c for c in chunks if c["end"] > c["start"]]
    if not chunks:
        return np.zeros(0, dtype=np.float32), []
    audio = np.concatenate([read_samples(samples, c["start"] / SAMPLE_RATE, c["end"] / SAMPLE_RATE) for c in chunks])
    return audio, chunks


def chunk_spans(chunks: list[JsonObject]) -> list[JsonObject]:
    """Sample-offset chunks as spans in seconds."""
    return [{"start": c["start"] / SAMPLE_RATE, "end": c["end"] / SAMPLE_RATE} for c in chunks]


class SpanMapper:
    """Maps a time in the joined speech audio back to the original recording."""

    def __init__(self, spans: list[JsonObject]) -> None:
        self.table: list[tuple[float, float, float]] = []
        joined = 0.0
        for s in spans:
            length = s["end"] - s["start"]
            if length > 0:
                self.table.append((joined, s["start"], length))
                joined += length

    def __call__(self, t: float) -> float:
        for joined_start, original_start, length in reversed(self.table):
            if t >= joined_start:
                return original_start + min(t - joined_start, length)
        return t


def first_speech(samples: Samples, spans: list[JsonObject], seconds: float = 30.0) -> np.ndarray:
    """Up to `seconds` of the speech `spans` of 16-bit `samples`, as float32, for a language check."""
    pieces: list[np.ndarray] = []
    left = seconds
    for s in spans:
        if left <= 0:
            break
        piece = read_samples(samples, s["start"], min(s["end"], s["start"] + left))
        pieces.append(piece)
        left -= len(piece) / SAMPLE_RATE
    return np.concatenate(pieces) if pieces else np.zeros(0, dtype=np.float32)


def window_label(request: TranscribeRequest) -> str:
    """ "window 3/14: " for a windowed request, else ""."""
    w = request.window
    return f"window {w.index + 1}/{w.count}: " if w else ""
