"""decode: any audio or video file -> 16 kHz mono WAV of the chosen audio track (ffmpeg, PyAV fallback)."""

from __future__ import annotations

import sys
from pathlib import Path

from .media.audio import SAMPLE_RATE, wav_duration
from .media.decoding import to_wav
from .runtime.errors import BadInput, ConfigProblem
from .runtime.protocol import Channel
from .runtime.stage_requests import DecodeRequest
from .runtime.typed_json import JsonObject


def run(request: DecodeRequest, channel: Channel) -> JsonObject:
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
        **({"frameRate": probe.frame_rate} if probe.frame_rate else {}),
    }
