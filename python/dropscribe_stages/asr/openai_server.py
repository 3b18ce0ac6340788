"""OpenAI-compatible server backend of the transcribe stage: the request's speech is sent as one WAV upload.

The answer (response_format verbose_json) is checked against the contract's serverTranscription schema; segment and
word times come back relative to the upload and are mapped to the recording. How a failure reads decides what the
daemon does: a refused key or a wrong URL is a config problem, a busy or down server is temporary (retried, then
the local fallback takes the window).
"""

from __future__ import annotations

import io
import ipaddress
import json
import os
import urllib.error
import urllib.parse
import urllib.request
import uuid
import wave

import jsonschema
import numpy as np

from ..media.audio import SAMPLE_RATE, Samples
from ..runtime.errors import ConfigProblem, StageFailure, Temporary
from ..runtime.protocol import Channel, validate
from ..runtime.stage_requests import TranscribeRequest
from ..runtime.typed_json import JsonObject
from ..speech.spans import SpanMapper, chunk_spans, join_speech, window_label
from . import vocabulary
from .segments import make_segment

# The daemon puts the API key here (from OPENAI_API_KEY, the key file or the Keychain); it is never in the request.
KEY_ENV = "DROPSCRIBE_OPENAI_API_KEY"


class ServerAnswerInvalid(StageFailure):
    """The server answered, but not with a transcription the contract accepts (retryable as a bug)."""


def wav_bytes(audio: np.ndarray) -> bytes:
    """16 kHz mono 16-bit PCM WAV of float32 `audio`."""
    buf = io.BytesIO()
    with wave.open(buf, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(SAMPLE_RATE)
        w.writeframes((np.clip(audio, -1.0, 1.0) * 32767.0).astype("<i2").tobytes())
    return buf.getvalue()


def form_fields(request: TranscribeRequest, language: str | None) -> list[tuple[str, str]]:
    """The form fields of one upload: model (also as model_name, which faster-whisper-server reads), verbose_json
    with segment and word timestamps, temperature 0, the language (transcribe only) and the prompt: the configured
    one, then the job's vocabulary as a glossary sentence, then the previous window's words."""
    server = request.server
    fields = [
        ("model", server.model),
        ("model_name", server.model),
        ("response_format", "verbose_json"),
        ("temperature", "0"),
        ("timestamp_granularities[]", "segment"),
    ]
    if request.word_timestamps:
        fields.append(("timestamp_granularities[]", "word"))
    if language and request.task == "transcribe":
        fields.append(("language", language))
    spoken = vocabulary.prompt(vocabulary.for_speech(request, language), request.initial_prompt)
    prompt = " ".join(p for p in (server.prompt, spoken) if p)
    if prompt:
        fields.append(("prompt", prompt))
    return fields


def multipart(fields: list[tuple[str, str]], wav: bytes) -> tuple[bytes, str]:
    boundary = f"dropscribe-{uuid.uuid4().hex}"
    parts = []
    for name, value in fields:
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode())
    parts.append(
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="speech.wav"\r\n'
        "Content-Type: audio/wav\r\n\r\n".encode()
        + wav
        + b"\r\n"
    )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


def endpoint(request: TranscribeRequest) -> str:
    path = "translations" if request.task == "translate" else "transcriptions"
    return f"{request.server.url.rstrip('/')}/audio/{path}"


def loopback(host: str | None) -> bool:
    """Whether `host` is this machine (localhost, 127.0.0.0/8, ::1)."""
    if not host:
        return False
    if host == "localhost" or host.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def key_transport_problem(url: str, key: str | None) -> str | None:
    """Why `key` may not be sent to `url`: in clear (http) to another machine. None when it may."""
    parts = urllib.parse.urlsplit(url)
    if not key or parts.scheme == "https" or loopback(parts.hostname):
        return None
    return (
        f"the API key would go in clear to {parts.hostname} ({parts.scheme}://): set backends.openai.url to an "
        "https:// address, reach the server through an ssh tunnel on 127.0.0.1, or give no key (a server on your "
        "network that needs none)"
    )


