"""decode: any audio or video file -> 16 kHz mono WAV of the chosen audio track (ffmpeg, PyAV fallback)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from .audio import SAMPLE_RATE, wav_duration, write_wav_atomic
from .errors import BadInput, ConfigProblem, NoAudio, Temporary
from .protocol import Channel


@dataclass
class Probe:
    duration: float
    audio_streams: list[dict]  # each: index, codec, channels, default
    has_video: bool


def run(request: dict, channel: Channel) -> dict:
    source = Path(request["source"])
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
    out_dir = Path(request["outDir"])
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / "audio.wav"
    probe, stream, decoder = to_wav(source, target, request.get("audioStream"), channel)
    duration = wav_duration(target)
    if duration <= 0.0:
        target.unlink(missing_ok=True)
        raise BadInput("the audio track decoded to zero samples (truncated or corrupt file?)")
    return {
        "audio": str(target),
        "durationSec": round(duration, 3),
        "sampleRate": SAMPLE_RATE,
        "streamIndex": stream["index"],
        "codec": stream["codec"],
        "hasVideo": probe.has_video,
        "decoder": decoder,
    }


def to_wav(source: Path, target: Path, wanted_stream: int | None, channel: Channel) -> tuple[Probe, dict, str]:
    """Decode one audio track of `source` to a 16 kHz mono WAV at `target` (atomically)."""
    use_ffmpeg = shutil.which("ffmpeg") is not None and shutil.which("ffprobe") is not None
    probe = probe_ffprobe(source) if use_ffmpeg else probe_pyav(source)
    if not probe.audio_streams:
        kind = "video file" if probe.has_video else "file"
        raise NoAudio(f"this {kind} has no audio track, so there is nothing to transcribe")
    stream = pick_stream(probe.audio_streams, wanted_stream)
    if len(probe.audio_streams) > 1:
        channel.warning(f"{len(probe.audio_streams)} audio tracks; using stream {stream['index']} ({stream['codec']})")
    if use_ffmpeg:
        decode_ffmpeg(source, stream["index"], target, probe.duration, channel)
    else:
        decode_pyav(source, stream["index"], target)
    return probe, stream, "ffmpeg" if use_ffmpeg else "pyav"


def pick_stream(streams: list[dict], wanted: int | None) -> dict:
    """The requested stream, else the one marked default, else the first."""
    if wanted is not None:
        for s in streams:
            if s["index"] == wanted:
                return s
        raise BadInput(f"audio stream {wanted} does not exist; audio streams: {[s['index'] for s in streams]}")
    return next((s for s in streams if s["default"]), streams[0])


def last_line(text: str) -> str:
    lines = [l.strip() for l in text.strip().splitlines() if l.strip()]
    return lines[-1] if lines else "no details"


def probe_ffprobe(source: Path) -> Probe:
    argv = ["ffprobe", "-v", "error", "-print_format", "json", "-show_format", "-show_streams", f"file:{source}"]
    done = subprocess.run(argv, capture_output=True, text=True, stdin=subprocess.DEVNULL)
    if done.returncode != 0:
        raise BadInput(f"not a readable audio or video file ({last_line(done.stderr)})")
    info = json.loads(done.stdout or "{}")
    streams = info.get("streams", [])
    audio = [
        {
            "index": int(s["index"]),
            "codec": s.get("codec_name", "unknown"),
            "channels": int(s.get("channels") or 0),
            "default": bool((s.get("disposition") or {}).get("default")),
        }
        for s in streams
        if s.get("codec_type") == "audio"
    ]
    has_video = any(
        s.get("codec_type") == "video" and not (s.get("disposition") or {}).get("attached_pic") for s in streams
    )
    duration = float((info.get("format") or {}).get("duration") or 0.0)
    return Probe(duration=duration, audio_streams=audio, has_video=has_video)


def decode_ffmpeg(source: Path, stream_index: int, target: Path, duration: float, channel: Channel) -> None:
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp.wav")
    argv = [
        "ffmpeg", "-nostdin", "-hide_banner", "-loglevel", "error", "-y",
        "-i", f"file:{source}", "-map", f"0:{stream_index}", "-vn", "-sn", "-dn",
        "-ac", "1", "-ar", str(SAMPLE_RATE), "-c:a", "pcm_s16le", "-f", "wav",
        "-progress", "pipe:1", "-nostats", f"file:{tmp}",
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
            raise Temporary("the disk is full while decoding")
        raise BadInput(f"ffmpeg could not decode the audio ({last_line(stderr)})")
    with open(tmp, "rb") as f:
        os.fsync(f.fileno())
    os.replace(tmp, target)


def probe_pyav(source: Path) -> Probe:
    import av

    try:
        with av.open(str(source)) as container:
            audio = [
                {
                    "index": s.index,
                    "codec": s.codec_context.name,
                    "channels": s.codec_context.channels,
                    "default": bool(s.disposition & av.stream.Disposition.default) if hasattr(av.stream, "Disposition") else False,
                }
                for s in container.streams.audio
            ]
            has_video = len(container.streams.video) > 0
            duration = float(container.duration or 0) / 1e6
    except av.FFmpegError as exc:
        raise BadInput(f"not a readable audio or video file ({exc})") from exc
    return Probe(duration=duration, audio_streams=audio, has_video=has_video)


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
