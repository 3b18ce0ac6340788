"""transcribe: speech -> segments with word timings, by faster-whisper (CTranslate2) or mlx-whisper.

A warm worker serves many faster-whisper requests; MLX crashes when transcribe() is called twice in one process,
so an MLX request always gets a fresh process. A request may name a window (a range of the recording planned by
the vad stage): then only that window's speech is read (the WAV is memory-mapped) and transcribed, with times in
the original recording.
"""

from __future__ import annotations

import time
from pathlib import Path

from .audio import SAMPLE_RATE, map_wav, read_samples
from .errors import ConfigProblem
from .language_check import check_language
from .models import is_english_only, resolve_faster_whisper_model
from .protocol import Channel, write_json_atomic
from .quality import quality_fields, split_invented
from .windows import spans_in


_mlx_used = False


def prepare() -> None:
    """Import faster-whisper and CTranslate2 now, so a warm worker is ready before its first request."""
    try:
        from . import asr_faster_whisper  # noqa: F401
        import faster_whisper  # noqa: F401
    except ImportError:
        pass  # run() reports it


def run(request: dict, channel: Channel) -> dict:
    global _mlx_used
    backend = request["backend"]
    if backend == "mlx" and _mlx_used:
        raise RuntimeError("MLX transcribe() must not run twice in one process; the daemon runs it one-shot")
    if backend == "faster-whisper":
        from .asr_faster_whisper import transcribe
    else:
        from .asr_mlx import transcribe
    language = request["language"]
    samples = map_wav(request["audio"])
    duration = len(samples) / SAMPLE_RATE
    spans = request["speech"] if request["speech"] is not None else [{"start": 0.0, "end": duration}]
    window = request.get("window")
    if window:
        spans = spans_in(spans, window["start"], window["end"])
    if is_english_only(request["model"]):
        if not window or window["index"] == 0:
            check_language(request, first_speech(samples, spans), channel)
        language = "en"
        if request["task"] == "translate" and not (window and window["index"]):
            channel.warning(f"model {request['model']} only knows English, so it cannot translate; choose a multilingual model")
    started = time.monotonic()
    if backend == "mlx":
        _mlx_used = True
    segments, detected, probability = transcribe(request, samples, spans, language, channel)
    if window:
        segments = [clamp_segment(seg, window["start"], window["end"]) for seg in segments]
    segments, suppressed = split_invented(segments)
    for s in suppressed:
        channel.warning(f"left out {s['text'].strip()!r} at {s['start']:.1f}s: it looks invented ({s['reason']})")
    out_dir = Path(request["outDir"])
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / "transcript.json"
    write_json_atomic(target, {"segments": segments, "suppressed": suppressed})
    speech = sum(s["end"] - s["start"] for s in spans)
    channel.progress(1.0, f"{window_label(request)}transcribed {speech:.1f}s of speech in {time.monotonic() - started:.1f}s")
    return {
        "transcript": str(target),
        "language": detected,
        "languageProbability": round(float(probability), 4),
        "durationSec": round(duration, 3),
        "backend": backend,
        "model": request["model"],
        "segmentCount": len(segments),
    }


def clean_words(words) -> list[dict]:
    """Words with non-decreasing, non-negative times and probabilities in [0, 1]."""
    out = []
    for w in words or []:
        start = max(0.0, float(w["start"]))
        end = max(start, float(w["end"]))
        p = w.get("probability")
        out.append(
            {
                "word": str(w["word"]),
                "start": round(start, 3),
                "end": round(end, 3),
                "probability": None if p is None else round(min(1.0, max(0.0, float(p))), 4),
            }
        )
    return out


def make_segment(start: float, end: float, text: str, words, no_speech_prob=None, avg_logprob=None,
                 compression_ratio=None) -> dict:
    start = max(0.0, float(start))
    segment = {"start": round(start, 3), "end": round(max(start, float(end)), 3), "text": text.strip(),
               "words": clean_words(words)}
    segment.update(quality_fields(no_speech_prob, avg_logprob, compression_ratio))
    return segment


def first_speech(samples, spans, seconds: float = 30.0):
    """Up to `seconds` of the speech `spans` of 16-bit `samples`, as float32, for a language check."""
    import numpy as np

    pieces, left = [], seconds
    for s in spans:
        if left <= 0:
            break
        piece = read_samples(samples, s["start"], min(s["end"], s["start"] + left))
        pieces.append(piece)
        left -= len(piece) / SAMPLE_RATE
    return np.concatenate(pieces) if pieces else np.zeros(0, dtype=np.float32)


def clamp_segment(segment: dict, start: float, end: float) -> dict:
    """A segment with its and its words' times kept inside [start, end] (a window's range)."""
    inside = lambda t: round(min(max(t, start), end), 3)
    words = [{**w, "start": inside(w["start"]), "end": inside(w["end"])} for w in segment["words"]]
    return {**segment, "start": inside(segment["start"]), "end": inside(segment["end"]), "words": words}


def window_label(request: dict) -> str:
    """"window 3/14: " for a windowed request, else ""."""
    w = request.get("window")
    return f"window {w['index'] + 1}/{w['count']}: " if w else ""


def require_module(name: str, hint: str):
    import importlib

    try:
        return importlib.import_module(name)
    except ImportError as exc:
        raise ConfigProblem(f"the {name} package is not installed ({exc}); {hint}") from exc


__all__ = ["run", "make_segment", "require_module", "resolve_faster_whisper_model"]
