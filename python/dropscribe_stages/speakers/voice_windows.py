"""Sliding 1.6 s windows over the speech regions of a recording, embedded into voice vectors with flat memory.

Each region is read from the file on its own (a PcmFile), so a two-hour recording never sits in memory; windows are
embedded in batches. A window stands for the time around its centre (`hop` wide), which is what labels words.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from ..media.audio import SAMPLE_RATE, Samples, read_samples
from .encoder import HOP, WINDOW_FRAMES, SpeakerEncoder, power_mel, volume_gain

WINDOW_SEC = WINDOW_FRAMES * HOP / SAMPLE_RATE
BATCH = 64


@dataclass
class VoiceWindows:
    """Window centres (seconds), the region each belongs to, and their L2-normalised voice vectors."""

    centres: np.ndarray
    regions: np.ndarray
    vectors: np.ndarray


def window_starts(start: float, end: float, hop: float) -> list[float]:
    """Starts of 1.6 s windows covering [start, end]; a region shorter than a window gets one centred window."""
    if end - start <= WINDOW_SEC:
        return [max(0.0, (start + end) / 2 - WINDOW_SEC / 2)]
    count = int(np.floor((end - start - WINDOW_SEC) / hop)) + 1
    starts = [start + k * hop for k in range(count)]
    if end - (starts[-1] + WINDOW_SEC) > hop / 2:
        starts.append(end - WINDOW_SEC)
    return starts


def region_mels(samples: Samples, start: float, end: float, hop: float) -> tuple[list[float], np.ndarray]:
    """(window centres, (n, 160, 40) mel windows, each volume-normalised) of one speech region."""
    starts = window_starts(start, end, hop)
    a = starts[0]
    audio = read_samples(samples, a, starts[-1] + WINDOW_SEC)
    need = int(round((starts[-1] + WINDOW_SEC - a) * SAMPLE_RATE))
    if len(audio) < need:
        audio = np.pad(audio, (0, need - len(audio)))
    mel = power_mel(audio)
    windows: list[np.ndarray] = []
    centres: list[float] = []
    for s in starts:
        first = int(round((s - a) * SAMPLE_RATE / HOP))
        piece = mel[first : first + WINDOW_FRAMES]
        if len(piece) < WINDOW_FRAMES:
            piece = np.pad(piece, ((0, WINDOW_FRAMES - len(piece)), (0, 0)))
        lo = int((s - a) * SAMPLE_RATE)
        gain = volume_gain(audio[lo : lo + WINDOW_FRAMES * HOP])
        windows.append(piece * gain**2)  # a power spectrogram scales with the square of the amplitude
        centres.append(s + WINDOW_SEC / 2)
    return centres, np.stack(windows)


def embed_regions(
    samples: Samples,
    regions: list[tuple[float, float]],
    encoder: SpeakerEncoder,
    hop: float,
    progress: Callable[[float], None] | None = None,
) -> VoiceWindows:
    """Embed windows over every region; memory holds one region's audio and one batch of windows at a time."""
    centres: list[float] = []
    owners: list[int] = []
    vectors: list[np.ndarray] = []
    pending: list[np.ndarray] = []
    total = sum(e - s for s, e in regions) or 1.0
    done = 0.0

    def flush() -> None:
        if pending:
            vectors.append(encoder.embed(np.stack(pending)))
            pending.clear()

    for index, (start, end) in enumerate(regions):
        mid, mels = region_mels(samples, start, end, hop)
        centres.extend(mid)
        owners.extend([index] * len(mid))
        for window in mels:
            pending.append(window)
            if len(pending) == BATCH:
                flush()
        done += end - start
        if progress:
            progress(done / total)
    flush()
    return VoiceWindows(
        centres=np.asarray(centres, dtype=np.float64),
        regions=np.asarray(owners, dtype=np.int64),
        vectors=np.concatenate(vectors) if vectors else np.zeros((0, 256), dtype=np.float32),
    )


def embed_clip(samples: Samples, start: float, end: float, encoder: SpeakerEncoder, hop: float) -> np.ndarray:
    """One voice vector for a whole clip (enrolment sample): the normalised mean of its window vectors."""
    found = embed_regions(samples, [(start, end)], encoder, hop)
    mean = found.vectors.mean(axis=0)
    return mean / max(float(np.linalg.norm(mean)), 1e-9)
