"""mlx-whisper backend of the transcribe stage (Apple Silicon). One transcribe() call per process."""

from __future__ import annotations

import numpy as np

from .audio import read_samples
from .protocol import Channel
from .transcribe import make_segment, require_module

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


def transcribe(request: dict, samples: np.ndarray, spans: list[dict], language: str | None, channel: Channel):
    mlx_whisper = require_module(
        "mlx_whisper", "on Apple Silicon run `npm install` again (it installs the mlx extra) or set backend to faster-whisper"
    )
    repo = MLX_REPOS.get(request["model"], request["model"])
    channel.progress(0.0, f"transcribing with mlx-whisper ({repo})")
    # mlx-whisper has no VAD input: transcribe the speech spans joined, then map times back.
    pieces = [read_samples(samples, s["start"], s["end"]) for s in spans]
    pieces = [p for p in pieces if len(p)]
    if not pieces:
        return [], language or "en", 0.0
    audio = np.concatenate(pieces)
    result = mlx_whisper.transcribe(
        audio.astype(np.float32),
        path_or_hf_repo=repo,
        language=language,
        task=request["task"],
        word_timestamps=request["wordTimestamps"],
        verbose=None,
        **({"initial_prompt": request["initialPrompt"]} if request.get("initialPrompt") else {}),
    )
    if not isinstance(result, dict) or not isinstance(result.get("segments"), list):
        raise TypeError(f"mlx_whisper.transcribe returned {type(result).__name__}, expected a dict with segments")
    mapper = SpanMapper(spans)
    out = []
    for seg in result["segments"]:
        words = [{**w, "start": mapper(w["start"]), "end": mapper(w["end"])} for w in seg.get("words") or []]
        start, end = mapper(seg["start"]), mapper(seg["end"])
        out.append(make_segment(start, end, seg.get("text", ""), words, seg.get("no_speech_prob"),
                                seg.get("avg_logprob"), seg.get("compression_ratio")))
    detected = result.get("language") or language or "en"
    return out, detected, 1.0 if language else 0.0


class SpanMapper:
    """Maps a time in the joined speech audio back to the original recording."""

    def __init__(self, spans: list[dict]) -> None:
        self.table = []
        joined = 0.0
        for s in spans:
            length = s["end"] - s["start"]
            if length > 0:
                self.table.append((joined, s["start"], length))
                joined += length

    def __call__(self, t: float) -> float:
        for joined_start, original_start, length in reversed(self.table):
            if t >= joined_start:
                return original_start + min(t - joined_start, length)
        return t
