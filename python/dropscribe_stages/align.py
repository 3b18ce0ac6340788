"""align: word timings by forced alignment with WhisperX (wav2vec2). Isolated: may be slow, crash or hang.

A request may name a window of a long recording: then only that range is read and aligned, times stay in the recording.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import cast

from .asr.aligned import aligned_segment, local_model_folder
from .media.audio import SAMPLE_RATE, PcmFile, read_samples
from .runtime.errors import ConfigProblem, require_module
from .runtime.protocol import Channel, write_json_atomic
from .runtime.stage_requests import AlignRequest
from .runtime.typed_json import JsonObject


def run(request: AlignRequest, channel: Channel) -> JsonObject:
    whisperx = require_module(
        "whisperx", "install it with `DROPSCRIBE_PY_EXTRAS=align npm install` or set align to native"
    )
    transcript = json.loads(Path(request.transcript).read_text(encoding="utf-8"))
    window = request.window
    samples = PcmFile(request.audio)
    offset = float(window.start) if window else 0.0
    audio = read_samples(samples, offset, float(window.end) if window else len(samples) / SAMPLE_RATE)
    segments = [
        {"start": s["start"] - offset, "end": s["end"] - offset, "text": s["text"]} for s in transcript["segments"]
    ]
    model_name = local_model_folder(request.model)
    channel.progress(0.0, f"loading alignment model {model_name or 'for ' + request.language}")
    try:
        model, metadata = whisperx.load_align_model(
            language_code=request.language, device=request.device, model_name=model_name
        )
    except (
        ValueError
    ) as exc:  # whisperx raises ValueError for a language without a default model, or a model it cannot load
        if model_name is None:
            raise ConfigProblem(f"WhisperX has no alignment model for language {request.language!r}: {exc}") from exc
        cause = exc.__context__ or exc
        raise ConfigProblem(
            f"the alignment model {model_name} could not be loaded: {type(cause).__name__}: {cause}"
        ) from exc
    channel.progress(0.2, "aligning words")
    try:
        result = whisperx.align(segments, model, metadata, audio, request.device, return_char_alignments=False)
    except LookupError as exc:  # NLTK's sentence data, which whisperx fetches on first use
        raise ConfigProblem(
            f"whisperx needs NLTK's punkt_tab data and could not get it ({exc}); run "
            "`python -m nltk.downloader punkt_tab` once with a network, or point NLTK_DATA at a copy"
        ) from exc
    kind = type(result).__name__
    if not isinstance(result, dict) or not isinstance(cast(JsonObject, result).get("segments"), list):
        raise TypeError(f"whisperx.align returned {kind}, expected a dict with segments")
    found: list[JsonObject] = cast(JsonObject, result)["segments"]
    out = [aligned_segment(s, offset) for s in found]
    target = Path(request.out_dir) / "transcript.aligned.json"
    target.parent.mkdir(parents=True, exist_ok=True)
    write_json_atomic(target, {"segments": out})
    return {"transcript": str(target), "backend": "whisperx", "wordCount": sum(len(s["words"]) for s in out)}
