"""Dashboard users and their passwords (SPEC §8): `monitor users` and the login page.

Passwords are hashed with Argon2id (argon2-cffi's defaults); a hash made with weaker
parameters than today's defaults is replaced at the next successful login. A name that
does not exist costs the same hashing work as a wrong password, so the login's timing
does not tell which names exist.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy.orm import Session

from monitor.config import PortalConfig
from monitor.domain import Role
from monitor.errors import UserError
from monitor.i18n import _
from monitor.services.facts import portal_site_id
from monitor.units import find_unit
from storage.queries import unit_id_by_name
from storage.user_store import (
    UserRow,
    all_users,
    delete_user,
    insert_user,
    set_password_hash,
    user_by_name,
)

MIN_PASSWORD_LENGTH = 8
_NAME = re.compile(r"^[\w.@-]{1,100}$")
_HASHER = PasswordHasher()
# Verified against when the name is unknown, so both cases take the same time.
_DUMMY_HASH = _HASHER.hash("not a password of anyone")


@dataclass(frozen=True)
class User:
    name: str
    role: Role
    unit: str | None

    @property
    def is_office(self) -> bool:
        return self.role is Role.OFFICE

    def may_see_unit(self, unit_name: str) -> bool:
        return self.is_office or self.unit == unit_name


def _user(row: UserRow) -> User:
    return User(row.name, row.role, row.unit)


def hash_password(password: str) -> str:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise UserError(_("the password must be at least {length} characters long").format(
            length=MIN_PASSWORD_LENGTH))
    return _HASHER.hash(password)


def add_user(session: Session, config: PortalConfig, name: str, role: Role,
             unit: str | None, password: str, at: datetime) -> User:
    """Create a dashboard user; a `unit` user needs its unit (name or alias), the office none."""
    if not _NAME.match(name):
        raise UserError(_("'{name}' is not a user name: use letters, digits, . _ @ - (at "
                          "most 100 characters)").format(name=name))
    if user_by_name(session, name) is not None:
        raise UserError(_("user '{name}' already exists (remove it first to replace it)")
                        .format(name=name))
    unit_id, unit_name = None, None
    if role is Role.UNIT:
        if unit is None:
            raise UserError(_("a unit user needs --unit NAME"))
        unit_name = find_unit(config, unit).name
        unit_id = unit_id_by_name(session, portal_site_id(session, config), unit_name)
    elif unit is not None:
        raise UserError(_("an office user sees every unit: give --unit only with --role "
                          "unit"))
    insert_user(session, name, role, unit_id, hash_password(password), at)
    return User(name, role, unit_name)


def list_users(session: Session) -> list[User]:
    return [_user(row) for row in all_users(session)]


def remove_user(session: Session, name: str) -> None:
    if not delete_user(session, name):
        raise UserError(_("no user '{name}' (see 'monitor users list')").format(name=name))


def find_user(session: Session, name: str) -> User | None:
    row = user_by_name(session, name)
    return None if row is None else _user(row)


def authenticate(session: Session, name: str, password: str) -> User | None:
    """The user when `password` is theirs, else None (unknown name or wrong password)."""
    row = user_by_name(session, name)
    try:
        _HASHER.verify(row.password_hash if row else _DUMMY_HASH, password)
    except (VerificationError, InvalidHashError):
        return None
    if row is None:
        return None
    if _HASHER.check_needs_rehash(row.password_hash):
        set_password_hash(session, name, _HASHER.hash(password))
    return _user(row)
