"""mlx-whisper backend of the transcribe stage (Apple Silicon; Linux's CPU backend in tests). One transcribe() call per
process: MLX on Metal crashes on a second one.

The model always comes through dropscribe's own path (mlx_weights.resolve_mlx_model): the bundled models are
converted locally once, others are downloaded by hub_download; mlx-whisper is never given a name it would download by
itself. It has no beam search: `beamSize` does not apply, decoding is greedy (temperature 0, then the usual
fallback temperatures).
"""

from __future__ import annotations

import numpy as np

from ..media.audio import Samples
from ..runtime.errors import ConfigProblem
from ..runtime.protocol import Channel
from ..runtime.stage_requests import TranscribeRequest
from ..runtime.typed_json import JsonObject
from ..speech.spans import SpanMapper, chunk_spans, join_speech
from ..weights.mlx_weights import resolve_mlx_model
from . import mlx_runtime, vocabulary
from .segments import make_segment

# Short names map to the converted models published by mlx-community on Hugging Face (bundled names are converted
# locally instead: mlx_weights.py).
MLX_REPOS = {
    "tiny": "mlx-community/whisper-tiny",
    "tiny.en": "mlx-community/whisper-tiny.en-mlx",
    "base": "mlx-community/whisper-base-mlx",
    "base.en": "mlx-community/whisper-base.en-mlx",
    "small": "mlx-community/whisper-small-mlx",
    "small.en": "mlx-community/whisper-small.en-mlx",
    "medium": "mlx-community/whisper-medium-mlx",
    "large-v3": "mlx-community/whisper-large-v3-mlx",
    "large-v3-turbo": "mlx-community/whisper-large-v3-turbo",
}


def transcribe(
    request: TranscribeRequest, samples: Samples, spans: list[JsonObject], language: str | None, channel: Channel
):
    try:
        mlx_whisper, runtime = mlx_runtime.load(request.cpu_threads or None)
    except ImportError as exc:
        raise ConfigProblem(
            f"the mlx_whisper package is not installed ({exc}); on Apple Silicon run `npm install` again "
            "(it installs the mlx extra) or set backend to faster-whisper"
        ) from exc
    model = resolve_mlx_model(request.model, MLX_REPOS.get(request.model), runtime.dtype, channel)
    channel.progress(0.0, f"transcribing with mlx-whisper {runtime.version} on {runtime.device} ({request.model})")
    # mlx-whisper has no VAD input: transcribe the speech spans joined, then map times back.
    audio, chunks = join_speech(samples, spans)
    if not chunks:
        return [], language or "en", 0.0
    result = mlx_whisper.transcribe(
        audio.astype(np.float32),
        path_or_hf_repo=str(model),
        fp16=runtime.metal,
        language=language,
        task=request.task,
        word_timestamps=request.word_timestamps,
        verbose=None,
        **(
            {"initial_prompt": text}
            if (text := vocabulary.prompt(vocabulary.for_speech(request, language), request.initial_prompt))
            else {}
        ),
    )
    if not isinstance(result, dict) or not isinstance(result.get("segments"), list):
        raise TypeError(f"mlx_whisper.transcribe returned {type(result).__name__}, expected a dict with segments")
    mapper = SpanMapper(chunk_spans(chunks))
    out = []
    for seg in result["segments"]:
        words = [{**w, "start": mapper(w["start"]), "end": mapper(w["end"])} for w in seg.get("words") or []]
        start, end = mapper(seg["start"]), mapper(seg["end"])
        out.append(
            make_segment(
                start,
                end,
                seg.get("text", ""),
                words,
                seg.get("no_speech_prob"),
                seg.get("avg_logprob"),
                seg.get("compression_ratio"),
            )
        )
    detected = result.get("language") or language or "en"
    return out, detected, 1.0 if language else 0.0
