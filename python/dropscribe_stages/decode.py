"""decode: any audio or video file -> 16 kHz mono WAV of the chosen audio track (ffmpeg, PyAV fallback)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from .audio import SAMPLE_RATE, pcm_output_args, wav_duration, write_wav_atomic
from .errors import BadInput, ConfigProblem, DiskFull, NoAudio
from .ffmpeg_locator import find_ffmpeg
from .loudness import levels_ffmpeg, levels_pyav
from .protocol import Channel
from .stage_requests import DecodeRequest
from .streams import Choice, Probe, choose_stream, last_line, probe_ffmpeg, probe_pyav


def run(request: DecodeRequest, channel: Channel) -> dict:
    source = Path(request.source)
    try:
        with open(source, "rb"):
            pass
    except PermissionError as exc:
        if sys.platform == "darwin":
            raise ConfigProblem(
                "macOS denied access to the file. Give the node binary that runs dropscribe Full Disk Access "
                "(System Settings > Privacy & Security > Full Disk Access), then run `dropscribe restart`."
            ) from exc
        raise BadInput(f"no permission to read the file ({exc})") from exc
    except OSError:
        pass  # missing or not a file: said below
    if not source.is_file():
        raise BadInput(f"the input file is gone or is not a regular file: {source}")
    if source.stat().st_size == 0:
        raise BadInput("the input file is empty (0 bytes)")
    out_dir = Path(request.out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / "audio.wav"
    probe, choice, decoder = to_wav(source, target, request.audio_stream, channel)
    duration = wav_duration(target)
    if duration <= 0.0:
        target.unlink(missing_ok=True)
        raise BadInput("the audio track decoded to zero samples (truncated or corrupt file?)")
    return {
        "audio": str(target),
        "durationSec": round(duration, 3),
        "sampleRate": SAMPLE_RATE,
        "streamIndex": choice.stream.index,
        "codec": choice.stream.codec,
        "hasVideo": probe.has_video,
        "decoder": decoder,
    }


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

    def measure(streams):
        if ffmpeg:
            return levels_ffmpeg(ffmpeg.path, source, streams, probe.duration, target.parent)
        return levels_pyav(source, streams)

    choice = choose_stream(probe.audio_streams, wanted_stream, measure)
    if choice.warning:
        channel.warning(choice.warning)
    if ffmpeg:
        decode_ffmpeg(ffmpeg.path, source, choice.stream.index, target, probe.duration, channel)
    else:
        decode_pyav(source, choice.stream.index, target)
    return probe, choice, "ffmpeg" if ffmpeg else "pyav"


def decode_ffmpeg(
    ffmpeg: str, source: Path, stream_index: int, target: Path, duration: float, channel: Channel
) -> None:
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp.wav")
    argv = [
        ffmpeg,
        "-nostdin",
        "-hide_banner",
        "-loglevel",
        "error",
        "-y",
        "-i",
        f"file:{source}",
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
    with open(tmp, "rb") as f:
        os.fsync(f.fileno())
    os.replace(tmp, target)


def decode_pyav(source: Path, stream_index: int, target: Path) -> None:
    import av
    import numpy as np

    chunks = []
    try:
        with av.open(str(source)) as container:
            stream = next(s for s in container.streams.audio if s.index == stream_index)
            resampler = av.AudioResampler(format="s16", layout="mono", rate=SAMPLE_RATE)
            for frame in container.decode(stream):
                for out in resampler.resample(frame):
                    chunks.append(out.to_ndarray().reshape(-1))
            for out in resampler.resample(None):
                chunks.append(out.to_ndarray().reshape(-1))
    except av.FFmpegError as exc:
        raise BadInput(f"PyAV could not decode the audio ({exc})") from exc
    pcm = np.concatenate(chunks) if chunks else np.zeros(0, dtype=np.int16)
    write_wav_atomic(target, pcm.astype(np.float32) / 32768.0)
