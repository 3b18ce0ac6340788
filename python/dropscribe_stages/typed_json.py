"""JSON objects as frozen dataclasses and back, checked against their contract schema, built field by field.

A camelCase key of the JSON is the snake_case field of the same name (`computeType` -> `compute_type`); nested
objects become the dataclass their field names, lists of them lists of it. What the schema rejects, or a field the
schema has and the dataclass lacks, is an InvalidRequest with a plain message (no KeyError, no traceback).
"""

from __future__ import annotations

import re
import types
from dataclasses import fields, is_dataclass
from typing import Any, TypeVar, Union, get_args, get_origin, get_type_hints

import jsonschema
from jsonschema.exceptions import best_match

from .errors import InvalidRequest

T = TypeVar("T")


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
        return {key: to_json(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_json(item) for item in value]
    return value


def schema_problem(schema: dict, value: Any) -> str | None:
    """What is wrong with `value` under `schema`, in plain words, or None when nothing is."""
    error = best_match(jsonschema.Draft202012Validator(schema).iter_errors(value))
    if error is None:
        return None
    while error.context:  # a nullable field: say what is wrong with the value, not that it is not null either
        useful = [e for e in error.context if e.validator_value != "null"]
        if not useful:
            break
        error = best_match(useful)
    where = ".".join(str(p) for p in error.absolute_path)
    return f"{where}: {error.message}" if where else error.message


def checked(cls: type[T], schema: dict, value: Any, what: str) -> T:
    """`value` as a `cls`, after the schema accepted it; `what` names the object in messages."""
    problem = schema_problem(schema, value)
    if problem is not None:
        raise InvalidRequest(f"the {what} does not match the contract ({problem})")
    return build(cls, value, what)


def build(cls: type[T], value: dict, what: str) -> T:
    """A `cls` of the JSON object `value` (already checked against its schema)."""
    hints = get_type_hints(cls)
    names = {f.name for f in fields(cls)}  # type: ignore[arg-type]
    values = {}
    for key, item in value.items():
        name = snake_case(key)
        if name not in names:
            raise InvalidRequest(f"the contract gives the {what} a field {key!r} that {cls.__name__} lacks")
        values[name] = convert(hints[name], item, f"{what} {key}")
    return cls(**values)


def convert(hint: Any, value: Any, what: str) -> Any:
    """A JSON value as the type `hint` names: dataclasses built, lists of them built item by item, the rest as is."""
    if value is None:
        return None
    for kind in get_args(hint) if _is_union(hint) else (hint,):
        if is_dataclass(kind):
            return build(kind, value, what)
        if get_origin(kind) is list and get_args(kind) and is_dataclass(get_args(kind)[0]):
            return [build(get_args(kind)[0], item, what) for item in value]
    return value


def _is_union(hint: Any) -> bool:
    return get_origin(hint) in (Union, types.UnionType)
