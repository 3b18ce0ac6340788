"""Conversations built from single-speaker corpus clips: turns of 3-15 s cut at pauses, 0.3-1 s gaps, levels that
differ, written as a 16 kHz WAV with its reference turns (cut at the clip's own pauses of 0.3 s or more)."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from dropscribe_stages.media.audio import SAMPLE_RATE, write_wav_atomic

FRAME = SAMPLE_RATE // 100


def speech_runs(x: np.ndarray, pause: float = 0.3) -> list[tuple[int, int]]:
    """Sample ranges of speech in a clip, split at quiet stretches of `pause` seconds or more (energy threshold)."""
    usable = len(x) // FRAME * FRAME
    rms = np.sqrt(np.mean(np.square(x[:usable].reshape(-1, FRAME)), axis=1))
    loud = rms > max(np.percentile(rms, 95) * 0.08, 1e-4)
    runs, start, quiet = [], None, 0
    for k, on in enumerate(loud):
        if on:
            if start is None:
                start = k
            quiet = 0
        elif start is not None:
            quiet += 1
            if quiet * FRAME >= pause * SAMPLE_RATE:
                runs.append((start * FRAME, (k - quiet + 1) * FRAME))
                start, quiet = None, 0
    if start is not None:
        runs.append((start * FRAME, (len(loud) - quiet) * FRAME))
    return runs


def turns_of(x: np.ndarray, low: float = 3.0, high: float = 15.0) -> list[np.ndarray]:
    """Cut a clip into turns of low-high seconds at its pauses (the remainder joins the last turn)."""
    runs = speech_runs(x)
    turns, start = [], None
    for a, b in runs:
        start = a if start is None else start
        if (b - start) / SAMPLE_RATE >= low:
            turns.append((start, b))
            start = None
    if start is not None and turns:
        turns[-1] = (turns[-1][0], runs[-1][1])
    elif start is not None:
        turns.append((start, runs[-1][1]))
    return [x[a:b] for a, b in turns if (b - a) / SAMPLE_RATE <= high + 3]


def build(clips: dict[str, np.ndarray], order: list[tuple[str, int]], seed: int, out: Path) -> list[tuple]:
    """Write the conversation `order` ((speaker, turn index) pairs) to `out`; return the reference turns."""
    rng = np.random.default_rng(seed)
    turns = {name: turns_of(x) for name, x in clips.items()}
    levels = {name: 10 ** (rng.uniform(-9, 0) / 20) for name in clips}
    audio, reference, t = [np.zeros(int(0.5 * SAMPLE_RATE), np.float32)], [], 0.5
    for name, index in order:
        piece = turns[name][index % len(turns[name])] * levels[name]
        for a, b in speech_runs(piece):
            reference.append((t + a / SAMPLE_RATE, t + b / SAMPLE_RATE, name))
        audio.append(piece.astype(np.float32))
        t += len(piece) / SAMPLE_RATE
        gap = rng.uniform(0.3, 1.0)
        audio.append(np.zeros(int(gap * SAMPLE_RATE), np.float32))
        t += int(gap * SAMPLE_RATE) / SAMPLE_RATE
    write_wav_atomic(out, np.concatenate(audio))
    return reference
