"""Checks that span the whole config: names and URLs that must be unique."""

from __future__ import annotations

from collections.abc import Iterator

from monitor.config.models import PortalConfig
from monitor.config.positions import KeyPath


def cross_checks(config: PortalConfig) -> Iterator[tuple[KeyPath, str]]:
    yield from _unit_names(config)
    yield from _column_urls(config)
    yield from _calendar(config)


def _unit_names(config: PortalConfig) -> Iterator[tuple[KeyPath, str]]:
    # Names and aliases share one namespace: `monitor check --unit X` must be unambiguous.
    owner: dict[str, int] = {}
    for index, unit in enumerate(config.units):
        if unit.name in owner:
            first = owner[unit.name]
            yield (
                ("units", index, "name"),
                f"unit '{unit.name}' is already defined as units[{first}]: "
                "unit names must be unique",
            )
        else:
            owner[unit.name] = index
    for index, unit in enumerate(config.units):
        for position, alias in enumerate(unit.aliases):
            other = owner.get(alias)
            if other is not None and other != index:
                yield (
                    ("units", index, "aliases", position),
                    f"alias '{alias}' is the name of units[{other}]: "
                    "an alias must name one unit only",
                )
            elif other is None:
                owner[alias] = index


def _column_urls(config: PortalConfig) -> Iterator[tuple[KeyPath, str]]:
    seen: dict[str, tuple[int, int]] = {}
    for unit_index, unit in enumerate(config.units):
        for column_index, column in enumerate(unit.columns):
            key = column.url.rstrip("/")
            if key in seen:
                first_unit, first_column = seen[key]
                yield (
                    ("units", unit_index, "columns", column_index, "url"),
                    f"'{column.url}' is already the URL of units[{first_unit}].columns"
                    f"[{first_column}]: each column URL may appear once",
                )
            else:
                seen[key] = (unit_index, column_index)


def _calendar(config: PortalConfig) -> Iterator[tuple[KeyPath, str]]:
    holidays = set(config.calendar.holidays)
    for index, day in enumerate(config.calendar.workdays):
        if day in holidays:
            yield (
                ("calendar", "workdays", index),
                f"{day.isoformat()} is listed both as a holiday and as a workday",
            )
