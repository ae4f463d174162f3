from __future__ import annotations

from collections.abc import Callable

import pytest
from typer.testing import CliRunner, Result

from monitor.cli import app


@pytest.fixture
def run_cli(monkeypatch: pytest.MonkeyPatch) -> Callable[..., Result]:
    """Run `monitor ARGS` in-process with a clean MONITOR_* environment."""
    for name in ("MONITOR_CONFIG", "MONITOR_DB", "MONITOR_NOW"):
        monkeypatch.delenv(name, raising=False)

    def run(*args: str, env: dict[str, str] | None = None) -> Result:
        return CliRunner().invoke(app, list(args), env=env, catch_exceptions=False)

    return run
