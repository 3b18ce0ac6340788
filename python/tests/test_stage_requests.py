"""Typed stage requests: built from the request line, checked against the generated contract schema."""

import io
import json
from dataclasses import MISSING, fields, is_dataclass
from typing import get_args, get_type_hints

import pytest
from conftest import full_request, transcribe_request

from dropscribe_stages.contract import STAGE_NAMES
from dropscribe_stages.errors import EXIT_BUG, InvalidRequest
from dropscribe_stages.protocol import Channel, handle_one
from dropscribe_stages.stage_requests import (
    REQUEST_TYPES,
    ServerTarget,
    Span,
    TranscribeRequest,
    Voice,
    WindowRange,
    parse_request,
    request_schema,
)
from dropscribe_stages.typed_json import checked, snake_case

WINDOW = {"index": 1, "count": 3, "start": 60.0, "end": 120.5}
SERVER = {"url": "http://gpu-box:8000/v1", "model": "large-v3", "timeoutSec": 90, "prompt": None}


def transcribe_line(**overrides) -> str:
    return json.dumps(full_request("transcribe", transcribe_request("/a.wav", "/out", **overrides)))


def problem(line, stage: str = "transcribe") -> str:
    with pytest.raises(InvalidRequest) as caught:
        parse_request(line, stage)
    assert caught.value.code == "bug" and caught.value.exit_status == EXIT_BUG and caught.value.retryable is False
    return str(caught.value)


def test_a_good_request_is_read_into_attributes_with_nested_objects_typed():
    request = parse_request(transcribe_line(window=WINDOW, server=SERVER, vocabulary=["Kubernetes"]), "transcribe")
    assert isinstance(request, TranscribeRequest)
    assert (request.compute_type, request.beam_size, request.cpu_threads) == ("int8", 5, 0)
    assert request.language_mismatch == "warn" and request.language is None and request.speech is None
    assert request.window == WindowRange(index=1, count=3, start=60.0, end=120.5)
    assert request.server == ServerTarget(url=SERVER["url"], model="large-v3", timeout_sec=90, prompt=None)
    assert request.vocabulary == ["Kubernetes"]
    assert request.segments_file is None and request.initial_prompt is None, "left out: None, no default of its own"


def test_lists_of_objects_become_lists_of_dataclasses():
    raw = full_request(
        "diarize",
        {
            "audio": "/a.wav",
            "outDir": "/out",
            "transcript": "/t.json",
            "speech": [{"start": 0.5, "end": 2.0}],
            "minSpeakers": 1,
            "maxSpeakers": 4,
            "hopSec": 0.5,
            "voices": [{"name": "Ada", "audio": "/ada.m4a"}],
        },
    )
    request = parse_request(raw, "diarize")
    assert request.voices == [Voice(name="Ada", audio="/ada.m4a")]
    assert request.speech == [{"start": 0.5, "end": 2.0}]
    assert (request.min_speakers, request.max_speakers, request.hop_sec) == (1, 4, 0.5)


def test_a_missing_field_is_named_in_plain_words():
    raw = json.loads(transcribe_line())
    del raw["computeType"]
    assert problem(json.dumps(raw)) == (
        "invalid stage request: the transcribe request does not match the contract ('computeType' is a required "
        "property)"
    )


def test_a_wrong_type_names_the_field_and_the_value_even_inside_a_nullable_object():
    assert "beamSize: 'five' is not of type 'integer'" in problem(transcribe_line(beamSize="five"))
    assert "language: 5 is not of type 'string'" in problem(transcribe_line(language=5))
    assert "window.count: None is not of type 'integer'" in problem(transcribe_line(window={**WINDOW, "count": None}))
    no_count = {k: v for k, v in WINDOW.items() if k != "count"}
    assert "window: 'count' is a required property" in problem(transcribe_line(window=no_count))
    assert "server.timeoutSec: -1 is less than or equal to the minimum of 0" in problem(
        transcribe_line(server={**SERVER, "timeoutSec": -1})
    )


