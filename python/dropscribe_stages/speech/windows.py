"""windows: cut a recording's speech spans into windows at the longest pauses, one transcription unit each.

A window is a run of whole VAD speech spans, so no word can cross a window edge; its times are seconds in the
original recording. Spans longer than a window are first split at their quietest moment (split_long_spans).
"""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from ..runtime.typed_json import JsonObject

# The speech per window comes in the vad request (windows.minSpeechSec / maxSpeechSec in config.ts).
# A VAD span longer than this is split at its quietest moment, so the planner always has cut points.
MAX_SPAN_SEC = 120.0


def span_seconds(spans: Sequence[JsonObject]) -> float:
    return sum(max(0.0, s["end"] - s["start"]) for s in spans)


def plan_windows(spans: Sequence[JsonObject], min_speech: float, max_speech: float) -> list[JsonObject]:
    """Windows [{index, start, end, speechSec, firstSpan, spanCount}] covering `spans` (sorted, disjoint) in order.

    The number of windows is the fewest that keep each under `max_speech` of speech; each cut is the longest pause
    among the cuts that leave this window between the lower bound and `max_speech`, ties going to the cut nearest
    an even share.
    """
    if min_speech <= 0 or max_speech < min_speech:
        raise ValueError(f"window bounds must satisfy 0 < min ({min_speech}) <= max ({max_speech})")
    durations = [max(0.0, s["end"] - s["start"]) for s in spans]
    windows: list[JsonObject] = []
    first = 0
    while first < len(spans):
        last = choose_cut(spans, durations, first, min_speech, max_speech)
        windows.append(make_window(len(windows), spans, durations, first, last))
        first = last
    return windows


def choose_cut(
    spans: Sequence[JsonObject], durations: list[float], first: int, min_speech: float, max_speech: float
) -> int:
    """Index just past the last span of the window that starts at span `first`."""
    rest = sum(durations[first:])
    if rest <= max_speech:
        return len(spans)
    target = rest / math.ceil(rest / max_speech)  # an even share of what is left
    lower = min(min_speech, target)
    best, best_key, fallback = None, None, first + 1
    speech = 0.0
    for k in range(first, len(spans) - 1):
        speech += durations[k]
        if speech > max_speech:
            break
        fallback = k + 1
        if speech < lower or rest - speech < lower / 2:  # too short, or leaves a sliver for the next window
            continue
        pause = spans[k + 1]["start"] - spans[k]["end"]
        key = (round(pause, 3), -abs(speech - target))
        if best_key is None or key > best_key:
            best, best_key = k + 1, key
    return best if best is not None else fallback


def make_window(index: int, spans: Sequence[JsonObject], durations: list[float], first: int, last: int) -> JsonObject:
    return {
        "index": index,
        "start": spans[first]["start"],
        "end": spans[last - 1]["end"],
        "speechSec": round(sum(durations[first:last]), 3),
        "firstSpan": first,
        "spanCount": last - first,
    }


def spans_in(spans: Sequence[JsonObject], start: float, end: float) -> list[JsonObject]:
    """The parts of `spans` inside [start, end] (a window's speech), clipped to it."""
    out: list[JsonObject] = []
    for s in spans:
        a, b = max(s["start"], start), min(s["end"], end)
        if b > a:
            out.append({"start": a, "end": b})
    return out


def split_long_spans(
    spans: Sequence[JsonObject], quiet: Sequence[float] | np.ndarray, frame_sec: float, max_span: float = MAX_SPAN_SEC
) -> list[JsonObject]:
    """Split each span longer than `max_span` at its quietest moment, into adjacent pieces (no audio is lost).

    `quiet` holds a speech probability per frame of `frame_sec` seconds from the recording's start; the cut goes
    into the middle of the longest run of frames at the lowest level found in the allowed middle part of the span.
    """
    out: list[JsonObject] = []
    todo = list(spans)[::-1]
    while todo:
        s = todo.pop()
        if s["end"] - s["start"] <= max_span:
            out.append(s)
            continue
        cut = quietest_point(
            quiet, frame_sec, s["start"] + max_span * 0.25, min(s["end"], s["start"] + max_span) - max_span * 0.1
        )
        todo.append({"start": cut, "end": s["end"]})
        todo.append({"start": s["start"], "end": cut})
    return out


def quietest_point(quiet: Sequence[float] | np.ndarray, frame_sec: float, lo: float, hi: float) -> float:
    """Seconds at the middle of the longest run of frames at the lowest (rounded) level within [lo, hi]."""
    a = max(0, int(math.ceil(lo / frame_sec)))
    b = min(len(quiet), int(hi / frame_sec))
    if b <= a:
        return round((lo + hi) / 2, 3)
    floor = min(round(float(q), 1) for q in quiet[a:b])
    best_start, best_len, run_start = a, 0, None
    for i in range(a, b + 1):
        low = i < b and round(float(quiet[i]), 1) <= floor
        if low and run_start is None:
            run_start = i
        elif not low and run_start is not None:
            if i - run_start > best_len:
                best_start, best_len = run_start, i - run_start
            run_start = None
    return round((best_start + best_len / 2) * frame_sec, 3)
