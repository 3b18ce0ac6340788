"""transcribe: speech -> segments with word timings, by faster-whisper (CTranslate2), mlx-whisper or a server.

A warm worker serves many faster-whisper requests. A request may name a window (a range of the recording planned by
the vad stage): then only that window's speech is read and transcribed, with times in the original recording; with
`segmentsFile`, a later attempt continues after the last committed segment (asr/recognize.py). Then each turn gets
its language, listed terms never said are struck, and segments that look invented are left out.
"""

from __future__ import annotations

import time
from pathlib import Path

from .asr.again import heard_again, languages_per_turn
from .asr.quality import split_invented
from .asr.recognize import recognize
from .asr.segments import clamp_segment
from .asr.spoken_terms import strike_unspoken
from .asr.turn_languages import main_language, speech_by_language
from .runtime.protocol import Channel, write_json_atomic
from .runtime.stage_requests import TranscribeRequest
from .runtime.typed_json import JsonObject
from .speech.spans import window_label


def prepare() -> None:
    """Import faster-whisper and CTranslate2 now, so a warm worker is ready before its first request."""
    try:
        import faster_whisper as _package  # noqa: F401

        from .asr import faster_whisper as _backend  # noqa: F401
    except ImportError:
        pass  # run() reports it


def run(request: TranscribeRequest, channel: Channel) -> JsonObject:
    heard = recognize(request, channel)
    samples, spans, window = heard.samples, heard.spans, request.window
    segments = languages_per_turn(request, samples, spans, heard.segments, heard.language, heard.watch, channel)
    languages = speech_by_language(segments)
    detected, probability = main_language(languages, heard.language, heard.probability)
    if window:
        segments = [clamp_segment(seg, window.start, window.end) for seg in segments]
    segments, struck = strike_unspoken(segments, request.vocabulary)
    if request.backend == "faster-whisper" and any(s.again for s in struck):
        segments = sorted(segments + heard_again(request, samples, struck, detected, window), key=lambda s: s["start"])
    segments, suppressed = split_invented(segments)
    suppressed = sorted(suppressed + [s.as_suppressed() for s in struck], key=lambda s: s["start"])
    for s in suppressed:
        channel.warning(f"left out {s['text'].strip()!r} at {s['start']:.1f}s: it looks invented ({s['reason']})")
    target = Path(request.out_dir) / "transcript.json"
    target.parent.mkdir(parents=True, exist_ok=True)
    write_json_atomic(target, {"segments": segments, "suppressed": suppressed})
    speech = sum(s["end"] - s["start"] for s in spans)
    took = time.monotonic() - heard.started
    channel.progress(1.0, f"{window_label(request)}transcribed {speech:.1f}s of speech in {took:.1f}s")
    return {
        "transcript": str(target),
        "language": detected,
        "languageProbability": round(float(probability), 4),
        "durationSec": round(heard.duration, 3),
        "backend": request.backend,
        "model": request.model,
        "segmentCount": len(segments),
        "languages": languages,
        "resumedAfterSec": None if heard.resumed_after is None else round(heard.resumed_after, 3),
    }
