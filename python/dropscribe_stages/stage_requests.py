"""The stage requests as typed objects: one dataclass per stage, built from the request line the daemon sends.

The fields are those of src/contract.ts (DecodeRequest, VadRequest, ...) in snake_case; the values, their types and
which fields may be left out are the generated contract.schema.json's, checked before a request is built
(typed_json). Nothing is defaulted here: a field the schema requires always comes, an optional one left out is None.
Enum-valued fields (backend, task, languageMismatch) are plain strings, their values being the schema's.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TypedDict

from .contract import SCHEMA, STAGE_NAMES
from .errors import InvalidRequest
from .typed_json import checked


class Span(TypedDict):
    """A speech span in seconds of the recording (the vad stage's segments, as they are passed on)."""

    start: float
    end: float


@dataclass(frozen=True, kw_only=True)
class WindowRange:
    """The window a request covers: its place among the windows and its range in the recording (seconds)."""

    index: int
    count: int
    start: float
    end: float


@dataclass(frozen=True, kw_only=True)
class ServerTarget:
    """An OpenAI-compatible transcription server (backend openai); the API key comes in the environment."""

    url: str
    model: str
    timeout_sec: float
    prompt: str | None


@dataclass(frozen=True, kw_only=True)
class Voice:
    """An enrolled person: a name and a recording of their voice."""

    name: str
    audio: str


@dataclass(frozen=True, kw_only=True)
class Request:
    """What every request carries."""

    stage: str
    job_id: str
    out_dir: str
    heartbeat_seconds: float


@dataclass(frozen=True, kw_only=True)
class DecodeRequest(Request):
    source: str
    audio_stream: int | None


@dataclass(frozen=True, kw_only=True)
class SeparateRequest(Request):
    audio: str
    model: str


@dataclass(frozen=True, kw_only=True)
class VadRequest(Request):
    audio: str
    threshold: float
    min_silence_ms: int
    speech_pad_ms: int
    window_min_sec: float | None = None
    window_max_sec: float | None = None


@dataclass(frozen=True, kw_only=True)
class TranscribeRequest(Request):
    audio: str
    speech: list[Span] | None
    backend: str
    model: str
    language: str | None
    task: str
    word_timestamps: bool
    beam_size: int
    cpu_threads: int
    compute_type: str
    language_mismatch: str
    window: WindowRange | None = None
    initial_prompt: str | None = None
    vocabulary: list[str] | None = None
    vocabulary_language: str | None = None
    segments_file: str | None = None
    server: ServerTarget | None = None


@dataclass(frozen=True, kw_only=True)
class AlignRequest(Request):
    audio: str
    transcript: str
    language: str
    device: str
    model: str | None = None
    window: WindowRange | None = None


@dataclass(frozen=True, kw_only=True)
class DiarizeRequest(Request):
    audio: str
    transcript: str
    speech: list[Span] | None
    min_speakers: int
    max_speakers: int
    hop_sec: float
    voices: list[Voice]


REQUEST_TYPES: dict[str, type[Request]] = {
    "decode": DecodeRequest,
    "separate": SeparateRequest,
    "vad": VadRequest,
    "transcribe": TranscribeRequest,
    "align": AlignRequest,
    "diarize": DiarizeRequest,
}


def request_schema(stage: str) -> dict:
    """The generated schema of one stage's request (a branch of the contract's request union)."""
    return next(s for s in SCHEMA["request"]["oneOf"] if s["properties"]["stage"]["const"] == stage)


def parse_request(line: str | dict, stage: str) -> Request:
    """The typed request of `stage` from its JSON line (or the decoded object); InvalidRequest says what is wrong."""
    if stage not in STAGE_NAMES:
        raise InvalidRequest(f"unknown stage {stage!r}; the contract knows {', '.join(STAGE_NAMES)}")
    try:
        raw = json.loads(line) if isinstance(line, str) else line
    except ValueError as exc:
        raise InvalidRequest(f"the request is not JSON ({exc})") from exc
    if not isinstance(raw, dict):
        raise InvalidRequest(f"the request is a JSON {type(raw).__name__}, not an object")
    asked = raw.get("stage")
    if asked != stage:
        known = "" if asked in STAGE_NAMES else f" (an unknown stage; the contract knows {', '.join(STAGE_NAMES)})"
        raise InvalidRequest(f"the request is for stage {asked!r}{known}, not {stage!r}")
    return checked(REQUEST_TYPES[stage], request_schema(stage), raw, f"{stage} request")
