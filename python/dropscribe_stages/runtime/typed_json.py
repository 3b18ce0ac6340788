"""JSON objects as frozen dataclasses and back, the dataclasses made from the contract's schema itself.

An object schema becomes a dataclass with one field per property: the camelCase key as a snake_case field
(`computeType` -> `compute_type`), required properties without a default, the others None when left out. A nested
object becomes a dataclass of its own, named after its parent and key (`TranscribeRequestWindow`); a list holds its
items built the same way. The fields are thus stated once, in src/core/contract.ts, and Python cannot lag behind it.
A value is checked against the schema before it is built; what the schema rejects is an InvalidRequest with a plain
message (no KeyError, no traceback).
"""

from __future__ import annotations

import re
import types
from collections.abc import Iterable
from dataclasses import field, fields, is_dataclass, make_dataclass
from typing import Any, Union, cast, get_args, get_origin

import jsonschema
from jsonschema import exceptions as schema_errors
from jsonschema.exceptions import ValidationError

from .errors import InvalidRequest

JsonObject = dict[str, Any]  # a JSON object as json.loads gives it
SCHEMA_ATTRIBUTE = "_schema"  # where a record type keeps the schema it was made from
PLAIN_TYPES: dict[str, type] = {"string": str, "integer": int, "number": float, "boolean": bool}


def snake_case(key: str) -> str:
    """`computeType` -> `compute_type`, `timeoutSec` -> `timeout_sec`."""
    return re.sub(r"(?<!^)(?=[A-Z])", "_", key).lower()


def camel_case(name: str) -> str:
    """`offline_models` -> `offlineModels` (the JSON key of a field)."""
    head, *rest = name.split("_")
    return head + "".join(part.capitalize() for part in rest)


def to_json(value: Any) -> Any:
    """A dataclass as the JSON object of the contract: fields camelCase, nested dataclasses alike, dict keys kept."""
    if is_dataclass(value) and not isinstance(value, type):
        return {camel_case(f.name): to_json(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, dict):
        return {key: to_json(item) for key, item in cast(JsonObject, value).items()}
    if isinstance(value, (list, tuple)):
        return [to_json(item) for item in cast(list[Any], value)]
    return value


def schema_problem(schema: JsonObject, value: Any) -> str | None:
    """What is wrong with `value` under `schema`, in plain words, or None when nothing is."""
    validator = jsonschema.Draft202012Validator(schema)
    error = best_error(validator.iter_errors(value))  # pyright: ignore[reportUnknownMemberType] (one overload untyped)
    if error is None:
        return None
    while error.context:  # a nullable field: say what is wrong with the value, not that it is not null either
        useful = [e for e in error.context if e.validator_value != "null"]
        if not useful:
            break
        error = cast(ValidationError, best_error(useful))
    where = ".".join(str(p) for p in error.absolute_path)
    return f"{where}: {error.message}" if where else error.message


def best_error(errors: Iterable[ValidationError]) -> ValidationError | None:
    """jsonschema's best_match, with the return type its stubs leave unknown."""
    found = schema_errors.best_match(errors)  # pyright: ignore[reportUnknownMemberType, reportUnknownVariableType] (stubs)
    return cast(ValidationError | None, found)


def branches(schema: JsonObject) -> list[JsonObject]:
    """The alternatives of a schema (`anyOf`, or a list of types), or the schema alone."""
    if "anyOf" in schema:
        return schema["anyOf"]
    kinds = schema.get("type")
    if isinstance(kinds, list):
        return [{**schema, "type": kind} for kind in cast(list[str], kinds)]
    return [schema]


def record_type(name: str, schema: JsonObject, base: type | None = None) -> type:
    """The frozen dataclass of an object schema, its nested objects made alike (see the module's docstring)."""
    required = set[str](schema.get("required", []))
    specs: list[tuple[str, Any] | tuple[str, Any, Any]] = []
    properties: JsonObject = schema["properties"]
    for key, prop in properties.items():
        kind = python_type(name + key[0].upper() + key[1:], prop)
        if key in required:
            specs.append((snake_case(key), kind))
        else:
            specs.append((snake_case(key), kind | None, field(default=None)))
    record = make_dataclass(name, specs, bases=(base,) if base else (), frozen=True, kw_only=True)
    record.__doc__ = schema.get("description", f"{name}, as the contract's schema has it.")
    setattr(record, SCHEMA_ATTRIBUTE, schema)
    return record


def python_type(name: str, schema: JsonObject) -> Any:
    """The Python type of a property's schema: a plain type, a record type, a list of either, or a union of those."""
    kinds: list[Any] = []
    for branch in branches(schema):
        kind = branch.get("type")
        if kind == "null":
            kinds.append(type(None))
        elif kind == "object" and "properties" in branch:
            kinds.append(record_type(name, branch))
        elif kind == "object":
            kinds.append(dict)
        elif kind == "array":
            kinds.append(list[python_type(name + "Item", branch.get("items", {}))])
        else:
            kinds.append(PLAIN_TYPES.get(kind, Any) if isinstance(kind, str) else Any)
    union = kinds[0]
    for kind in kinds[1:]:
        union = union | kind
    return union


def checked(record: type, value: Any, what: str) -> Any:
    """`value` as a `record` (from record_type), after its schema accepted it; `what` names it in messages."""
    problem = schema_problem(getattr(record, SCHEMA_ATTRIBUTE), value)
    if problem is not None:
        raise InvalidRequest(f"the {what} does not match the contract ({problem})")
    return build(record, value)


def build(record: type, value: JsonObject) -> Any:
    """A `record` of the JSON object `value` (already checked against its schema)."""
    kinds = {f.name: f.type for f in fields(record)}
    return record(**{snake_case(key): convert(kinds[snake_case(key)], item) for key, item in value.items()})


def convert(kind: Any, value: Any) -> Any:
    """A checked JSON value as the type `kind` (from python_type): records built, lists item by item, the rest as is."""
    for option in get_args(kind) if get_origin(kind) in (Union, types.UnionType) else (kind,):
        if isinstance(value, list) and get_origin(option) is list:
            return [convert(get_args(option)[0], item) for item in cast(list[Any], value)]
        if isinstance(value, dict) and hasattr(option, SCHEMA_ATTRIBUTE):
            return build(option, cast(JsonObject, value))
    return cast(Any, value)
