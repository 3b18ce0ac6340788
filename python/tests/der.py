"""DER checker: missed + false alarm + speaker confusion over reference speech, best speaker mapping, 0.25 s collar.

Scored on 10 ms frames. Frames within the collar of a reference turn boundary are not scored. The mapping of
hypothesis to reference speakers is the one-to-one assignment with the most overlap (every permutation is tried:
the tests have at most a few speakers).
"""

from __future__ import annotations

import itertools

import numpy as np

STEP = 0.01
PAUSE = 0.3  # a silence this long ends a turn, in the reference and in the hypothesis


def turns_from_rttm(text: str) -> list[tuple[float, float, str]]:
    out = []
    for line in text.splitlines():
        parts = line.split()
        if parts and parts[0] == "SPEAKER":
            start, dur = float(parts[3]), float(parts[4])
            out.append((start, start + dur, parts[7]))
    return out


def turns_from_words(segments: list[dict], pause: float = PAUSE) -> list[tuple[float, float, str]]:
    """What the user gets: the output words (a segment's span when it has no words) in time order, each speaker's run
    of words one turn until a gap of `pause` or more, the rule the reference turns are cut by."""
    turns: list[list] = []
    for seg in segments:
        for w in seg.get("words") or [seg]:
            who = w.get("speaker", seg.get("speaker", "S1"))
            if turns and turns[-1][2] == who and w["start"] - turns[-1][1] < pause:
                turns[-1][1] = max(turns[-1][1], w["end"])
            else:
                turns.append([w["start"], w["end"], who])
    return [(a, b, who) for a, b, who in turns]


def _frames(turns, speakers, n):
    grid = np.zeros((len(speakers), n), dtype=bool)
    for start, end, who in turns:
        grid[speakers.index(who), int(round(start / STEP)) : int(round(end / STEP))] = True
    return grid


def der(reference, hypothesis, collar: float = 0.25) -> dict[str, float]:
    end = max([e for _, e, _ in reference] + [e for _, e, _ in hypothesis] + [0.0])
    n = int(np.ceil(end / STEP)) + 1
    ref_names = sorted({w for _, _, w in reference})
    hyp_names = sorted({w for _, _, w in hypothesis})
    ref = _frames(reference, ref_names, n)
    hyp = _frames(hypothesis, hyp_names, n)
    scored = np.ones(n, dtype=bool)
    c = int(round(collar / STEP))
    for start, stop, _ in reference:
        for t in (start, stop):
            k = int(round(t / STEP))
            scored[max(0, k - c) : k + c] = False
    ref, hyp = ref[:, scored], hyp[:, scored]
    ref_count, hyp_count = ref.sum(axis=0), hyp.sum(axis=0)
    total = float(ref_count.sum())
    missed = float(np.maximum(ref_count - hyp_count, 0).sum())
    false_alarm = float(np.maximum(hyp_count - ref_count, 0).sum())
    overlap = ref.astype(np.int64) @ hyp.T.astype(np.int64)
    best = 0
    r, h = overlap.shape
    for chosen in itertools.permutations(range(h), min(r, h)):
        rows = itertools.permutations(range(r), len(chosen)) if r > h else [tuple(range(r))]
        for picked in rows:
            best = max(best, sum(overlap[i, j] for i, j in zip(picked, chosen, strict=False)))
    correct_or_confused = float(np.minimum(ref_count, hyp_count).sum())
    confusion = correct_or_confused - best
    total = max(total, 1.0)
    return {
        "der": (missed + false_alarm + confusion) / total,
        "missed": missed / total,
        "falseAlarm": false_alarm / total,
        "confusion": confusion / total,
    }
