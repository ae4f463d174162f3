"""Run the Alembic migrations from the product (`monitor db upgrade`) and from tests."""

from __future__ import annotations

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine
from sqlalchemy.exc import OperationalError

from monitor.errors import DatabaseError
from monitor.i18n import _
from monitor.resources import package_dir


def alembic_config() -> Config:
    config = Config()
    # Looked up when used: a crawl job importing this module from a zipped egg never needs it.
    config.set_main_option("script_location", str(package_dir("storage", "alembic")))
    return config


def upgrade(engine: Engine, revision: str = "head") -> tuple[str | None, str]:
    """Migrate to `revision`; returns the revisions before and after."""
    before = current_revision(engine)
    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, revision)
    return before, current_revision(engine) or ""


def check(engine: Engine) -> None:
    """Raise if the models and the migrations disagree (`alembic check`)."""
    config = alembic_config()
    with engine.connect() as connection:
        config.attributes["connection"] = connection
        command.check(config)


def head_revision() -> str:
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    assert head is not None, "storage/alembic/versions has no revision"
    return head


def current_revision(engine: Engine) -> str | None:
    try:
        with engine.connect() as connection:
            return MigrationContext.configure(connection).get_current_revision()
    except OperationalError as err:
        raise DatabaseError(_("cannot open the database: {reason}").format(
            reason=err.orig)) from None


def require_current(engine: Engine) -> None:
    """Commands that read or write data call this first: a clear message beats a SQL error."""
    current = current_revision(engine)
    if current != head_revision():
        if current is None:
            message = _("the database is empty; run 'monitor db upgrade' first")
        else:
            message = _("the database is at revision {revision}; run 'monitor db upgrade' "
                        "first").format(revision=current)
        raise DatabaseError(message)
