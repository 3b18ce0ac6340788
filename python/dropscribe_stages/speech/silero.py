"""Silero VAD over a recording in pieces: speech probabilities with flat memory, then speech spans from them.

faster-whisper's get_speech_timestamps needs the whole recording as one float array (plus padded and batched
copies: about 1.5 GB for two hours). speech_probabilities() feeds the same ONNX model the same batches, carrying
its state and context from piece to piece, so the probabilities are identical; speech_spans() is faster-whisper's
span logic (1.2.1) applied to them.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np

from ..media.audio import SAMPLE_RATE, Samples
from ..runtime.typed_json import JsonObject

FRAME = 512  # samples per probability (32 ms)
CONTEXT = 64
BATCH_FRAMES = 10000  # faster-whisper's encoder batch: the same batches give the same state sequence


def speech_probabilities(samples: Samples) -> np.ndarray:
    """One speech probability per 512-sample frame of 16-bit `samples` (a PcmFile or memory map, read in pieces)."""
    from faster_whisper.vad import get_vad_model

    session = get_vad_model().session
    h = np.zeros((1, 1, 128), dtype="float32")
    c = np.zeros((1, 1, 128), dtype="float32")
    context = np.zeros((1, CONTEXT), dtype="float32")
    out: list[np.ndarray] = []
    for piece in frames_in_pieces(samples):
        rows = piece.reshape(-1, FRAME)
        contexts = np.concatenate([context, rows[:-1, -CONTEXT:]], axis=0)
        context = rows[-1:, -CONTEXT:].copy()
        batch = np.concatenate([contexts, rows], axis=1)
        probs, h, c = session.run(None, {"input": batch, "h": h, "c": c})
        out.append(np.asarray(probs, dtype=np.float32).reshape(-1))
    return np.concatenate(out) if out else np.zeros(0, dtype=np.float32)


def frames_in_pieces(samples: Samples) -> Iterator[np.ndarray]:
    """float32 pieces of BATCH_FRAMES frames; the last one zero-padded as faster-whisper pads (always >= 1 sample)."""
    n = len(samples)
    padded = n + (FRAME - n % FRAME)
    step = BATCH_FRAMES * FRAME
    for a in range(0, padded, step):
        b = min(a + step, padded)
        piece = np.zeros(b - a, dtype=np.float32)
        real = samples[a : min(b, n)]
        piece[: len(real)] = np.asarray(real, dtype=np.float32) / 32768.0
        yield piece


def speech_spans(
    probs: np.ndarray, n_samples: int, threshold: float, min_silence_ms: int, speech_pad_ms: int, min_speech_ms: int = 0
) -> list[JsonObject]:
    """Speech spans {start, end} in samples, as faster_whisper.vad.get_speech_timestamps finds them."""
    neg_threshold = max(threshold - 0.15, 0.01)
    min_speech = SAMPLE_RATE * min_speech_ms / 1000
    pad = SAMPLE_RATE * speech_pad_ms / 1000
    min_silence = SAMPLE_RATE * min_silence_ms / 1000
    speeches: list[JsonObject] = []
    current: JsonObject = {}
    triggered, temp_end = False, 0
    for i, p in enumerate(probs):
        pos = FRAME * i
        if p >= threshold and temp_end:
            temp_end = 0
        if p >= threshold and not triggered:
            triggered = True
            current["start"] = pos
            continue
        if p < neg_threshold and triggered:
            if not temp_end:
                temp_end = pos
            if pos - temp_end < min_silence:
                continue
            current["end"] = temp_end
            if current["end"] - current["start"] > min_speech:
                speeches.append(current)
            current, temp_end, triggered = {}, 0, False
    if current and n_samples - current["start"] > min_speech:
        current["end"] = n_samples
        speeches.append(current)
    return pad_spans(speeches, n_samples, pad)


def pad_spans(speeches: list[JsonObject], n_samples: int, pad: float) -> list[JsonObject]:
    """Widen each span by `pad` samples, or by half the silence when two spans are closer than two pads."""
    for i, speech in enumerate(speeches):
        if i == 0:
            speech["start"] = int(max(0, speech["start"] - pad))
        if i != len(speeches) - 1:
            silence = speeches[i + 1]["start"] - speech["end"]
            if silence < 2 * pad:
                speech["end"] += int(silence // 2)
                speeches[i + 1]["start"] = int(max(0, speeches[i + 1]["start"] - silence // 2))
            else:
                speech["end"] = int(min(n_samples, speech["end"] + pad))
                speeches[i + 1]["start"] = int(max(0, speeches[i + 1]["start"] - pad))
        else:
            speech["end"] = int(min(n_samples, speech["end"] + pad))
    return speeches
