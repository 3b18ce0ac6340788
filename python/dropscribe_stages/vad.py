"""vad: Silero voice activity detection (the ONNX model inside the faster-whisper wheel) -> speech spans and windows.

The recording is read and fed to Silero in pieces (audio.PcmFile), so memory stays flat in its length. Spans longer than
windows.MAX_SPAN_SEC are split at their quietest moment into adjacent pieces (nothing is lost); when the request
gives window bounds, the spans are also planned into transcription windows.
"""

from __future__ import annotations

import importlib

from .media.audio import SAMPLE_RATE, PcmFile
from .runtime.protocol import Channel
from .runtime.stage_requests import VadRequest
from .runtime.typed_json import JsonObject
from .speech.silero import FRAME, speech_probabilities, speech_spans
from .speech.windows import plan_windows, split_long_spans


def prepare() -> None:
    """Import what run() needs, so a warm worker is ready before its first request."""
    try:
        importlib.import_module("faster_whisper.vad")
    except ImportError:
        pass  # run() reports it


def run(request: VadRequest, channel: Channel) -> JsonObject:
    samples = PcmFile(request.audio)
    channel.progress(0.0, "detecting speech")
    probs = speech_probabilities(samples)
    found = speech_spans(probs, len(samples), request.threshold, request.min_silence_ms, request.speech_pad_ms)
    spans = [{"start": round(s["start"] / SAMPLE_RATE, 3), "end": round(s["end"] / SAMPLE_RATE, 3)} for s in found]
    spans = split_long_spans(spans, probs, FRAME / SAMPLE_RATE)
    del samples
    artifacts: JsonObject = {"segments": spans, "speechSec": round(sum(s["end"] - s["start"] for s in spans), 3)}
    if request.window_max_sec:
        artifacts["windows"] = plan_windows(spans, request.window_min_sec, request.window_max_sec)
    channel.progress(
        1.0,
        f"{len(spans)} speech spans" + (f" in {len(artifacts['windows'])} windows" if "windows" in artifacts else ""),
    )
    return artifacts
