# What dropscribe_stages uses of faster-whisper (untyped): WhisperModel's constructor, transcribe and detect_language.
from collections.abc import Iterable
from typing import Any

import numpy as np
import numpy.typing as npt

from .transcribe import Segment, TranscriptionInfo

class WhisperModel:
    model: Any  # the ctranslate2.models.Whisper (untyped)
    feature_extractor: Any
    def __init__(
        self, model_size_or_path: str, device: str = ..., compute_type: str = ..., cpu_threads: int = ..., **kwargs: Any
    ) -> None: ...
    def transcribe(
        self, audio: npt.NDArray[np.float32], **kwargs: Any
    ) -> tuple[Iterable[Segment], TranscriptionInfo]: ...
    def detect_language(
        self, audio: npt.NDArray[np.float32] | None = ..., **kwargs: Any
    ) -> tuple[str, float, list[tuple[str, float]]]: ...
