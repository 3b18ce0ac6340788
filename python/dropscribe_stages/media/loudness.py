"""How loud each audio track of a file is, from a sample spread over the file (ffmpeg, or PyAV's first minutes)."""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path

import numpy as np

from .audio import SAMPLE_RATE, activity_db, pcm_output_args
from .media_input import ffmpeg_input, open_pyav
from .streams import Stream

WINDOWS = 8  # windows spread over a long file
WINDOW_SEC = 5.0
PYAV_SEC = 120.0  # PyAV reads the first two minutes instead of seeking


def sample_windows(duration: float) -> list[tuple[float, float]]:
    """(start, length) pairs: the whole file when it is short, else WINDOWS windows spread evenly from its start."""
    if duration <= WINDOWS * WINDOW_SEC * 1.5:
        return [(0.0, max(duration, WINDOWS * WINDOW_SEC * 1.5))]
    return [(duration / WINDOWS * k, WINDOW_SEC) for k in range(WINDOWS)]


def levels_ffmpeg(
    ffmpeg: str, source: Path, streams: list[Stream], duration: float, work_dir: Path, fmt: str | None = None
) -> dict[int, float]:
    """activity_db of every stream over the sample windows, decoded by one ffmpeg run; {} when ffmpeg fails."""
    windows = sample_windows(duration)
    argv = [ffmpeg, "-nostdin", "-hide_banner", "-loglevel", "error"]
    for start, length in windows:
        argv += ["-ss", f"{start:.3f}", "-t", f"{length:.3f}", *ffmpeg_input(source, fmt)]
    with tempfile.TemporaryDirectory(prefix=".levels-", dir=work_dir) as tmp:
        raw = {(k, s.index): Path(tmp) / f"{k}-{s.index}.raw" for k in range(len(windows)) for s in streams}
        for (k, index), path in raw.items():
            argv += ["-map", f"{k}:{index}", *pcm_output_args("s16le"), f"file:{path}"]
        done = subprocess.run(argv, capture_output=True, text=True, errors="replace", stdin=subprocess.DEVNULL)
        if done.returncode != 0:
            return {}
        return {
            s.index: activity_db(np.concatenate([read_raw(raw[(k, s.index)]) for k in range(len(windows))]))
            for s in streams
        }


def read_raw(path: Path) -> np.ndarray:
    return np.frombuffer(path.read_bytes(), dtype="<i2").astype(np.float32) / 32768.0 if path.exists() else np.zeros(0)


def levels_pyav(source: Path, streams: list[Stream], fmt: str | None = None) -> dict[int, float]:
    """activity_db of every stream over the first PYAV_SEC seconds, decoded by PyAV; {} when PyAV fails."""
    import av
    import av.error

    wanted = {s.index for s in streams}
    chunks: dict[int, list[np.ndarray]] = {i: [] for i in wanted}
    try:
        with open_pyav(source, fmt) as container:
            chosen = [s for s in container.streams.audio if s.index in wanted]
            resamplers = {s.index: av.AudioResampler(format="s16", layout="mono", rate=SAMPLE_RATE) for s in chosen}
            finished: set[int] = set()
            for packet in container.demux(chosen):
                if packet.pts is not None and packet.time_base and packet.pts * packet.time_base > PYAV_SEC:
                    finished.add(packet.stream.index)
                    if finished == wanted:
                        break
                    continue
                for frame in packet.decode():
                    if not isinstance(frame, av.AudioFrame):
                        continue  # only audio streams are demuxed
                    for out in resamplers[packet.stream.index].resample(frame):
                        chunks[packet.stream.index].append(out.to_ndarray().reshape(-1).astype(np.float32) / 32768.0)
    except av.error.FFmpegError:
        return {}
    return {i: activity_db(np.concatenate(c) if c else np.zeros(0)) for i, c in chunks.items()}
