"""align: word timings by forced alignment with WhisperX (wav2vec2). Isolated: may be slow, crash or hang.

A request may name a window of a long recording: then only that range is read and aligned, times stay in the recording.
"""

from __future__ import annotations

import json
from pathlib import Path

from .asr.segments import make_segment
from .media.audio import SAMPLE_RATE, PcmFile, read_samples
from .protocol import Channel, write_json_atomic
from .runtime.errors import ConfigProblem, require_module
from .runtime.stage_requests import AlignRequest


def run(request: AlignRequest, channel: Channel) -> dict:
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
    if not isinstance(result, dict) or not isinstance(result.get("segments"), list):
        raise TypeError(f"whisperx.align returned {type(result).__name__}, expected a dict with segments")
    out = [aligned_segment(s, offset) for s in result["segments"]]
    target = Path(request.out_dir) / "transcript.aligned.json"
    target.parent.mkdir(parents=True, exist_ok=True)
    write_json_atomic(target, {"segments": out})
    return {"transcript": str(target), "backend": "whisperx", "wordCount": sum(len(s["words"]) for s in out)}


def local_model_folder(model: str | None) -> str | None:
    """The alignment model as whisperx takes it: a Hugging Face name as is, a local folder checked and made absolute."""
    if not model or not model.startswith(("/", "~", "./", "../")):
        return model or None
    folder = Path(model).expanduser().resolve()
    if not folder.is_dir():
        raise ConfigProblem(
            f"the alignment model folder {folder} does not exist (alignModel is a Hugging Face name or a "
            "folder saved with save_pretrained)"
        )
    return str(folder)


def aligned_segment(seg: dict, offset: float = 0.0) -> dict:
    """WhisperX leaves some words (numbers, symbols) without times: give them their neighbour's. Times move by
    `offset` (a window's start) back into the recording."""
    words = []
    last_end = float(seg["start"])
    for w in seg.get("words") or []:
        start = w.get("start", last_end)
        end = w.get("end", start)
        words.append(
            {
                "word": " " + str(w["word"]).strip(),
                "start": start + offset,
                "end": end + offset,
                "probability": w.get("score"),
            }
        )
        last_end = end
    return make_segment(seg["start"] + offset, seg["end"] + offset, seg.get("text", ""), words)
