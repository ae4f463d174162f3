"""`monitor users add|list|remove`: the dashboard's users, their roles and passwords."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from typer.testing import CliRunner, Result

from monitor.cli import app
from monitor.i18n import speaking
from monitor.services.users import authenticate
from storage.session import create_db_engine, session_factory

UNITS = [
    {"name": "县水利局", "group": "县直单位", "aliases": ["水利局"], "columns": ["slj/gzdt/"]},
    {"name": "青石镇", "group": "乡镇", "columns": ["qsz/xzdt/"]},
]
PASSWORD = {"MONITOR_PASSWORD": "a good long password"}


@pytest.fixture
def options(record_portal: Callable[..., list[str]]) -> list[str]:
    return record_portal(UNITS)


def _stdin(*args: str, stdin: str) -> Result:
    with speaking("en"):
        return CliRunner().invoke(app, list(args), input=stdin, catch_exceptions=False)


def _login(options: list[str], name: str, password: str) -> object:
    engine = create_db_engine(options[options.index("--db") + 1])
    try:
        with session_factory(engine).begin() as session:
            return authenticate(session, name, password)
    finally:
        engine.dispose()


def test_an_office_user_is_added_with_the_password_from_the_environment(
    run_cli: Callable[..., Result], options: list[str]
) -> None:
    added = run_cli("users", "add", "zhang", "--role", "office", *options, env=PASSWORD)
    assert (added.exit_code, added.stdout) == (0, "user zhang added (office)\n")
    user = _login(options, "zhang", "a good long password")
    assert user is not None and user.is_office
    assert _login(options, "zhang", "wrong password") is None


def test_a_unit_user_is_added_by_alias_with_the_password_from_stdin(
    run_cli: Callable[..., Result], options: list[str]
) -> None:
    added = _stdin("users", "add", "slj", "--role", "unit", "--unit", "水利局", *options,
                   stdin="stdin password 1\n")
    assert (added.exit_code, added.stdout) == (0, "user slj added (unit of 县水利局)\n")
    user = _login(options, "slj", "stdin password 1")
    assert user is not None and user.unit == "县水利局" and not user.is_office


def test_the_password_is_stored_hashed(run_cli: Callable[..., Result], options: list[str]):
    run_cli("users", "add", "zhang", "--role", "office", *options, env=PASSWORD)
    engine = create_db_engine(options[options.index("--db") + 1])
    with engine.connect() as connection:
        stored = connection.exec_driver_sql("SELECT password_hash FROM web_user").scalar()
    engine.dispose()
    assert stored.startswith("$argon2id$") and "a good long password" not in stored


@pytest.mark.slow
def test_list_and_remove(run_cli: Callable[..., Result], options: list[str]) -> None:
    run_cli("users", "add", "zhang", "--role", "office", *options, env=PASSWORD)
    run_cli("users", "add", "qsz", "--role", "unit", "--unit", "青石镇", *options, env=PASSWORD)
    listed = run_cli("users", "list", *options)
    assert listed.exit_code == 0
    assert "qsz" in listed.stdout and "青石镇" in listed.stdout and "office" in listed.stdout
    removed = run_cli("users", "remove", "qsz", *options)
    assert (removed.exit_code, removed.stdout) == (0, "user qsz removed\n")
    assert "qsz" not in run_cli("users", "list", *options).stdout
    again = run_cli("users", "remove", "qsz", *options)
    assert (again.exit_code, again.stderr) == (
        1, "error: no user 'qsz' (see 'monitor users list')\n")


@pytest.mark.parametrize(("arguments", "message"), [
    (["users", "add", "u1", "--role", "unit"], "error: a unit user needs --unit NAME\n"),
    (["users", "add", "u1", "--role", "office", "--unit", "青石镇"],
     "error: an office user sees every unit: give --unit only with --role unit\n"),
    (["users", "add", "u1", "--role", "unit", "--unit", "县财政局"],
     "error: unknown unit '县财政局'; closest: 县水利局\n"),
    (["users", "add", "bad name", "--role", "office"],
     "error: 'bad name' is not a user name: use letters, digits, . _ @ - "
     "(at most 100 characters)\n"),
])
def test_bad_users_exit_1_with_one_line(run_cli: Callable[..., Result], options: list[str],
                                        arguments: list[str], message: str) -> None:
    result = run_cli(*arguments, *options, env=PASSWORD)
    assert (result.exit_code, result.stderr) == (1, message)


def test_a_short_password_and_a_second_user_of_the_same_name_are_refused(
    run_cli: Callable[..., Result], options: list[str]
) -> None:
    short = run_cli("users", "add", "zhang", "--role", "office", *options,
                    env={"MONITOR_PASSWORD": "short"})
    assert (short.exit_code, short.stderr) == (
        1, "error: the password must be at least 8 characters long\n")
    run_cli("users", "add", "zhang", "--role", "office", *options, env=PASSWORD)
    twice = run_cli("users", "add", "zhang", "--role", "office", *options, env=PASSWORD)
    assert (twice.exit_code, twice.stderr) == (
        1, "error: user 'zhang' already exists (remove it first to replace it)\n")


def test_no_password_at_all_is_an_error(options: list[str]) -> None:
    result = _stdin("users", "add", "zhang", "--role", "office", *options, stdin="")
    assert (result.exit_code, result.stderr) == (
        1, "error: no password: give it on stdin or in MONITOR_PASSWORD\n")