class NoRedirects(urllib.request.HTTPRedirectHandler):
    """Redirects are not followed: a transcription's POST does not survive one (301-303 turn it into a GET without
    the upload), and the key must not go to an address the configuration does not name. The 3xx is a failure."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


OPENER = urllib.request.build_opener(NoRedirects)


def post(url: str, body: bytes, content_type: str, timeout: float) -> JsonObject:
    """POST the upload; failures become config problems (fix the settings) or temporary ones (retry later)."""
    headers = {"Content-Type": content_type, "Accept": "application/json"}
    key = os.environ.get(KEY_ENV)
    refused = key_transport_problem(url, key)
    if refused:
        raise ConfigProblem(refused)
    if key:
        headers["Authorization"] = f"Bearer {key}"
    req = urllib.request.Request(url, data=body, headers=headers, method="POST")
    try:
        with OPENER.open(req, timeout=timeout) as resp:
            raw = resp.read()
    except urllib.error.HTTPError as exc:
        if 300 <= exc.code < 400:
            raise redirected(url, exc.code, exc.headers.get("Location")) from exc
        raise http_failure(url, exc.code, exc.read()[:300].decode("utf-8", "replace")) from exc
    except (urllib.error.URLError, OSError) as exc:
        reason = getattr(exc, "reason", exc)
        if isinstance(reason, TimeoutError) or isinstance(exc, TimeoutError):
            raise Temporary(f"the server at {url} did not answer within {timeout:.0f} s") from exc
        raise Temporary(f"cannot reach the server at {url} ({reason})") from exc
    try:
        return json.loads(raw)
    except ValueError as exc:
        raise ServerAnswerInvalid(
            f"the server at {url} answered with something that is not JSON: {raw[:120]!r}"
        ) from exc


def redirected(url: str, status: int, location: str | None) -> ConfigProblem:
    to = urllib.parse.urljoin(url, location) if location else "another address"
    return ConfigProblem(
        f"the server at {url} answered with a redirect (HTTP {status}) to {to}, which dropscribe does not follow "
        "(the key and the upload go only to the configured address): set backends.openai.url to the address that "
        "answers"
    )


def http_failure(url: str, status: int, body: str) -> StageFailure:
    """The failure an HTTP error status stands for."""
    detail = body.strip().replace("\n", " ")
    if status in (401, 403):
        return ConfigProblem(
            f"the server at {url} refused the API key (HTTP {status}: {detail}). Fix: set OPENAI_API_KEY for the "
            "daemon, or put OPENAI_API_KEY=... in the file backends.openai.keyFile (chmod 600), or store it with "
            "`security add-generic-password -s dropscribe -a openai -w KEY` and set backends.openai.keychain"
        )
    if status == 404:
        return ConfigProblem(
            f"the server has no {url} (HTTP 404): backends.openai.url is the base URL OpenAI clients take, "
            "such as http://gpu-box:8000/v1"
        )
    if status == 429 or status >= 500:
        return Temporary(f"the server at {url} is busy or failing (HTTP {status}: {detail})")
    return ConfigProblem(f"the server at {url} rejected the request (HTTP {status}: {detail}); check backends.openai")


def checked(answer: object, url: str) -> JsonObject:
    try:
        validate("serverTranscription", answer)
    except jsonschema.ValidationError as exc:
        raise ServerAnswerInvalid(
            f"the answer of {url} is not a verbose_json transcription ({exc.message}); "
            "the server must support response_format verbose_json"
        ) from exc
    return answer  # type: ignore[return-value]


def to_segments(answer: JsonObject, to_recording) -> list[JsonObject]:
    """Segments in the recording's times; words from the segments, or from the answer's word list by time. An end on
    the boundary of two joined spans belongs to the earlier span."""

    def end_of(t: float) -> float:
        return to_recording(max(0.0, t - 1e-4)) + 1e-4

    loose = sorted(answer.get("words") or [], key=lambda w: w["start"])
    out = []
    for seg in answer["segments"]:
        words = seg.get("words")
        if words is None:
            words = [w for w in loose if seg["start"] - 0.01 <= w["start"] < seg["end"]]
        mapped = [
            {"word": w["word"], "start": to_recording(w["start"]), "end": end_of(w["end"]), "probability": None}
            for w in words
        ]
        out.append(
            make_segment(
                to_recording(seg["start"]),
                end_of(seg["end"]),
                seg["text"],
                mapped,
                seg.get("no_speech_prob"),
                seg.get("avg_logprob"),
                seg.get("compression_ratio"),
            )
        )
    return out


def language_code(answer_language: str | None) -> str:
    """The answer's language as a code: OpenAI's server writes the name ("english"), others the code ("en")."""
    from faster_whisper.tokenizer import _LANGUAGE_CODES

    value = (answer_language or "").strip().lower()
    if value in _LANGUAGE_CODES:
        return value
    names = {"english": "en", "german": "de", "french": "fr", "italian": "it", "spanish": "es", "dutch": "nl"}
    names |= {"portuguese": "pt", "russian": "ru", "japanese": "ja", "chinese": "zh", "korean": "ko", "polish": "pl"}
    return names.get(value, value or "en")


def transcribe(
    request: TranscribeRequest, samples: Samples, spans: list[JsonObject], language: str | None, channel: Channel
):
    """Segments of the speech `spans` of 16-bit `samples` from the server, with times in the recording."""
    if not request.server:
        raise ConfigProblem("the openai backend needs backends.openai.url in the configuration")
    audio, chunks = join_speech(samples, spans)
    if not chunks:
        return [], language or "en", 0.0
    url = endpoint(request)
    seconds = len(audio) / SAMPLE_RATE
    channel.progress(0.0, f"{window_label(request)}sending {seconds:.0f} s of speech to {request.server.url}")
    body, content_type = multipart(form_fields(request, language), wav_bytes(audio))
    answer = checked(post(url, body, content_type, request.server.timeout_sec), url)
    segments = to_segments(answer, SpanMapper(chunk_spans(chunks)))
    detected = language or language_code(answer.get("language"))
    return segments, detected, 1.0 if language else 0.0
