"""The command line starts without importing what its commands need: each command's module
is loaded when that command runs, and `monitor --help` lists them all from the table."""

from __future__ import annotations

import subprocess
import sys

import pytest
from typer.testing import CliRunner

from monitor.cli import COMMANDS, app
from monitor.i18n import _

HEAVY = ("scrapy", "sqlalchemy", "openpyxl", "docx", "aiohttp", "starlette", "playwright",
         "monitor.commands.crawl", "monitor.config")


def modules_after(code: str) -> set[str]:
    script = f"import sys\n{code}\nprint('\\n'.join(sys.modules))"
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                          check=True)
    return set(done.stdout.splitlines())


def test_monitor_help_imports_no_command_module() -> None:
    loaded = modules_after(
        "from monitor.cli import app\ntry:\n    app(['--help'])\nexcept SystemExit:\n    pass")
    assert sorted(name for name in loaded if name.split(".")[0] in HEAVY or name in HEAVY) == []


def test_monitor_help_lists_every_command_with_its_summary() -> None:
    result = CliRunner().invoke(app, ["--help"], env={"COLUMNS": "200"})
    assert result.exit_code == 0
    rows = [" ".join(line.strip("│ ").split()) for line in result.stdout.splitlines()]
    for name, lazy in COMMANDS.items():
        assert f"{name} {_(lazy.summary)}" in rows


@pytest.mark.parametrize("name", list(COMMANDS))
def test_each_summary_is_the_first_paragraph_of_the_commands_own_help(name: str) -> None:
    command = COMMANDS[name].load(name)
    first = (command.help or "").strip().split("\n\n")[0].replace("\n", " ")
    assert _(COMMANDS[name].summary) == first


def test_a_command_runs_after_its_module_is_loaded_on_demand() -> None:
    result = CliRunner().invoke(app, ["config", "--help"])
    assert result.exit_code == 0
    assert _("Validate the portal config.") in result.stdout
    assert "check" in result.stdout


def test_an_unknown_command_is_a_usage_error() -> None:
    result = CliRunner().invoke(app, ["crawll"])
    assert result.exit_code == 2
    assert "No such command 'crawll'" in result.output
