"""Turn pydantic's validation errors into one-line messages with a hint, in the language
people read (the `file:line key.path` before them stays as it is)."""

from __future__ import annotations

import difflib
from enum import Enum
from typing import Any

from pydantic import BaseModel
from pydantic_core import ErrorDetails

from monitor.config.positions import KeyPath
from monitor.i18n import N_, _

_TYPE_NAMES = {
    "int_type": N_("a whole number"),
    "int_parsing": N_("a whole number"),
    "int_from_float": N_("a whole number"),
    "float_type": N_("a number"),
    "float_parsing": N_("a number"),
    "bool_type": N_("true or false"),
    "bool_parsing": N_("true or false"),
    "string_type": N_("text"),
    "list_type": N_("a list"),
    "date_type": N_("a date (YYYY-MM-DD)"),
    "date_parsing": N_("a date (YYYY-MM-DD)"),
    "date_from_datetime_parsing": N_("a date (YYYY-MM-DD)"),
    "model_type": N_("a mapping of keys"),
    "dict_type": N_("a mapping of keys"),
}

# Pydantic's constraint errors, worded for the office; `ctx` fills the limits.
_LIMITS = {
    "too_short": N_("needs at least {min_length} item(s), got {actual_length}"),
    "too_long": N_("takes at most {max_length} item(s), got {actual_length}"),
    "string_too_short": N_("must be at least {min_length} character(s) long"),
    "string_too_long": N_("must be at most {max_length} character(s) long"),
    "greater_than": N_("must be greater than {gt}, got {value}"),
    "greater_than_equal": N_("must be at least {ge}, got {value}"),
    "less_than": N_("must be less than {lt}, got {value}"),
    "less_than_equal": N_("must be at most {le}, got {value}"),
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
        return path, _("is required but missing")
    if kind in ("enum", "literal_error"):
        return path, _not_one_of(value, error)
    if kind in _TYPE_NAMES:
        return path, _("expected {expected}, got {value}").format(
            expected=_(_TYPE_NAMES[kind]), value=_show(value))
    if kind == "value_error":
        return path, str(error.get("ctx", {}).get("error", error["msg"]))
    if kind in _LIMITS:
        limits = {name: _number(limit) for name, limit in error.get("ctx", {}).items()}
        return path, _(_LIMITS[kind]).format(**limits, value=_show(value))
    return path, _("{message} (got {value})").format(
        message=f"{error['msg'][0].lower()}{error['msg'][1:]}", value=_show(value))


def _number(limit: Any) -> Any:
    """31622400.0 as 31622400: a limit reads as the config writes it."""
    return int(limit) if isinstance(limit, float) and limit.is_integer() else limit


def _show(value: Any) -> str:
    if isinstance(value, str):
        return f"'{value}'"
    if isinstance(value, dict):
        return _("a mapping")
    if isinstance(value, list):
        return _("a list")
    if value is None:
        return _("nothing")
    return repr(value)


def _not_one_of(value: Any, error: ErrorDetails) -> str:
    expected = str(error.get("ctx", {}).get("expected", ""))
    choices = [part.strip(" '\"") for part in expected.replace(" or ", ",").split(",")]
    choices = [choice for choice in choices if choice]
    message = _("{value} is not one of {choices}").format(value=_show(value),
                                                         choices=", ".join(choices))
    guess = closest(str(value), choices)
    return message + _(" (did you mean '{guess}'?)").format(guess=guess) if guess else message


def _unknown_key(path: KeyPath, root: type[BaseModel]) -> str:
    key = str(path[-1])
    allowed = _fields_at(root, path[:-1])
    guess = closest(key, allowed)
    if guess:
        return _("unknown key '{key}'").format(key=key) + _(" (did you mean '{guess}'?)").format(
            guess=guess)
    return _("unknown key '{key}' (allowed: {keys})").format(key=key, keys=", ".join(allowed))


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
