"""transcribe: speech -> segments with word timings, by faster-whisper (CTranslate2), mlx-whisper or a server.

A warm worker serves many faster-whisper requests; MLX crashes when transcribe() is called twice in one process,
so an MLX request always gets a fresh process. A request may name a window (a range of the recording planned by
the vad stage): then only that window's speech is read from the WAV (audio.PcmFile) and transcribed, with times in
the original recording. With `segmentsFile`, segments are committed as they come (committed.py) and a later attempt
continues after the last one, so a kill loses at most the recognizer's current 30 s.
"""

from __future__ import annotations

import os
import time
from dataclasses import replace
from pathlib import Path

from .asr.committed import CommittedSegments, request_key, spans_after, speech_before
from .asr.language_check import check_language
from .asr.quality import split_invented
from .asr.segments import clamp_segment
from .asr.turn_languages import WindowLanguages, per_turn, speech_by_language
from .asr.turn_languages import label as label_language
from .media.audio import SAMPLE_RATE, PcmFile
from .protocol import Channel, write_json_atomic
from .runtime.stage_requests import TranscribeRequest
from .runtime.typed_json import to_json
from .speech.spans import first_speech, window_label
from .speech.windows import spans_in
from .spoken_terms import strike_unspoken
from .weights.models import is_english_only

_mlx_used = False


def prepare() -> None:
    """Import faster-whisper and CTranslate2 now, so a warm worker is ready before its first request."""
    try:
        import faster_whisper as _package  # noqa: F401

        from .asr import faster_whisper as _backend  # noqa: F401
    except ImportError:
        pass  # run() reports it


def run(request: TranscribeRequest, channel: Channel) -> dict:
    global _mlx_used
    backend = request.backend
    if backend == "mlx" and _mlx_used:
        raise RuntimeError("MLX transcribe() must not run twice in one process; the daemon runs it one-shot")
    if backend == "faster-whisper":
        from .asr.faster_whisper import transcribe
    elif backend == "openai":
        from .asr.openai_server import transcribe
    else:
        from .asr.mlx import transcribe
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
    resumed_after = committed.end if kept else None
    left = spans
    if resumed_after is not None:
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
            before = speech_before(spans, resumed_after) if resumed_after is not None else 0.0
            segments, detected, probability = transcribe(
                request, samples, left, language, channel, committed, before, watch
            )
        else:
            segments, detected, probability = transcribe(request, samples, left, language, channel)
    finally:
        if committed:
            committed.close()
    if kept:
        segments = kept + segments
        if committed.language:
            detected, probability = committed.language
    segments = languages_per_turn(request, samples, spans, segments, detected, watch, channel)
    languages = speech_by_language(segments)
    if languages and languages[0]["language"] != detected:
        detected, probability = (
            languages[0]["language"],
            languages[0]["speechSec"] / sum(x["speechSec"] for x in languages),
        )
    if window:
        segments = [clamp_segment(seg, window.start, window.end) for seg in segments]
    segments, struck = strike_unspoken(segments, request.vocabulary)
    if backend == "faster-whisper" and any(s.again for s in struck):
        segments = sorted(segments + heard_again(request, samples, struck, detected, window), key=lambda s: s["start"])
    segments, suppressed = split_invented(segments)
    suppressed = sorted(suppressed + [s.as_suppressed() for s in struck], key=lambda s: s["start"])
    for s in suppressed:
        channel.warning(f"left out {s['text'].strip()!r} at {s['start']:.1f}s: it looks invented ({s['reason']})")
    out_dir = Path(request.out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / "transcript.json"
    write_json_atomic(target, {"segments": segments, "suppressed": suppressed})
    speech = sum(s["end"] - s["start"] for s in spans)
    channel.progress(
        1.0, f"{window_label(request)}transcribed {speech:.1f}s of speech in {time.monotonic() - started:.1f}s"
    )
    return {
        "transcript": str(target),
        "language": detected,
        "languageProbability": round(float(probability), 4),
        "durationSec": round(duration, 3),
        "backend": backend,
        "model": request.model,
        "segmentCount": len(segments),
        "languages": languages,
        "resumedAfterSec": None if resumed_after is None else round(resumed_after, 3),
    }


def languages_per_turn(request, samples, spans, segments, language, watch, channel) -> list[dict]:
    """`segments` with their language: the pass's, or where a window doubted it, each turn's own (turn_languages)."""
    if watch is None or not watch.doubted(language):
        return label_language(segments, language)
    from .asr.faster_whisper import load_model
    from .asr.faster_whisper import transcribe as transcribe_spans

    channel.progress(0.99, f"{window_label(request)}more than one language: finding each turn's")
    model = load_model(request, channel)

    def again(turn_spans: list[dict], other: str) -> list[dict]:
        return transcribe_spans(request, samples, turn_spans, other, channel)[0]

    found = per_turn(model, samples, spans, segments, language, request.languages or None, again)
    others = sorted({s["language"] for s in found} - {language})
    if others:
        channel.progress(0.99, f"{window_label(request)}turns in {', '.join(others)} transcribed in their language")
    return found


def heard_again(request: TranscribeRequest, samples, struck: list, language: str, window) -> list[dict]:
    """The speech of segments that held only listed terms never said (the recognizer recited the list over it),
    transcribed again without the vocabulary."""
    from .asr.faster_whisper import transcribe as transcribe_spans

    spans = [{"start": a, "end": b} for a, b in sorted({s.again for s in struck if s.again})]
    with open(os.devnull, "w") as sink:  # its progress would run back from 99%
        segments = transcribe_spans(replace(request, vocabulary=None), samples, spans, language, Channel(sink))[0]
    if window:
        segments = [clamp_segment(seg, window.start, window.end) for seg in segments]
    return label_language(segments, language)
