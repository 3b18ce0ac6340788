"""The first pass of the transcribe stage: the request's speech (or its window's) read and given to its backend.

An English-only model has its language checked first; with `segmentsFile` the segments a killed attempt committed are
kept and the pass continues after them (committed.py). MLX crashes when transcribe() is called twice in one process,
so an MLX request always gets a fresh process.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from ..media.audio import SAMPLE_RATE, PcmFile
from ..runtime.protocol import Channel
from ..runtime.stage_requests import TranscribeRequest
from ..runtime.typed_json import JsonObject, to_json
from ..speech.spans import first_speech, window_label
from ..speech.windows import spans_in
from ..weights.models import is_english_only
from .committed import CommittedSegments, request_key, spans_after, speech_before
from .language_check import check_language
from .turn_languages import WindowLanguages

_mlx_used = False


@dataclass
class Recognized:
    """What the first pass heard: its segments and language, over which speech, and since when it ran."""

    samples: PcmFile
    duration: float
    spans: list[JsonObject]
    segments: list[JsonObject]
    language: str
    probability: float
    resumed_after: float | None
    watch: WindowLanguages | None
    started: float


def recognize(request: TranscribeRequest, channel: Channel) -> Recognized:
    global _mlx_used
    backend = request.backend
    if backend == "mlx" and _mlx_used:
        raise RuntimeError("MLX transcribe() must not run twice in one process; the daemon runs it one-shot")
    language = request.language
    samples = PcmFile(request.audio)
    duration = len(samples) / SAMPLE_RATE
    spans = to_json(request.speech) if request.speech is not None else [{"start": 0.0, "end": duration}]
    window = request.window
    if window:
        spans = spans_in(spans, window.start, window.end)
    if is_english_only(request.model):
        if not window or window.index == 0:
            check_language(request, first_speech(samples, spans), channel)
        language = "en"
        if request.task == "translate" and not (window and window.index):
            channel.warning(
                f"model {request.model} only knows English, so it cannot translate; choose a multilingual model"
            )
    started = time.monotonic()
    if backend == "mlx":
        _mlx_used = True
    committed = CommittedSegments(request.segments_file, request_key(request, spans)) if request.segments_file else None
    kept = committed.load() if committed else []
    resumed_after = committed.end if committed and kept else None
    left = spans
    if committed is not None and resumed_after is not None:
        left = spans_after(spans, resumed_after)
        if language is None and committed.language:
            language = committed.language[0]
        channel.progress(
            speech_before(spans, resumed_after) / max(1e-6, sum(s["end"] - s["start"] for s in spans)),
            f"{window_label(request)}continuing after {resumed_after:.1f}s: {len(kept)} committed segments kept",
        )
    watch = WindowLanguages(request.languages or None) if backend == "faster-whisper" and language is None else None
    try:
        if backend == "faster-whisper":
            from .faster_whisper import transcribe as faster_whisper

            before = speech_before(spans, resumed_after) if resumed_after is not None else 0.0
            segments, detected, probability = faster_whisper(
                request, samples, left, language, channel, committed, before, watch
            )
        elif backend == "openai":
            from .openai_server import transcribe as openai_server

            segments, detected, probability = openai_server(request, samples, left, language, channel)
        else:
            from .mlx import transcribe as mlx

            segments, detected, probability = mlx(request, samples, left, language, channel)
    finally:
        if committed:
            committed.close()
    if kept and committed is not None:
        segments = kept + segments
        if committed.language:
            detected, probability = committed.language
    return Recognized(samples, duration, spans, segments, detected, probability, resumed_after, watch, started)
