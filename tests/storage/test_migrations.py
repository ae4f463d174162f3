from __future__ import annotations

import pytest
from sqlalchemy import inspect

from monitor.errors import DatabaseError
from storage import migrations
from storage.base import Base
from storage.session import create_db_engine


def test_upgrade_on_an_empty_database_creates_every_table(database_url: str) -> None:
    engine = create_db_engine(database_url)
    before, after = migrations.upgrade(engine)
    assert before is None
    assert after == migrations.head_revision()
    tables = set(inspect(engine).get_table_names())
    assert set(Base.metadata.tables) <= tables
    engine.dispose()


def test_upgrade_twice_is_a_no_op(database_url: str) -> None:
    engine = create_db_engine(database_url)
    migrations.upgrade(engine)
    before, after = migrations.upgrade(engine)
    assert before == after == migrations.head_revision()
    engine.dispose()


def test_models_and_migrations_agree(database_url: str) -> None:
    engine = create_db_engine(database_url)
    migrations.upgrade(engine)
    migrations.check(engine)  # raises when autogenerate would find a difference
    engine.dispose()


def test_commands_refuse_an_unmigrated_database(database_url: str) -> None:
    engine = create_db_engine(database_url)
    with pytest.raises(DatabaseError, match=r"数据库为空；请先运行“monitor db upgrade”"):
        migrations.require_current(engine)
    engine.dispose()
