"""faster-whisper (CTranslate2) backend of the transcribe stage."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..media.audio import SAMPLE_RATE, Samples
from ..runtime.errors import ConfigProblem
from ..runtime.protocol import Channel
from ..runtime.stage_requests import TranscribeRequest
from ..runtime.typed_json import JsonObject
from ..speech.spans import join_speech, window_label
from ..weights.models import resolve_faster_whisper_model
from . import vocabulary
from .committed import CommittedSegments
from .features import PiecewiseFeatures
from .segments import make_segment
from .turn_languages import WindowLanguages, top_languages

if TYPE_CHECKING:
    from faster_whisper import WhisperModel

# A warm worker keeps its loaded models here between requests.
_models: dict[tuple[str, str, int | None], WhisperModel] = {}


def load_model(request: TranscribeRequest, channel: Channel) -> WhisperModel:
    from faster_whisper import WhisperModel

    key = (request.model, request.compute_type, request.cpu_threads)
    if key in _models:
        return _models[key]
    model_ref = resolve_faster_whisper_model(request.model, channel)
    channel.progress(0.0, f"loading model {request.model}")
    try:
        model = WhisperModel(
            model_ref, device="cpu", compute_type=request.compute_type, cpu_threads=request.cpu_threads
        )
    except Exception as exc:  # huggingface_hub / ctranslate2 raise many types for a missing model
        raise ConfigProblem(
            f"cannot load faster-whisper model {request.model!r} ({type(exc).__name__}: {exc}). "
            "Use the bundled offline model 'tiny.en', a folder with a CTranslate2 model, "
            "or connect to the internet once so the model can be downloaded."
        ) from exc
    model.feature_extractor = PiecewiseFeatures(model.feature_extractor)  # flat memory in the window's length
    _models.clear()  # one model at a time per worker
    _models[key] = model
    return model


def transcribe(
    request: TranscribeRequest,
    samples: Samples,
    spans: list[JsonObject],
    language: str | None,
    channel: Channel,
    committed: CommittedSegments | None = None,
    speech_before: float = 0.0,
    watch: WindowLanguages | None = None,
):
    """Segments of the speech `spans` (seconds) of 16-bit `samples`, with times in the recording; only they are read.

    Each segment is committed to `committed` as the recognizer yields it (`speech_before` seconds of speech were
    committed by an earlier attempt: progress counts them)."""
    from faster_whisper.transcribe import restore_speech_timestamps

    audio, chunks = join_speech(samples, spans)
    if not chunks:
        return [], language or "en", 0.0
    model = load_model(request, channel)
    total = max(len(audio) / SAMPLE_RATE, 1e-6) + speech_before
    where = window_label(request)
    probability = None
    allowed = request.languages or None
    if language is None and (request.vocabulary or allowed) and model.model.is_multilingual:
        # The vocabulary depends on the language, and `languages` narrows it, so it is detected first, from the
        # features transcribe() would use.
        _, _, pairs = model.detect_language(features=model.feature_extractor(audio))
        probs = top_languages(pairs, allowed)
        chosen: str = max(probs, key=lambda k: probs[k]) if probs else (allowed or ["en"])[0]
        language, probability = chosen, probs.get(chosen, 0.0)
    terms = vocabulary.for_speech(request, language)
    restore = watch.install(model) if watch is not None and model.model.is_multilingual else None
    segments, info = model.transcribe(
        audio,
        language=language,
        task=request.task,
        beam_size=request.beam_size,
        word_timestamps=request.word_timestamps,
        vad_filter=False,
        condition_on_previous_text=False,
        initial_prompt=request.initial_prompt,
        hotwords=vocabulary.hotwords(terms),
    )
    if probability is None:
        probability = info.language_probability
    if committed is not None:
        committed.begin(info.language, probability)
    segments = restore_speech_timestamps(segments, chunks, SAMPLE_RATE)
    out = []
    speech_done = speech_before
    for seg in segments:
        words = [
            {"word": w.word, "start": w.start, "end": w.end, "probability": w.probability} for w in (seg.words or [])
        ]
        segment = make_segment(
            seg.start, seg.end, seg.text, words, seg.no_speech_prob, seg.avg_logprob, seg.compression_ratio
        )
        out.append(segment)
        if committed is not None:
            committed.commit(segment)
        speech_done = min(total, speech_done + max(0.0, seg.end - seg.start))
        channel.progress(
            min(0.99, speech_done / total),
            f"{where}{len(out)} segments, {speech_done:.0f} of {total:.0f} s of speech",
        )
    if restore is not None:
        restore()
    return out, info.language, probability
