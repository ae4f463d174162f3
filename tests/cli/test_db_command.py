from __future__ import annotations

from collections.abc import Callable

import pytest
from typer.testing import Result

from storage import migrations


def test_db_upgrade_creates_then_is_a_no_op(
    run_cli: Callable[..., Result], empty_database_url: str
) -> None:
    head = migrations.head_revision()
    first = run_cli("db", "upgrade", "--db", empty_database_url)
    assert first.exit_code == 0
    assert first.stdout.endswith(f": created, now at revision {head}\n")
    second = run_cli("db", "upgrade", "--db", empty_database_url)
    assert second.exit_code == 0
    assert second.stdout.endswith(f": already at revision {head}, nothing to do\n")


def test_db_url_comes_from_the_environment(
    run_cli: Callable[..., Result], empty_database_url: str
) -> None:
    result = run_cli("db", "upgrade", env={"MONITOR_DB": empty_database_url})
    assert result.exit_code == 0


def test_a_malformed_db_url_exits_1(run_cli: Callable[..., Result]) -> None:
    result = run_cli("db", "upgrade", "--db", "not a url")
    assert result.exit_code == 1
    assert result.stderr == (
        "error: 'not a url' is not a database URL (write e.g. sqlite:///var/monitor.db "
        "or postgresql+psycopg://user@host/dbname)\n"
    )


@pytest.mark.parametrize(("url", "scheme"), [
    ("mysql://monitor:secret@127.0.0.1/monitor", "mysql"),
    ("sqlite+foo:///var/monitor.db", "sqlite+foo"),
    ("postgresql+asyncpg://postgres@127.0.0.1/monitor", "postgresql+asyncpg"),
    ("oracle://x", "oracle"),
])
@pytest.mark.parametrize("cli_language", ["zh_CN"])
def test_an_unsupported_database_exits_1_naming_the_supported_ones(
    run_cli: Callable[..., Result], url: str, scheme: str
) -> None:
    result = run_cli("problems", "list", "--db", url)
    assert (result.exit_code, result.stdout) == (1, "")
    assert result.stderr == (
        f"错误：不支持的数据库 '{scheme}'：只支持 sqlite（如 sqlite:///var/monitor.db）"
        "和 postgresql（如 postgresql+psycopg://user@host/dbname）\n"
    )


def test_a_bad_monitor_now_exits_1(run_cli: Callable[..., Result], tmp_path) -> None:
    result = run_cli("db", "upgrade", "--db", f"sqlite:///{tmp_path}/x.db",
                     env={"MONITOR_NOW": "2024-05-10T09:00:00"})
    assert result.exit_code == 1
    assert result.stderr == (
        "error: MONITOR_NOW: '2024-05-10T09:00:00' has no UTC offset "
        "(write e.g. 2024-05-10T09:00:00+08:00)\n"
    )
