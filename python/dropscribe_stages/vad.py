"""vad: Silero voice activity detection (the ONNX model inside the faster-whisper wheel) -> speech spans."""

from __future__ import annotations

from .audio import SAMPLE_RATE, read_wav
from .protocol import Channel


def prepare() -> None:
    """Import what run() needs, so a warm worker is ready before its first request."""
    try:
        import faster_whisper.vad  # noqa: F401
    except ImportError:
        pass  # run() reports it


def run(request: dict, channel: Channel) -> dict:
    from faster_whisper.vad import VadOptions, get_speech_timestamps

    audio = read_wav(request["audio"])
    options = VadOptions(
        threshold=request["threshold"],
        min_silence_duration_ms=request["minSilenceMs"],
        speech_pad_ms=request["speechPadMs"],
    )
    channel.progress(0.0, "detecting speech")
    spans = get_speech_timestamps(audio, options, sampling_rate=SAMPLE_RATE)
    segments = [
        {"start": round(s["start"] / SAMPLE_RATE, 3), "end": round(s["end"] / SAMPLE_RATE, 3)} for s in spans
    ]
    channel.progress(1.0, f"{len(segments)} speech spans")
    return {"segments": segments, "speechSec": round(sum(s["end"] - s["start"] for s in segments), 3)}
