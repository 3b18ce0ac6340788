"""Reading and writing the 16 kHz mono PCM WAV files that stages hand each other."""

from __future__ import annotations

import os
import wave
from pathlib import Path

import numpy as np

from ..runtime.contract import SAMPLE_RATE


def pcm_output_args(container: str) -> list[str]:
    """ffmpeg output options for the audio stages read: mono, SAMPLE_RATE, 16-bit PCM, in `container` (wav, s16le)."""
    return ["-ac", "1", "-ar", str(SAMPLE_RATE), "-c:a", "pcm_s16le", "-f", container]


def read_wav(path: str | Path) -> np.ndarray:
    """Return float32 samples in [-1, 1] from a 16 kHz mono 16-bit WAV."""
    with wave.open(str(path), "rb") as w:
        if w.getframerate() != SAMPLE_RATE or w.getnchannels() != 1 or w.getsampwidth() != 2:
            raise ValueError(f"{path} is not 16 kHz mono 16-bit PCM")
        frames = w.readframes(w.getnframes())
    return np.frombuffer(frames, dtype="<i2").astype(np.float32) / 32768.0


def wav_layout(path: str | Path) -> tuple[int, int]:
    """(byte offset of the samples, sample count) of a 16 kHz mono 16-bit PCM WAV."""
    with open(path, "rb") as f:
        head = f.read(12)
        if head[:4] not in (b"RIFF", b"RF64") or head[8:12] != b"WAVE":
            raise ValueError(f"{path} is not a WAV file")
        offset, data = 12, None
        while data is None:
            chunk = f.read(8)
            if len(chunk) < 8:
                raise ValueError(f"{path} has no data chunk")
            size = int.from_bytes(chunk[4:8], "little")
            if chunk[:4] == b"fmt ":
                fmt = f.read(size + size % 2)
                channels, rate, bits = (
                    int.from_bytes(fmt[2:4], "little"),
                    int.from_bytes(fmt[4:8], "little"),
                    int.from_bytes(fmt[14:16], "little"),
                )
                if (channels, rate, bits) != (1, SAMPLE_RATE, 16):
                    raise ValueError(f"{path} is not 16 kHz mono 16-bit PCM")
            elif chunk[:4] == b"data":
                data = (offset + 8, size)
            else:
                f.seek(size + size % 2, os.SEEK_CUR)
            offset += 8 + size + size % 2
        end = os.fstat(f.fileno()).st_size
    start, size = data
    return start, max(0, min(size, end - start)) // 2  # an RF64 or streamed header may hold a placeholder size


def map_wav(path: str | Path) -> np.ndarray:
    """The 16-bit samples of a WAV, memory-mapped (pages read stay resident while the map lives)."""
    start, count = wav_layout(path)
    if count == 0:
        return np.zeros(0, dtype="<i2")
    return np.memmap(path, dtype="<i2", mode="r", offset=start, shape=(count,))


class PcmFile:
    """The 16-bit samples of a WAV, read from the file when sliced: nothing stays mapped, so memory is flat."""

    def __init__(self, path: str | Path) -> None:
        self.path = str(path)
        self.offset, self.count = wav_layout(path)

    def __len__(self) -> int:
        return self.count

    def __getitem__(self, index: slice) -> np.ndarray:
        a, b, _ = index.indices(self.count)
        if b <= a:
            return np.zeros(0, dtype="<i2")
        return np.fromfile(self.path, dtype="<i2", count=b - a, offset=self.offset + 2 * a)


# 16-bit samples: in memory, memory-mapped, or a PcmFile read in pieces (all index and slice alike).
Samples = np.ndarray | PcmFile


def read_samples(samples: Samples, start_sec: float, end_sec: float) -> np.ndarray:
    """float32 samples in [-1, 1] of [start_sec, end_sec) from 16-bit samples (a PcmFile, memory map or array)."""
    a = max(0, int(start_sec * SAMPLE_RATE))
    b = max(a, min(len(samples), int(end_sec * SAMPLE_RATE)))
    return np.asarray(samples[a:b], dtype=np.float32) / 32768.0


def write_wav_atomic(path: Path, samples: np.ndarray) -> None:
    """Write float samples as 16 kHz mono 16-bit WAV through a temp file and rename."""
    pcm = (np.clip(samples, -1.0, 1.0) * 32767.0).astype("<i2")
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with wave.open(str(tmp), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(SAMPLE_RATE)
        w.writeframes(pcm.tobytes())
    with open(tmp, "rb") as f:
        os.fsync(f.fileno())
    os.replace(tmp, path)


def wav_duration(path: str | Path) -> float:
    with wave.open(str(path), "rb") as w:
        return w.getnframes() / float(w.getframerate())


def activity_db(samples: np.ndarray, frame: int = SAMPLE_RATE // 10) -> float:
    """How loud the loud moments are: the 95th percentile of 100 ms frame RMS levels, in dBFS (-120 for silence)."""
    usable = len(samples) // frame * frame
    if usable == 0:
        return -120.0
    rms = np.sqrt(np.mean(np.square(samples[:usable].astype(np.float64).reshape(-1, frame)), axis=1))
    return float(max(-120.0, 20.0 * np.log10(np.percentile(rms, 95) + 1e-10)))
