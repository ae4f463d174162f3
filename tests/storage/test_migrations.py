from __future__ import annotations

import pytest
from alembic import command
from sqlalchemy import inspect, text
from sqlalchemy.exc import IntegrityError

from monitor.errors import DatabaseError
from storage import migrations
from storage.base import Base
from storage.session import create_db_engine


def test_upgrade_on_an_empty_database_creates_every_table(empty_database_url: str) -> None:
    engine = create_db_engine(empty_database_url)
    before, after = migrations.upgrade(engine)
    assert before is None
    assert after == migrations.head_revision()
    tables = set(inspect(engine).get_table_names())
    assert set(Base.metadata.tables) <= tables
    engine.dispose()


def test_upgrade_twice_is_a_no_op(empty_database_url: str) -> None:
    engine = create_db_engine(empty_database_url)
    migrations.upgrade(engine)
    before, after = migrations.upgrade(engine)
    assert before == after == migrations.head_revision()
    engine.dispose()


def test_models_and_migrations_agree(empty_database_url: str) -> None:
    engine = create_db_engine(empty_database_url)
    migrations.upgrade(engine)
    migrations.check(engine)  # raises when autogenerate would find a difference
    engine.dispose()


def test_commands_refuse_an_unmigrated_database(empty_database_url: str) -> None:
    engine = create_db_engine(empty_database_url)
    with pytest.raises(DatabaseError, match=r"数据库为空；请先运行“monitor db upgrade”"):
        migrations.require_current(engine)
    engine.dispose()


def test_outbox_rows_queued_before_channels_become_e_mails_and_a_key_is_unique_per_channel(
    empty_database_url: str,
) -> None:
    engine = create_db_engine(empty_database_url)
    migrations.upgrade(engine, "0008")
    row = ("'weekly:2024-05-13:unit:1', 'weekly', '2024-05-13', '[]', 's', 't', 'h', "
           "'2024-05-13 00:30:00', 0, '[]', '{}', '[]'")
    columns = ("dedupe_key, kind, week, recipients, subject, body_text, body_html, created_at, "
               "attempts, delivered_to, refused_to, uncertain_to")
    with engine.begin() as connection:
        connection.execute(text(f"INSERT INTO alert_outbox ({columns}) VALUES ({row})"))
    migrations.upgrade(engine)
    with engine.begin() as connection:
        assert connection.scalar(text("SELECT channel FROM alert_outbox")) == "email"
        # The same alert to a chat group is a delivery of its own …
        connection.execute(text(
            f"INSERT INTO alert_outbox ({columns}, channel) "
            f"VALUES ({row}, 'wecombot://${{WECOM_KEY}}')"))
    # … but never twice to the same channel.
    with pytest.raises(IntegrityError), engine.begin() as connection:
        connection.execute(text(f"INSERT INTO alert_outbox ({columns}) VALUES ({row})"))
    config = migrations.alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0008")
    with engine.begin() as connection:
        assert connection.scalar(text("SELECT count(*) FROM alert_outbox")) == 1
    engine.dispose()
