"""mlx-whisper backend of the transcribe stage (Apple Silicon). One transcribe() call per process."""

from __future__ import annotations

import numpy as np

from .. import vocabulary
from ..errors import require_module
from ..protocol import Channel
from ..segments import make_segment
from ..speech import SpanMapper, chunk_spans, join_speech
from ..stage_requests import TranscribeRequest

# Short names map to the converted models published by mlx-community on Hugging Face.
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
    request: TranscribeRequest, samples: np.ndarray, spans: list[dict], language: str | None, channel: Channel
):
    mlx_whisper = require_module(
        "mlx_whisper",
        "on Apple Silicon run `npm install` again (it installs the mlx extra) or set backend to faster-whisper",
    )
    repo = MLX_REPOS.get(request.model, request.model)
    channel.progress(0.0, f"transcribing with mlx-whisper ({repo})")
    # mlx-whisper has no VAD input: transcribe the speech spans joined, then map times back.
    audio, chunks = join_speech(samples, spans)
    if not chunks:
        return [], language or "en", 0.0
    result = mlx_whisper.transcribe(
        audio.astype(np.float32),
        path_or_hf_repo=repo,
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
