"""faster-whisper's log-Mel features computed a few thousand frames at a time: the same numbers, flat memory.

faster-whisper computes the STFT of a whole window at once (in complex128 and float32 copies): about 400 MB for ten
minutes of speech, so the transcribe worker's peak grew with the window. The frames are independent, so they can be
computed in pieces; only the final clamp (8 below the loudest value) needs the whole, and it is applied at the end.
"""

from __future__ import annotations

from typing import Any

import numpy as np

PIECE_FRAMES = 3000  # 30 s of frames at a time


class PiecewiseFeatures:
    """Wraps a faster_whisper FeatureExtractor; every other attribute is the wrapped one's."""

    def __init__(self, inner: Any) -> None:
        self.__dict__["inner"] = inner

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)

    def __setattr__(self, name: str, value: Any) -> None:
        setattr(self.inner, name, value)

    def __call__(self, waveform: np.ndarray, padding: int = 160, chunk_length: int | None = None) -> np.ndarray:
        fx = self.inner
        if chunk_length is not None:
            fx.n_samples = chunk_length * fx.sampling_rate
            fx.nb_max_frames = fx.n_samples // fx.hop_length
        waveform = np.asarray(waveform, dtype=np.float32)
        if padding:
            waveform = np.pad(waveform, (0, padding))
        half = fx.n_fft // 2
        padded = np.pad(waveform, (half, half), mode="reflect")  # the centre padding stft() would add
        frames = 1 + (len(padded) - fx.n_fft) // fx.hop_length - 1  # faster-whisper drops the last frame
        window = np.hanning(fx.n_fft + 1)[:-1].astype("float32")
        out = np.empty((fx.mel_filters.shape[0], max(0, frames)), dtype=np.float32)
        for a in range(0, frames, PIECE_FRAMES):
            b = min(frames, a + PIECE_FRAMES)
            piece = padded[a * fx.hop_length : (b - 1) * fx.hop_length + fx.n_fft]
            stft = fx.stft(piece, fx.n_fft, fx.hop_length, window=window, center=False, return_complex=True)
            magnitudes = np.abs(stft.astype("complex64")) ** 2
            out[:, a:b] = np.log10(np.clip(fx.mel_filters @ magnitudes, a_min=1e-10, a_max=None))
        if out.size:
            np.maximum(out, out.max() - 8.0, out=out)
        return (out + 4.0) / 4.0
