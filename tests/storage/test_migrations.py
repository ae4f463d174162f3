from __future__ import annotations

import pytest
from alembic import command
from sqlalchemy import Engine, inspect, text
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
    migrations.upgrade(engine, "0009")
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


# One row of each table that 0010 gives a site, as a database at 0009 holds them.
ROWS_BEFORE_SITES = (
    "INSERT INTO page (url, fetched_at, is_home) VALUES ('https://a.example/1', "
    "'2024-05-13 00:30:00', FALSE)",
    "INSERT INTO link_target (url, kind, internal, status, redirect_chain, on_home, first_seen) "
    "VALUES ('https://a.example/x', 'a', TRUE, 'broken', '[]', FALSE, '2024-05-13 00:30:00')",
    "INSERT INTO problem (type, key, detail, state, first_seen, last_seen, recurring, "
    "reopen_count) VALUES ('dead_link', 'k', '', 'open', '2024-05-13 00:30:00', "
    "'2024-05-13 00:30:00', FALSE, 0)",
    "INSERT INTO probe_result (url, at, ok) VALUES ('https://a.example/', "
    "'2024-05-13 00:30:00', TRUE)",
    "INSERT INTO alert_outbox (dedupe_key, kind, week, recipients, subject, body_text, "
    "body_html, created_at, attempts, delivered_to, refused_to, uncertain_to) VALUES "
    "('weekly:2024-05-13:office', 'weekly', '2024-05-13', '[]', 's', 't', 'h', "
    "'2024-05-13 00:30:00', 0, '[]', '{}', '[]')",
)
SCOPED_TABLES = ("page", "link_target", "problem", "probe_result", "alert_outbox")


def _at_0009_with_rows(url: str, sites: int) -> Engine:
    engine = create_db_engine(url)
    migrations.upgrade(engine, "0009")
    with engine.begin() as connection:
        for number in range(1, sites + 1):
            connection.execute(text(
                f"INSERT INTO site (id, name, url) VALUES ({number * 7}, 'portal {number}', "
                f"'https://p{number}.example/')"))
        for statement in ROWS_BEFORE_SITES:
            connection.execute(text(statement))
    return engine


def test_upgrade_gives_a_single_portals_rows_its_site_and_keys_become_unique_per_site(
    empty_database_url: str,
) -> None:
    engine = _at_0009_with_rows(empty_database_url, sites=1)
    migrations.upgrade(engine)
    with engine.begin() as connection:
        for table in SCOPED_TABLES:
            assert connection.execute(text(f"SELECT site_id FROM {table}")).scalars().all() == [
                7], table
        # A second portal may now hold the same page, target, problem and digest key …
        connection.execute(text("INSERT INTO site (id, name, url) VALUES "
                                "(8, 'portal 2', 'https://p2.example/')"))
        for statement in ROWS_BEFORE_SITES:
            connection.execute(text(_with_site(statement, 8)))
    # … but one portal never twice.
    for statement in ROWS_BEFORE_SITES:
        if "probe_result" in statement:
            continue  # probes are a series, not a key
        with pytest.raises(IntegrityError), engine.begin() as connection:
            connection.execute(text(_with_site(statement, 8)))
    engine.dispose()


def _with_site(statement: str, site_id: int) -> str:
    columns, values = statement.split(") VALUES (")
    return f"{columns}, site_id) VALUES ({values[:-1]}, {site_id})"


@pytest.mark.usefixtures("english")
def test_upgrade_refuses_rows_of_no_known_portal(empty_database_url: str) -> None:
    engine = _at_0009_with_rows(empty_database_url, sites=0)
    with pytest.raises(DatabaseError, match="have rows but the database has no site"):
        migrations.upgrade(engine)
    assert migrations.current_revision(engine) == "0009"
    engine.dispose()


@pytest.mark.usefixtures("english")
def test_upgrade_refuses_to_guess_whose_rows_are_among_several_sites(
    empty_database_url: str,
) -> None:
    engine = _at_0009_with_rows(empty_database_url, sites=2)
    with pytest.raises(DatabaseError, match="has 2 sites, and nothing says whose"):
        migrations.upgrade(engine)
    assert migrations.current_revision(engine) == "0009"
    engine.dispose()


def test_downgrade_from_portal_scoping_keeps_a_single_portals_rows(
    empty_database_url: str,
) -> None:
    engine = _at_0009_with_rows(empty_database_url, sites=1)
    migrations.upgrade(engine)
    config = migrations.alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0009")
    with engine.begin() as connection:
        for table in SCOPED_TABLES:
            assert connection.scalar(text(f"SELECT count(*) FROM {table}")) == 1, table
        assert "site_id" not in {column["name"] for column in inspect(connection).get_columns(
            "page")}
    engine.dispose()


@pytest.mark.usefixtures("english")
def test_downgrade_refuses_a_database_holding_two_portals_rows(
    empty_database_url: str,
) -> None:
    engine = _at_0009_with_rows(empty_database_url, sites=1)
    migrations.upgrade(engine)
    with engine.begin() as connection:
        connection.execute(text("INSERT INTO site (id, name, url) VALUES "
                                "(8, 'portal 2', 'https://p2.example/')"))
        connection.execute(text(_with_site(ROWS_BEFORE_SITES[0], 8)))
    config = migrations.alembic_config()
    with pytest.raises(DatabaseError, match="page holds the rows of 2 portals"), \
            engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0009")
    assert migrations.current_revision(engine) == migrations.head_revision()
    engine.dispose()
