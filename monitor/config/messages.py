"""Turn pydantic's validation errors into one-line messages with a hint."""

from __future__ import annotations

import difflib
from enum import Enum
from typing import Any

from pydantic import BaseModel
from pydantic_core import ErrorDetails

from monitor.config.positions import KeyPath

_TYPE_NAMES = {
    "int_type": "a whole number",
    "int_parsing": "a whole number",
    "int_from_float": "a whole number",
    "float_type": "a number",
    "float_parsing": "a number",
    "bool_type": "true or false",
    "bool_parsing": "true or false",
    "string_type": "text",
    "list_type": "a list",
    "date_type": "a date (YYYY-MM-DD)",
    "date_parsing": "a date (YYYY-MM-DD)",
    "date_from_datetime_parsing": "a date (YYYY-MM-DD)",
    "model_type": "a mapping of keys",
    "dict_type": "a mapping of keys",
}


def closest(word: str, choices: list[str]) -> str | None:
    matches = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    return matches[0] if matches else None


def describe(error: ErrorDetails, root: type[BaseModel]) -> tuple[KeyPath, str]:
    """The key path an error is about and the message to show for it."""
    path: KeyPath = tuple(error["loc"])
    kind = error["type"]
    value = error.get("input")
    if kind == "extra_forbidden":
        return path, _unknown_key(path, root)
    if kind == "missing":
        return path, "is required but missing"
    if kind in ("enum", "literal_error"):
        return path, _not_one_of(value, error)
    if kind in _TYPE_NAMES:
        return path, f"expected {_TYPE_NAMES[kind]}, got {_show(value)}"
    if kind == "value_error":
        return path, str(error.get("ctx", {}).get("error", error["msg"]))
    return path, f"{error['msg'][0].lower()}{error['msg'][1:]} (got {_show(value)})"


def _show(value: Any) -> str:
    if isinstance(value, str):
        return f"'{value}'"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "nothing"
    return repr(value)


def _not_one_of(value: Any, error: ErrorDetails) -> str:
    expected = str(error.get("ctx", {}).get("expected", ""))
    choices = [part.strip(" '\"") for part in expected.replace(" or ", ",").split(",")]
    choices = [choice for choice in choices if choice]
    message = f"{_show(value)} is not one of {', '.join(choices)}"
    guess = closest(str(value), choices)
    return f"{message} (did you mean '{guess}'?)" if guess else message


def _unknown_key(path: KeyPath, root: type[BaseModel]) -> str:
    key = str(path[-1])
    allowed = _fields_at(root, path[:-1])
    guess = closest(key, allowed)
    if guess:
        return f"unknown key '{key}' (did you mean '{guess}'?)"
    return f"unknown key '{key}' (allowed: {', '.join(allowed)})"


def _fields_at(model: type[BaseModel], path: KeyPath) -> list[str]:
    """The keys the model accepts at `path`, following nested models and lists."""
    current: Any = model
    for part in path:
        if isinstance(part, int):
            continue
        field = current.model_fields.get(part) if _is_model(current) else None
        if field is None:
            return []
        current = _model_in(field.annotation)
    return list(current.model_fields) if _is_model(current) else []


def _is_model(candidate: Any) -> bool:
    return isinstance(candidate, type) and issubclass(candidate, BaseModel)


def _model_in(annotation: Any) -> Any:
    """The model class inside `X`, `X | None` or `list[X]`."""
    if _is_model(annotation):
        return annotation
    for arg in getattr(annotation, "__args__", ()):
        found = _model_in(arg)
        if found is not None:
            return found
    if isinstance(annotation, type) and issubclass(annotation, Enum):
        return None
    return None
