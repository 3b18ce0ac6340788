"""The GE2E speaker encoder (resemblyzer's network) in numpy: power mel frames -> 3-layer LSTM -> 256-d voice vectors.

Port notes (see ../shared/SPEAKERS.md): torch's LSTM gate order is i, f, g, o and it adds bias_ih + bias_hh; the input
is a power (not log) mel spectrogram with Slaney mel scale and area normalisation, a periodic Hann window and centred
zero-padded frames; each window's volume is raised (never lowered) to -30 dBFS first.
"""

from __future__ import annotations

import numpy as np

from ..media.audio import SAMPLE_RATE

N_FFT = 400
HOP = 160
N_MELS = 40
WINDOW_FRAMES = 160  # 1.6 s partials
TARGET_DBFS = -30.0
LAYERS = 3


def _hz_to_mel(hz: np.ndarray) -> np.ndarray:
    hz = np.asarray(hz, dtype=np.float64)
    mel = hz / (200.0 / 3)
    log_region = hz >= 1000.0
    mel[log_region] = 15.0 + np.log(hz[log_region] / 1000.0) / (np.log(6.4) / 27.0)
    return mel


def _mel_to_hz(mel: np.ndarray) -> np.ndarray:
    mel = np.asarray(mel, dtype=np.float64)
    hz = mel * (200.0 / 3)
    log_region = mel >= 15.0
    hz[log_region] = 1000.0 * np.exp((np.log(6.4) / 27.0) * (mel[log_region] - 15.0))
    return hz


def mel_filters() -> np.ndarray:
    """(40, 201) Slaney mel filterbank with Slaney area normalisation (librosa.filters.mel's defaults)."""
    fft_freqs = np.linspace(0, SAMPLE_RATE / 2, 1 + N_FFT // 2)
    low, high = float(_hz_to_mel(np.array([0.0]))[0]), float(_hz_to_mel(np.array([SAMPLE_RATE / 2]))[0])
    edges = _mel_to_hz(np.linspace(low, high, N_MELS + 2))
    widths = np.diff(edges)
    ramps = edges[:, None] - fft_freqs[None, :]
    lower = -ramps[:-2] / widths[:-1, None]
    upper = ramps[2:] / widths[1:, None]
    weights = np.maximum(0, np.minimum(lower, upper))
    weights *= (2.0 / (edges[2:] - edges[:-2]))[:, None]
    return weights.astype(np.float32)


_FILTERS = mel_filters()
_HANN = (0.5 - 0.5 * np.cos(2 * np.pi * np.arange(N_FFT) / N_FFT)).astype(np.float32)


def power_mel(samples: np.ndarray) -> np.ndarray:
    """(frames, 40) power mel spectrogram of float samples, one frame every 10 ms, centred (zero-padded edges)."""
    padded = np.pad(np.asarray(samples, dtype=np.float32), N_FFT // 2)
    count = 1 + (len(padded) - N_FFT) // HOP if len(padded) >= N_FFT else 0
    if count == 0:
        return np.zeros((0, N_MELS), dtype=np.float32)
    frames = np.lib.stride_tricks.as_strided(
        padded, shape=(count, N_FFT), strides=(padded.strides[0] * HOP, padded.strides[0])
    )
    spectrum = np.abs(np.fft.rfft(frames * _HANN, axis=1)) ** 2
    return (spectrum.astype(np.float32) @ _FILTERS.T).astype(np.float32)


def volume_gain(samples: np.ndarray) -> float:
    """Amplitude gain that raises `samples` to TARGET_DBFS; 1.0 when they are already louder (increase only)."""
    rms = float(np.sqrt(np.mean(np.square(samples, dtype=np.float64)))) if len(samples) else 0.0
    if rms <= 1e-9:
        return 1.0
    change = TARGET_DBFS - 20 * np.log10(rms)
    return float(10 ** (change / 20)) if change > 0 else 1.0


class SpeakerEncoder:
    """Embeds batches of (WINDOW_FRAMES, 40) mel windows into L2-normalised 256-d vectors."""

    def __init__(self, weights: dict[str, np.ndarray]) -> None:
        self.w_ih = [weights[f"lstm.weight_ih_l{k}"].T.astype(np.float32) for k in range(LAYERS)]
        self.w_hh = [weights[f"lstm.weight_hh_l{k}"].T.astype(np.float32) for k in range(LAYERS)]
        self.bias = [
            (weights[f"lstm.bias_ih_l{k}"] + weights[f"lstm.bias_hh_l{k}"]).astype(np.float32) for k in range(LAYERS)
        ]
        self.linear_w = weights["linear.weight"].T.astype(np.float32)
        self.linear_b = weights["linear.bias"].astype(np.float32)

    def embed(self, mels: np.ndarray) -> np.ndarray:
        """(batch, frames, 40) -> (batch, 256)."""
        x = np.asarray(mels, dtype=np.float32)
        batch, steps, _ = x.shape
        h = np.zeros((batch, 0), dtype=np.float32)  # the last layer's state, set below (LAYERS > 0)
        for layer in range(LAYERS):
            hidden = self.w_hh[layer].shape[0]
            inputs = (x.reshape(batch * steps, -1) @ self.w_ih[layer] + self.bias[layer]).reshape(batch, steps, -1)
            h = np.zeros((batch, hidden), dtype=np.float32)
            c = np.zeros((batch, hidden), dtype=np.float32)
            out = np.empty((batch, steps, hidden), dtype=np.float32) if layer < LAYERS - 1 else None
            for t in range(steps):
                gates = inputs[:, t] + h @ self.w_hh[layer]
                i = _sigmoid(gates[:, :hidden])
                f = _sigmoid(gates[:, hidden : 2 * hidden])
                g = np.tanh(gates[:, 2 * hidden : 3 * hidden])
                o = _sigmoid(gates[:, 3 * hidden :])
                c = f * c + i * g
                h = o * np.tanh(c)
                if out is not None:
                    out[:, t] = h
            if out is not None:
                x = out
        raw = np.maximum(h @ self.linear_w + self.linear_b, 0)
        return raw / np.maximum(np.linalg.norm(raw, axis=1, keepdims=True), 1e-9)


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 0.5 * (np.tanh(0.5 * x) + 1.0)
