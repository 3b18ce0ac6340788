"""Word edges on the speech itself: the recognizer's word timings moved to where the VAD model hears speech.

Whisper's word timings leave gaps inside speech and stretch words over pauses. Silero's frame probabilities (32 ms)
give fine speech runs (onset ON, offset OFF, silences shorter than FILL kept inside a run). Each word is trimmed to
the run it overlaps most; inside a run, neighbouring words meet halfway across the gap between them, and the first
and last word of a run reach out to the run's edges (at most REACH seconds). A word with no speech under it keeps its
timing. Segments then start and end with their words.
"""

from __future__ import annotations

import numpy as np

from ..media.audio import SAMPLE_RATE
from ..runtime.typed_json import JsonObject
from .silero import FRAME

FRAME_SEC = FRAME / SAMPLE_RATE
ON = 0.5  # a run starts at a frame this likely to be speech
OFF = 0.35  # and goes on until frames fall under this for FILL seconds
FILL = 0.25
REACH = 0.6  # seconds a word edge may move out towards its run's edge, or across a gap to its neighbour


def speech_runs(probs: np.ndarray) -> list[tuple[float, float]]:
    """(start, end) seconds of the speech runs in per-frame speech probabilities."""
    runs: list[tuple[float, float]] = []
    start: int | None = None
    low = 0
    for i, p in enumerate(probs):
        if start is None:
            if p >= ON:
                start, low = i, 0
            continue
        low = low + 1 if p < OFF else 0
        if low * FRAME_SEC >= FILL:
            runs.append((start * FRAME_SEC, (i - low + 1) * FRAME_SEC))
            start = None
    if start is not None:
        runs.append((start * FRAME_SEC, (len(probs) - low) * FRAME_SEC))
    return runs


def _run_of(word: JsonObject, runs: list[tuple[float, float]], starts: np.ndarray) -> int:
    """Index of the run overlapping the word most, -1 when none does."""
    best, found = 0.0, -1
    at: float = word["start"]
    j = max(0, int(np.searchsorted(starts, at)) - 1)
    while j < len(runs) and runs[j][0] < word["end"]:
        overlap = min(word["end"], runs[j][1]) - max(word["start"], runs[j][0])
        if overlap > best:
            best, found = overlap, j
        j += 1
    return found


def align_words(words: list[JsonObject], runs: list[tuple[float, float]]) -> list[JsonObject]:
    """Copies of `words` (in time order) with edges on the speech runs."""
    starts = np.asarray([a for a, _ in runs])
    owners = [_run_of(w, runs, starts) for w in words]
    out: list[JsonObject] = []
    for w, k in zip(words, owners, strict=True):
        if k >= 0:
            a, b = runs[k]
            w = {**w, "start": max(w["start"], a), "end": min(w["end"], b)}
        out.append(dict(w))
    for i, (w, k) in enumerate(zip(out, owners, strict=True)):
        if k < 0:
            continue
        a, b = runs[k]
        before = out[i - 1] if i > 0 else None
        if before is not None and owners[i - 1] == k:
            if 0 <= w["start"] - before["end"] <= 2 * REACH:
                before["end"] = w["start"] = (w["start"] + before["end"]) / 2
        else:
            w["start"] = min(w["start"], max(a, w["start"] - REACH, before["end"] if before else 0.0))
        if i == len(out) - 1 or owners[i + 1] != k:
            w["end"] = max(w["end"], min(b, w["end"] + REACH, out[i + 1]["start"] if i + 1 < len(out) else np.inf))
    for w in out:
        w["start"], w["end"] = round(w["start"], 3), round(w["end"], 3)
    return out


def words_of(segment: JsonObject) -> list[JsonObject]:
    """A segment's words (none when it has no `words`)."""
    words: list[JsonObject] = segment.get("words") or []
    return words


def align_segments(segments: list[JsonObject], runs: list[tuple[float, float]]) -> list[JsonObject]:
    """Segments whose words sit on the speech runs; a segment with words starts and ends with them."""
    listed = [w for seg in segments for w in words_of(seg)]
    words = align_words(listed, runs)
    out: list[JsonObject] = []
    k = 0
    for seg in segments:
        count = len(seg.get("words") or [])
        if not count:
            out.append(seg)
            continue
        mine = words[k : k + count]
        k += count
        out.append({**seg, "words": mine, "start": mine[0]["start"], "end": mine[-1]["end"]})
    return out
