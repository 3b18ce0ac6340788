"""The stage requests as typed objects: one frozen dataclass per stage, built from the request line the daemon sends.

The dataclasses are made from the generated contract.schema.json (typed_json.record_type), so their fields are those
of src/core/contract.ts (DecodeRequest, VadRequest, ...) in snake_case, stated nowhere else: `request.compute_type`,
`request.window.start`, `request.voices[0].name`. A request is checked against the schema before it is built.
Nothing is defaulted here: a field the schema requires always comes, an optional one left out is None. Enum-valued
fields (backend, task, languageMismatch) are plain strings, their values being the schema's.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeAlias, cast

from .contract import SCHEMA, STAGE_NAMES
from .errors import InvalidRequest
from .typed_json import JsonObject, checked, record_type


@dataclass(frozen=True, kw_only=True)
class Request:
    """What every stage's request is (its fields: stage, job_id, out_dir, heartbeat_seconds and the stage's own)."""

    if TYPE_CHECKING:  # what a type checker knows of them; the fields themselves come from the schema
        stage: str
        job_id: str
        out_dir: str
        heartbeat_seconds: float


def request_schema(stage: str) -> JsonObject:
    """The generated schema of one stage's request (a branch of the contract's request union)."""
    return next(s for s in SCHEMA["request"]["oneOf"] if s["properties"]["stage"]["const"] == stage)


REQUEST_TYPES: dict[str, type] = {
    stage: record_type(f"{stage.capitalize()}Request", request_schema(stage), base=Request) for stage in STAGE_NAMES
}
if TYPE_CHECKING:
    # Made at run time from the schema, these classes' fields are unknown to a type checker: to it they are Any.
    DecodeRequest: TypeAlias = Any
    SeparateRequest: TypeAlias = Any
    VadRequest: TypeAlias = Any
    TranscribeRequest: TypeAlias = Any
    AlignRequest: TypeAlias = Any
    DiarizeRequest: TypeAlias = Any
else:
    DecodeRequest = REQUEST_TYPES["decode"]
    SeparateRequest = REQUEST_TYPES["separate"]
    VadRequest = REQUEST_TYPES["vad"]
    TranscribeRequest = REQUEST_TYPES["transcribe"]
    AlignRequest = REQUEST_TYPES["align"]
    DiarizeRequest = REQUEST_TYPES["diarize"]


def parse_request(line: str | JsonObject, stage: str) -> Request:
    """The typed request of `stage` from its JSON line (or the decoded object); InvalidRequest says what is wrong."""
    if stage not in STAGE_NAMES:
        raise InvalidRequest(f"unknown stage {stage!r}; the contract knows {', '.join(STAGE_NAMES)}")
    try:
        raw: Any = json.loads(line) if isinstance(line, str) else line
    except ValueError as exc:
        raise InvalidRequest(f"the request is not JSON ({exc})") from exc
    if not isinstance(raw, dict):
        raise InvalidRequest(f"the request is a JSON {type(raw).__name__}, not an object")
    asked = cast(JsonObject, raw).get("stage")
    if asked != stage:
        known = "" if asked in STAGE_NAMES else f" (an unknown stage; the contract knows {', '.join(STAGE_NAMES)})"
        raise InvalidRequest(f"the request is for stage {asked!r}{known}, not {stage!r}")
    return checked(REQUEST_TYPES[stage], raw, f"{stage} request")
