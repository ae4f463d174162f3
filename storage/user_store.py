"""Dashboard users in storage (SPEC §8): add, list, remove, look up by name.

Only the password's hash is stored; hashing and checking belong to `monitor.services.users`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import cast

from sqlalchemy import Select, delete, select
from sqlalchemy.orm import Session

from monitor.domain import Role
from storage.base import rows_changed
from storage.models import Unit, WebUser


@dataclass(frozen=True)
class UserRow:
    id: int
    name: str
    role: Role
    unit: str | None
    password_hash: str
    created_at: datetime


_UserColumns = tuple[int, str, Role, str | None, str, datetime]


def _user_query() -> Select[_UserColumns]:
    # The outer join makes the unit's name NULL for office users: the typed tuple says so.
    query = (
        select(WebUser.id, WebUser.name, WebUser.role, Unit.name, WebUser.password_hash,
               WebUser.created_at)
        .outerjoin(Unit, Unit.id == WebUser.unit_id)
    )
    return cast(Select[_UserColumns], query)


def user_by_name(session: Session, name: str) -> UserRow | None:
    row = session.execute(_user_query().where(WebUser.name == name)).first()
    return None if row is None else UserRow(*row)


def all_users(session: Session) -> list[UserRow]:
    return [UserRow(*row) for row in session.execute(_user_query().order_by(WebUser.name))]


def insert_user(session: Session, name: str, role: Role, unit_id: int | None,
                password_hash: str, at: datetime) -> None:
    session.add(WebUser(name=name, role=role, unit_id=unit_id, password_hash=password_hash,
                        created_at=at))
    session.flush()


def set_password_hash(session: Session, name: str, password_hash: str) -> None:
    user = session.scalars(select(WebUser).where(WebUser.name == name)).one()
    user.password_hash = password_hash
    session.flush()


def delete_user(session: Session, name: str) -> bool:
    """Remove the user `name`; False when there was none."""
    changed = rows_changed(session, delete(WebUser).where(WebUser.name == name))
    return changed > 0
