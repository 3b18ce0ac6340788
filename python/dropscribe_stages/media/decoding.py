"""Decoding the chosen audio track of a media file to the 16 kHz mono WAV the stages read (ffmpeg, PyAV fallback)."""

from __future__ import annotations

import os
import subprocess
import wave
from itertools import chain
from pathlib import Path

from ..runtime.errors import BadInput, ConfigProblem, DiskFull, NoAudio
from ..runtime.protocol import Channel
from .audio import SAMPLE_RATE, pcm_output_args, wav_duration
from .ffmpeg_locator import find_ffmpeg
from .loudness import levels_ffmpeg, levels_pyav
from .media_input import ffmpeg_input, max_seconds, open_pyav, too_long
from .streams import Choice, Probe, Stream, choose_stream, last_line, probe_ffmpeg, probe_pyav


def to_wav(source: Path, target: Path, wanted_stream: int | None, channel: Channel) -> tuple[Probe, Choice, str]:
    """Decode the chosen audio track of `source` to a 16 kHz mono WAV at `target` (atomically)."""
    ffmpeg = find_ffmpeg()
    if ffmpeg and ffmpeg.version is None:
        raise ConfigProblem(
            f"DROPSCRIBE_FFMPEG is set to {ffmpeg.path}, which does not run as ffmpeg; "
            "point it at an ffmpeg binary or unset it to use the bundled one"
        )
    probe = probe_ffmpeg(ffmpeg.path, source) if ffmpeg else probe_pyav(source)
    if not probe.audio_streams:
        kind = "video file" if probe.has_video else "file"
        raise NoAudio(f"this {kind} has no audio track, so there is nothing to transcribe")

    def measure(streams: list[Stream]) -> dict[int, float]:
        if ffmpeg:
            return levels_ffmpeg(ffmpeg.path, source, streams, probe.duration, target.parent, probe.format)
        return levels_pyav(source, streams, probe.format)

    choice = choose_stream(probe.audio_streams, wanted_stream, measure)
    if choice.warning:
        channel.warning(choice.warning)
    if ffmpeg:
        decode_ffmpeg(ffmpeg.path, source, probe.format, choice.stream.index, target, probe.duration, channel)
    else:
        decode_pyav(source, probe.format, choice.stream.index, target)
    return probe, choice, "ffmpeg" if ffmpeg else "pyav"


def decode_ffmpeg(
    ffmpeg: str, source: Path, fmt: str | None, stream_index: int, target: Path, duration: float, channel: Channel
) -> None:
    """Decode with ffmpeg, reading `source` with the demuxer `fmt` that probed it, and at most max_seconds of it."""
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp.wav")
    limit = max_seconds(source)
    argv = [
        ffmpeg,
        "-nostdin",
        "-hide_banner",
        "-loglevel",
        "error",
        "-y",
        *ffmpeg_input(source, fmt),
        "-t",
        f"{limit:.3f}",
        "-map",
        f"0:{stream_index}",
        "-vn",
        "-sn",
        "-dn",
        *pcm_output_args("wav"),
        "-progress",
        "pipe:1",
        "-nostats",
        f"file:{tmp}",
    ]
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, stdin=subprocess.DEVNULL)
    assert proc.stdout is not None
    for line in proc.stdout:
        if line.startswith("out_time_us=") and duration > 0:
            try:
                done_s = int(line.split("=", 1)[1]) / 1e6
            except ValueError:
                continue
            channel.progress(done_s / duration, "decoding")
    stderr = proc.stderr.read() if proc.stderr else ""
    if proc.wait() != 0:
        tmp.unlink(missing_ok=True)
        if "No space left" in stderr:
            raise DiskFull(f"the disk is full while decoding ({last_line(stderr)})")
        raise BadInput(f"ffmpeg could not decode the audio ({last_line(stderr)})")
    if wav_duration(tmp) >= limit - 0.01:
        tmp.unlink(missing_ok=True)
        raise too_long(source)
    with open(tmp, "rb") as f:
        os.fsync(f.fileno())
    os.replace(tmp, target)


def decode_pyav(source: Path, fmt: str | None, stream_index: int, target: Path) -> None:
    """Decode with PyAV into the WAV as frames come (nothing held in memory), at most max_seconds of `source`."""
    import av
    import av.error

    limit = int(max_seconds(source) * SAMPLE_RATE)
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp.wav")
    written = 0
    try:
        with open_pyav(source, fmt) as container, wave.open(str(tmp), "wb") as w:
            w.setnchannels(1)
            w.setsampwidth(2)
            w.setframerate(SAMPLE_RATE)
            stream = next(s for s in container.streams.audio if s.index == stream_index)
            resampler = av.AudioResampler(format="s16", layout="mono", rate=SAMPLE_RATE)
            for frame in chain(container.decode(stream), [None]):  # None: what the resampler still holds
                for out in resampler.resample(frame):
                    pcm = out.to_ndarray().reshape(-1).astype("<i2")
                    written += len(pcm)
                    if written > limit:
                        raise too_long(source)
                    w.writeframes(pcm.tobytes())
    except av.error.FFmpegError as exc:
        tmp.unlink(missing_ok=True)
        raise BadInput(f"PyAV could not decode the audio ({exc})") from exc
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    with open(tmp, "rb") as f:
        os.fsync(f.fileno())
    os.replace(tmp, target)
