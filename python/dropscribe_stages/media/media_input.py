"""How a dropped file is opened as media, by ffmpeg or PyAV: as a local file, by one of the demuxers of audio and video
files, and for at most as much audio as its size can hold.

Without these limits a few bytes decode to hours: an ffconcat list saved as `.mp3` repeats other files, an SBaGen
script synthesizes sound, a playlist fetches segments, a tracker module plays for as long as it likes.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

from ..runtime.errors import BadInput

# ffmpeg's demuxers for audio and video files. None of them opens another file or a network address, or makes up
# sound: concat, hls, dash, imf, sbg, lavfi, image sequences and tracker modules are left out on purpose.
DEMUXERS = (
    "aac", "ac3", "aiff", "amr", "amrnb", "amrwb", "ape", "asf", "au", "avi", "caf", "dts", "dv", "eac3", "flac",
    "flv", "loas", "matroska", "mov", "mp3", "mpc", "mpc8", "mpeg", "mpegts", "mxf", "ogg", "rm", "spdif", "truehd",
    "tta", "w64", "wav", "wv",
)  # fmt: skip
OPEN_OPTIONS = {"format_whitelist": ",".join(DEMUXERS), "protocol_whitelist": "file"}

# The least a real recording holds per second of audio: 32 bytes (256 bit/s), a third of the leanest speech codec
# (codec2 at 700 bit/s; AMR 4750, Opus 6000). A file that decodes to more than its size allows at this rate is refused.
MIN_BYTES_PER_SEC = 32


def max_seconds(source: Path) -> float:
    """The most audio `source` may decode to."""
    return source.stat().st_size / MIN_BYTES_PER_SEC


def too_long(source: Path) -> BadInput:
    size = source.stat().st_size
    return BadInput(
        f"refused: this {size:,}-byte file decodes to more audio than a file of its size can hold "
        f"(over {max_seconds(source):.0f} s, at least {MIN_BYTES_PER_SEC} bytes a second of audio in any real "
        "recording); it is crafted to expand, or is nothing but digital silence"
    )


def allowed(format_name: str) -> bool:
    """Whether ffmpeg's name of a demuxer ("mov,mp4,m4a,3gp,3g2,mj2") is one of DEMUXERS."""
    return any(name in DEMUXERS for name in format_name.split(","))


def pinned(format_name: str | None) -> str | None:
    """The name that opens a file with the demuxer that probed it (`-f mov` for "mov,mp4,m4a,3gp,3g2,mj2")."""
    return format_name.split(",")[0] if format_name else None


def ffmpeg_input(source: Path, format_name: str | None = None) -> list[str]:
    """ffmpeg's options that open `source` as a local file with an allowed demuxer (the probed one, when known)."""
    fmt = pinned(format_name)
    options = [x for name, value in OPEN_OPTIONS.items() for x in (f"-{name}", value)]
    return [*options, *(["-f", fmt] if fmt else []), "-i", f"file:{source}"]


def open_pyav(source: Path, format_name: str | None = None):
    """A PyAV container of `source` read as a local file with an allowed demuxer; a refused format is BadInput."""
    import av
    import av.error

    try:
        container = av.open(f"file:{source}", format=pinned(format_name), options=dict(OPEN_OPTIONS))
    except av.error.FFmpegError as exc:
        refused = pyav_probed_format(source)
        if refused and not allowed(refused):
            raise refused_format(refused) from exc
        raise
    if not allowed(container.format.name):
        container.close()
        raise refused_format(container.format.name)
    return container


def refused_format(name: str | None) -> BadInput:
    what = f"as '{name}'" if name else "in a format"
    return BadInput(
        f"refused: ffmpeg would read this file {what}, which is not an audio or video file format; dropscribe reads "
        "audio and video files (mp3, wav, m4a, mp4, mov, mkv, webm, ogg, opus, flac, aac, aiff, caf, wma, avi, ts, "
        "...) and never formats that open other files or make up sound (concat lists, playlists, synthesizer scripts)"
    )


PROBED = re.compile(r"Format (\S+) probed with size")


def ffmpeg_refusal(ffmpeg: str, source: Path, stderr: str) -> BadInput | None:
    """The refusal ffmpeg's `stderr` reports, naming the format it probed (asked again, still refused); else None."""
    if "Format not on whitelist" not in stderr:
        return None
    done = subprocess.run(
        [ffmpeg, "-nostdin", "-hide_banner", "-loglevel", "debug", *ffmpeg_input(source)],
        capture_output=True,
        text=True,
        errors="replace",
        stdin=subprocess.DEVNULL,
    )
    found = PROBED.search(done.stderr)
    return refused_format(found.group(1) if found else None)


def pyav_probed_format(source: Path) -> str | None:
    """The format libavformat probes for `source`, from its debug log of an open that the allow-list refuses."""
    import av
    import av.error
    import av.logging

    level = av.logging.get_level()
    av.logging.set_level(av.logging.DEBUG)
    try:
        with av.logging.Capture() as logs:
            try:
                av.open(f"file:{source}", options=dict(OPEN_OPTIONS)).close()
            except av.error.FFmpegError:
                pass
    finally:
        av.logging.set_level(level)
    found = next((PROBED.search(text) for _, _, text in logs if PROBED.search(text)), None)
    return found.group(1) if found else None
