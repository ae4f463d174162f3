"""The one declarative base of the product's tables.

A naming convention gives every constraint and index a predictable name, which Alembic
needs to alter them later (SQLite in batch mode recreates tables by these names).
"""

from __future__ import annotations

from datetime import UTC, datetime
from enum import StrEnum
from typing import Any, TypeVar, cast

from sqlalchemy import JSON, DateTime, MetaData, String, TypeDecorator, event
from sqlalchemy.engine import CursorResult, Dialect
from sqlalchemy.orm import DeclarativeBase, Mapper, Session
from sqlalchemy.sql.expression import Executable

from monitor.domain import (
    Category,
    CrawlOutcome,
    Cycle,
    DateSource,
    EvidenceStatus,
    LinkKind,
    LinkStatus,
    ProblemState,
    ProblemType,
    Render,
    Role,
    RunStatus,
    TitleSource,
)
from monitor.errors import UnknownStoredValueError

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[datetime]):
    """An instant stored as naive UTC and returned timezone-aware.

    SQLite keeps no offset; storing UTC everywhere (SPEC §2) and refusing naive input
    keeps a local time from ever being saved as if it were UTC.
    """

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("refusing to store a naive datetime; give it a timezone")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC)


E = TypeVar("E", bound=StrEnum)


class ByValue(TypeDecorator[E]):
    """A member of a `monitor.domain` enum, stored as its value (a short string).

    The column stays the plain VARCHAR it always was; code reads and writes members, never
    strings to convert by hand. A stored string that is no member is refused when read, as
    it means the database was written by something else than this version.
    """

    impl = String(32)
    cache_ok = True

    def __init__(self, enum: type[E], length: int = 32):
        super().__init__(length)
        self.enum = enum

    def process_bind_param(self, value: E | str | None, dialect: Dialect) -> str | None:
        if value is None:
            return None
        # A plain string is let through when it is a member's value (the enums are
        # StrEnums, and a comparison may be written with one); anything else is a bug.
        return self.enum(value).value

    def process_result_value(self, value: str | None, dialect: Dialect) -> E | None:
        if value is None:
            return None
        try:
            return self.enum(value)
        except ValueError:
            raise UnknownStoredValueError(self.enum.__name__, value) from None

    def member(self, value: E | str | None) -> E | None:
        """`value` as the member it names: what an attribute of the column holds."""
        return None if value is None else self.enum(value)


# Each enum a column holds, mapped by its annotation (`Mapped[RunStatus]`).
_ENUMS: tuple[type[StrEnum], ...] = (
    Category, Cycle, Render, DateSource, TitleSource, LinkKind, LinkStatus, CrawlOutcome,
    RunStatus, ProblemType, ProblemState, EvidenceStatus, Role,
)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map: dict[Any, Any] = {
        datetime: UTCDateTime(),
        dict[str, Any]: JSON(),
        list[str]: JSON(),
        **{enum: ByValue(enum) for enum in _ENUMS},
    }


@event.listens_for(Base, "mapper_configured", propagate=True)
def _members_when_set(mapper: Mapper[Any], class_: type) -> None:
    """An attribute of a `ByValue` column holds a member from the moment it is set, not
    only once read back: `problem.state = "fixed"` then `problem.state is
    ProblemState.FIXED` holds in the same session, and a non-member fails at once."""
    for prop in mapper.column_attrs:
        kind = prop.columns[0].type
        if isinstance(kind, ByValue):
            event.listen(prop.class_attribute, "set", _setter(kind), retval=True)


def _setter(kind: ByValue[Any]) -> Any:
    def set_member(target: object, value: Any, old: object, initiator: object) -> Any:
        return kind.member(value)
    return set_member


def rows_changed(session: Session, statement: Executable) -> int:
    """How many rows an UPDATE or DELETE changed (its cursor's row count; 0 when the driver
    cannot say)."""
    result = session.execute(statement)
    return max(cast(CursorResult[Any], result).rowcount, 0)