def test_an_unknown_field_is_refused():
    assert "'extra' was unexpected" in problem(transcribe_line(extra=1))


def test_an_unknown_stage_and_a_request_for_another_stage_are_refused():
    assert "unknown stage 'nope'; the contract knows decode, separate" in problem(transcribe_line(), "nope")
    line = json.dumps({**json.loads(transcribe_line()), "stage": "nope"})
    assert "for stage 'nope' (an unknown stage; the contract knows decode," in problem(line)
    assert "the request is for stage 'transcribe', not 'vad'" in problem(transcribe_line(), "vad")


def test_what_is_not_a_json_object_is_refused():
    assert "the request is not JSON" in problem("{oops")
    assert "the request is a JSON list, not an object" in problem("[1]")


def test_the_protocol_answers_an_invalid_request_with_the_contracts_error_event_not_a_traceback():
    raw = json.loads(transcribe_line())
    del raw["audio"]
    out = io.StringIO()
    status = handle_one("transcribe", json.dumps(raw), lambda _r, _c: {}, Channel(out))
    events = [json.loads(line) for line in out.getvalue().splitlines()]
    assert status == EXIT_BUG
    assert events == [
        {
            "event": "error",
            "code": "bug",
            "message": "invalid stage request: the transcribe request does not match the contract ('audio' is a "
            "required property)",
            "retryable": False,
        }
    ]


def test_every_stage_of_the_contract_has_a_request_type():
    assert tuple(REQUEST_TYPES) == STAGE_NAMES


def object_branch(prop: dict) -> dict:
    """The object schema of a property that may also be null."""
    return next((b for b in prop.get("anyOf", [prop]) if b.get("type") == "object"), prop)


def assert_matches(cls, schema: dict, where: str) -> None:
    """The dataclass has the schema's fields (snake_case), required ones without a default, nested ones alike."""
    props, required = schema["properties"], set(schema.get("required", []))
    by_name = {f.name: f for f in fields(cls)}
    assert set(by_name) == {snake_case(k) for k in props}, where
    hints = get_type_hints(cls)
    for key, prop in props.items():
        field = by_name[snake_case(key)]
        has_default = field.default is not MISSING or field.default_factory is not MISSING
        assert has_default == (key not in required), f"{where}.{key}: a default only where the schema may omit it"
        assert not has_default or field.default is None, f"{where}.{key}: no default but None is stated in Python"
        for kind in (hints[field.name], *get_args(hints[field.name])):
            inner = get_args(kind)[0] if get_args(kind) and is_dataclass(get_args(kind)[0]) else kind
            if is_dataclass(inner):
                branch = object_branch(prop)
                assert_matches(inner, branch.get("items", branch), f"{where}.{key}")


@pytest.mark.parametrize("stage", STAGE_NAMES)
def test_each_request_type_has_exactly_the_fields_of_its_contract_schema(stage):
    assert_matches(REQUEST_TYPES[stage], request_schema(stage), stage)


def test_a_span_has_the_fields_of_the_contracts_span():
    items = object_branch(request_schema("transcribe")["properties"]["speech"])
    span = next(b for b in items["anyOf"] if b.get("type") == "array")["items"]
    assert set(Span.__annotations__) == set(span["properties"]) == set(span["required"])


def test_a_field_the_contract_has_and_python_lacks_is_said_not_a_type_error():
    loose = {"type": "object"}  # a schema newer than the dataclass
    with pytest.raises(InvalidRequest, match="gives the window a field 'extra' that WindowRange lacks"):
        checked(WindowRange, loose, {**WINDOW, "extra": 1}, "window")


def test_snake_case_of_the_contracts_keys():
    assert [snake_case(k) for k in ("computeType", "timeoutSec", "audio", "heartbeatSeconds")] == [
        "compute_type",
        "timeout_sec",
        "audio",
        "heartbeat_seconds",
    ]
