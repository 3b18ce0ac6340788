"""An English-only model given a recording in another language writes invented English: find that out first.

The language is known when a folder rule or the config names it; otherwise the bundled multilingual model
listens to the first 30 s of speech. What happens then is the job's `languageMismatch` setting: `warn` goes on
with a warning, `refuse` fails the job with a message that says how to fix it.
"""

from __future__ import annotations

import numpy as np

from ..runtime.errors import BadInput
from ..runtime.protocol import Channel
from ..runtime.stage_requests import TranscribeRequest
from ..weights.models import bundled_models, is_english_only

MIN_PROBABILITY = 0.5  # a detection less sure than this is not taken as a mismatch
_detector = None


def check_language(request: TranscribeRequest, speech_audio: np.ndarray, channel: Channel) -> None:
    """Warn or refuse when an English-only model meets a recording that is not English."""
    model = request.model
    if not is_english_only(model):
        return
    forced = request.language
    if forced and forced != "en":
        found = f"the configured language is {forced!r}"
    elif forced is None:
        detected = detect_language(speech_audio, channel)
        if detected is None or detected[0] == "en" or detected[1] < MIN_PROBABILITY:
            return
        found = f"the recording sounds like {detected[0]!r} (probability {detected[1]:.2f})"
    else:
        return
    message = (
        f"{found}, but model {model} only knows English and would write invented English text; "
        "use a multilingual model (the bundled 'base', or 'small', 'large-v3-turbo') for this folder"
    )
    if request.language_mismatch == "refuse":
        raise BadInput(message)
    channel.warning(message)


def detect_language(audio: np.ndarray, channel: Channel) -> tuple[str, float] | None:
    """(language, probability) by the bundled multilingual model, or None when it is not installed."""
    global _detector
    if len(audio) == 0:
        return None
    if _detector is None:
        path = bundled_models().get("base")
        if path is None:
            return None
        from faster_whisper import WhisperModel

        channel.progress(0.0, "checking the language with the multilingual model")
        _detector = WhisperModel(str(path), device="cpu", compute_type="int8")
    language, probability, _ = _detector.detect_language(audio)
    return language, float(probability)
