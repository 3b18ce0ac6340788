"""Typed stage requests: built from the request line, checked against the generated contract schema."""

import io
import json
from dataclasses import MISSING, FrozenInstanceError, fields

import pytest
from conftest import full_request, transcribe_request

from dropscribe_stages.runtime.contract import STAGE_NAMES
from dropscribe_stages.runtime.errors import EXIT_BUG, InvalidRequest
from dropscribe_stages.runtime.protocol import Channel, handle_one
from dropscribe_stages.runtime.stage_requests import (
    REQUEST_TYPES,
    Request,
    TranscribeRequest,
    parse_request,
    request_schema,
)
from dropscribe_stages.runtime.typed_json import camel_case, record_type, snake_case, to_json

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
    assert isinstance(request, TranscribeRequest) and isinstance(request, Request)
    assert (request.compute_type, request.beam_size, request.cpu_threads) == ("int8", 5, 0)
    assert request.language_mismatch == "warn" and request.language is None and request.speech is None
    assert (request.window.index, request.window.count, request.window.start, request.window.end) == (1, 3, 60.0, 120.5)
    assert type(request.window).__name__ == "TranscribeRequestWindow"
    assert (request.server.url, request.server.timeout_sec, request.server.prompt) == (SERVER["url"], 90, None)
    assert request.vocabulary == ["Kubernetes"]
    assert request.segments_file is None and request.initial_prompt is None, "left out: None, no default of its own"


def test_lists_of_objects_become_lists_of_records():
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
    assert [(v.name, v.audio) for v in request.voices] == [("Ada", "/ada.m4a")]
    assert [(s.start, s.end) for s in request.speech] == [(0.5, 2.0)]
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


def test_a_request_is_frozen_and_goes_back_to_the_line_it_came_from():
    raw = json.loads(transcribe_line(window=WINDOW, server=SERVER, speech=[{"start": 1.0, "end": 2.5}]))
    request = parse_request(raw, "transcribe")
    with pytest.raises(FrozenInstanceError):
        request.model = "large-v3"
    omitted = {camel_case(f.name) for f in fields(request)} - set(raw)
    assert to_json(request) == {**raw, **dict.fromkeys(omitted)}, "every field kept, left-out ones as None"


@pytest.mark.parametrize("stage", STAGE_NAMES)
def test_each_request_type_has_the_fields_of_its_schema_required_ones_without_a_default(stage):
    schema = request_schema(stage)
    by_key = {camel_case(f.name): f for f in fields(REQUEST_TYPES[stage])}
    assert set(by_key) == set(schema["properties"])
    for key, field in by_key.items():
        assert (field.default is MISSING) == (key in schema["required"]), f"{stage}.{key}"


def test_a_record_type_is_made_from_any_object_schema_with_nested_objects_and_nullable_fields():
    schema = {
        "type": "object",
        "properties": {
            "name": {"type": "string"},
            "inner": {"anyOf": [{"type": "object", "properties": {"x": {"type": "number"}}}, {"type": "null"}]},
            "rows": {"type": "array", "items": {"type": "object", "properties": {"y": {"type": "integer"}}}},
            "note": {"type": ["string", "null"]},
        },
        "required": ["name", "rows"],
    }
    record = record_type("Thing", schema)
    hints = {f.name: f.type for f in fields(record)}
    assert hints["name"] is str and hints["note"] == str | None
    assert [f.name for f in fields(hints["inner"].__args__[0])] == ["x"]
    assert hints["rows"].__args__[0].__name__ == "ThingRowsItem"


def test_snake_case_of_the_contracts_keys():
    assert [snake_case(k) for k in ("computeType", "timeoutSec", "audio", "heartbeatSeconds")] == [
        "compute_type",
        "timeout_sec",
        "audio",
        "heartbeat_seconds",
    ]
