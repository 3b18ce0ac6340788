"""What audio tracks a file has (ffmpeg -i, or PyAV), and which one to transcribe."""

from __future__ import annotations

import re
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ..runtime.errors import BadInput
from .media_input import ffmpeg_input, ffmpeg_refusal, open_pyav

# A track whose loud moments stay below this level (dBFS, see loudness.activity_db) is taken as silent.
SILENT_DB = -50.0
HOW_TO_CHOOSE = (
    "To choose a track, set its stream number as `job.audioStream` in the config, or `audioStream` in a folder rule."
)


@dataclass
class Stream:
    index: int
    codec: str
    channels: int
    default: bool
    language: str | None = None


@dataclass
class Probe:
    duration: float
    audio_streams: list[Stream]
    has_video: bool
    format: str | None = None  # the demuxer that read it, as ffmpeg names it ("mov,mp4,m4a,3gp,3g2,mj2")
    frame_rate: float | None = None  # frames a second of the first video stream that is not cover art


@dataclass
class Choice:
    stream: Stream
    warning: str | None  # what was chosen and why, when there was a choice to make


INPUT_LINE = re.compile(r"^Input #0, (.+?), from '", re.MULTILINE)
STREAM_LINE = re.compile(r"^\s*Stream #0:(\d+)(?:\[0x[0-9a-f]+\])?(?:\((\w+)\))?: (Audio|Video): (\S+?),? (.*)$")
FPS = re.compile(r", (\d+(?:\.\d+)?) fps")
CHANNELS = {"mono": 1, "stereo": 2, "2.1": 3, "quad": 4, "5.0": 5, "5.1": 6, "6.1": 7, "7.1": 8}


def parse_ffmpeg_info(stderr: str) -> Probe | None:
    """Streams and duration from what `ffmpeg -i FILE` prints; None when ffmpeg did not open the file as media."""
    if "Input #0" not in stderr:
        return None
    audio: list[Stream] = []
    has_video = False
    frame_rate: float | None = None
    for line in stderr.splitlines():
        m = STREAM_LINE.match(line)
        if not m:
            continue
        index, language, kind, codec, rest = m.groups()
        if kind == "Video":
            if "(attached pic)" not in rest:
                has_video = True
                fps = FPS.search(rest)
                frame_rate = frame_rate or (float(fps.group(1)) if fps else None)
            continue
        layout = next((name for name in CHANNELS if re.search(rf"(^|, ){re.escape(name)}(\(|,|$)", rest)), None)
        counted = re.search(r"(\d+) channels", rest)
        channels = CHANNELS[layout] if layout else int(counted.group(1)) if counted else 0
        audio.append(
            Stream(int(index), codec, channels, "(default)" in rest, None if language in (None, "und") else language)
        )
    d = re.search(r"Duration: (\d+):(\d\d):(\d\d(?:\.\d+)?)", stderr)
    duration = int(d.group(1)) * 3600 + int(d.group(2)) * 60 + float(d.group(3)) if d else 0.0
    fmt = INPUT_LINE.search(stderr)
    return Probe(
        duration=duration,
        audio_streams=audio,
        has_video=has_video,
        format=fmt.group(1) if fmt else None,
        frame_rate=frame_rate,
    )


def last_line(text: str) -> str:
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    return lines[-1] if lines else "no details"


def probe_ffmpeg(ffmpeg: str, source: Path) -> Probe:
    done = subprocess.run(
        [ffmpeg, "-nostdin", "-hide_banner", *ffmpeg_input(source)],
        capture_output=True,
        text=True,
        errors="replace",
        stdin=subprocess.DEVNULL,
    )
    probe = parse_ffmpeg_info(done.stderr)
    if probe is None:
        refused = ffmpeg_refusal(ffmpeg, source, done.stderr)
        raise refused or BadInput(f"not a readable audio or video file ({last_line(done.stderr)})")
    return probe


def probe_pyav(source: Path) -> Probe:
    import av
    import av.error
    import av.stream

    try:
        with open_pyav(source) as container:
            fmt = container.format.name
            audio = [
                Stream(
                    s.index,
                    s.codec_context.name,
                    s.codec_context.channels,
                    bool(s.disposition & av.stream.Disposition.default) if hasattr(av.stream, "Disposition") else False,
                    s.language,
                )
                for s in container.streams.audio
            ]
            cover = av.stream.Disposition.attached_pic if hasattr(av.stream, "Disposition") else None
            video = [s for s in container.streams.video if not (cover and s.disposition & cover)]
            has_video = len(video) > 0
            rate = video[0].average_rate if video else None
            frame_rate = round(float(rate), 3) if rate else None
            duration = float(container.duration or 0) / 1e6
    except av.error.FFmpegError as exc:
        raise BadInput(f"not a readable audio or video file ({exc})") from exc
    return Probe(duration=duration, audio_streams=audio, has_video=has_video, format=fmt, frame_rate=frame_rate)


def describe(s: Stream) -> str:
    details = ", ".join(x for x in (s.codec, s.language, "default" if s.default else None) if x)
    return f"stream {s.index} ({details})"


def choose_stream(
    streams: list[Stream], wanted: int | None, measure: Callable[[list[Stream]], dict[int, float]]
) -> Choice:
    """The requested stream; else the default one, unless it is silent and another track is not.

    `measure` returns each stream's activity level in dBFS; it is called only when there is a choice to make.
    """
    if wanted is not None:
        for s in streams:
            if s.index == wanted:
                return Choice(s, None)
        listed = "; ".join(describe(s) for s in streams)
        raise BadInput(
            f"audioStream {wanted} does not exist in this file. Its audio streams: {listed}. "
            "Set `audioStream` to one of these numbers, or to null to choose automatically."
        )
    default = next((s for s in streams if s.default), streams[0])
    if len(streams) == 1:
        return Choice(default, None)
    levels = measure(streams)
    if any(s.index not in levels for s in streams):
        return Choice(
            default,
            f"{len(streams)} audio tracks whose loudness could not be compared; using the default "
            f"track, {describe(default)}. {HOW_TO_CHOOSE}",
        )
    silent = [s for s in streams if levels[s.index] < SILENT_DB]
    heard = sorted((s for s in streams if s not in silent), key=lambda s: levels[s.index], reverse=True)
    if default not in silent:
        return Choice(
            default, f"{len(streams)} audio tracks; using the default track, {describe(default)}. {HOW_TO_CHOOSE}"
        )
    if heard:
        best = heard[0]
        return Choice(
            best,
            f"the default audio track, {describe(default)}, is silent; using {describe(best)}, "
            f"which has sound (loudest {levels[best.index]:.0f} dBFS). {HOW_TO_CHOOSE}",
        )
    return Choice(
        default,
        f"every one of the {len(streams)} audio tracks seems silent; the recording may have no sound. "
        f"Using the default track, {describe(default)}. {HOW_TO_CHOOSE}",
    )
