"""transcribe: speech -> segments with word timings, by faster-whisper (CTranslate2) or mlx-whisper.

A warm worker serves many faster-whisper requests; MLX crashes when transcribe() is called twice in one process,
so an MLX request always gets a fresh process.
"""

from __future__ import annotations

import time
from pathlib import Path

from .audio import SAMPLE_RATE, read_wav
from .errors import ConfigProblem
from .language_check import check_language
from .models import is_english_only, resolve_faster_whisper_model
from .protocol import Channel, write_json_atomic
from .quality import quality_fields, split_invented


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
    audio = read_wav(request["audio"])
    if is_english_only(request["model"]):
        check_language(request, first_speech(audio, request["speech"]), channel)
        language = "en"
        if request["task"] == "translate":
            channel.warning(f"model {request['model']} only knows English, so it cannot translate; choose a multilingual model")
    duration = len(audio) / SAMPLE_RATE
    started = time.monotonic()
    if backend == "mlx":
        _mlx_used = True
    segments, detected, probability = transcribe(request, audio, language, channel)
    segments, suppressed = split_invented(segments)
    for s in suppressed:
        channel.warning(f"left out {s['text'].strip()!r} at {s['start']:.1f}s: it looks invented ({s['reason']})")
    out_dir = Path(request["outDir"])
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / "transcript.json"
    write_json_atomic(target, {"segments": segments, "suppressed": suppressed})
    channel.progress(1.0, f"transcribed {duration:.1f}s of audio in {time.monotonic() - started:.1f}s")
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


def first_speech(audio, spans, seconds: float = 30.0):
    """Up to `seconds` of the speech in `audio` (all of it when there are no VAD spans), for a language check."""
    import numpy as np

    if spans is None:
        return audio[: int(seconds * SAMPLE_RATE)]
    pieces, total = [], 0
    for s in spans:
        piece = audio[int(s["start"] * SAMPLE_RATE) : int(s["end"] * SAMPLE_RATE)]
        pieces.append(piece[: int(seconds * SAMPLE_RATE) - total])
        total += len(pieces[-1])
        if total >= seconds * SAMPLE_RATE:
            break
    return np.concatenate(pieces) if pieces else audio[:0]


def require_module(name: str, hint: str):
    import importlib

    try:
        return importlib.import_module(name)
    except ImportError as exc:
        raise ConfigProblem(f"the {name} package is not installed ({exc}); {hint}") from exc


__all__ = ["run", "make_segment", "require_module", "resolve_faster_whisper_model"]
