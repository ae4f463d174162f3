"""`monitor discover`: the user errors it reports before walking anything."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from typer.testing import Result


def test_a_url_that_is_not_http_exits_1_with_one_line(run_cli: Callable[..., Result]) -> None:
    result = run_cli("discover", "ftp://www.ruihe.gov.cn/")
    assert result.exit_code == 1
    assert result.stderr.strip().splitlines()[-1] == (
        "error: 'ftp://www.ruihe.gov.cn/' is not an http(s) URL")
    assert result.stdout == ""


def test_an_invalid_existing_config_exits_1_naming_it(
        run_cli: Callable[..., Result], tmp_path: Path) -> None:
    existing = tmp_path / "portal.yaml"
    existing.write_text("site: {name: x}\n", encoding="utf-8")
    result = run_cli("discover", "http://www.ruihe.gov.cn/", "--config", str(existing))
    assert result.exit_code == 1
    assert f"error: {existing}:" in result.stderr


def test_discover_without_a_url_is_a_usage_error(run_cli: Callable[..., Result]) -> None:
    assert run_cli("discover").exit_code == 2
