from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from sqlalchemy import Engine
from typer.testing import Result

SAMPLE = str(Path(__file__).resolve().parents[2] / "config" / "sample.yaml")

NO_EMAIL = """\
site: {name: 瑞河县人民政府门户网站, url: "http://127.0.0.1:8000/"}
units:
  - name: 县水利局
    group: 县直单位
    columns:
      - {name: 工作动态, url: "http://127.0.0.1:8000/slj/gzdt/", category: dynamics}
"""


def test_alerts_without_e_mail_or_chat_exit_1_saying_what_to_add(
    run_cli: Callable[..., Result], engine: Engine, database_url: str, tmp_path: Path
) -> None:
    config = tmp_path / "portal.yaml"
    config.write_text(NO_EMAIL, encoding="utf-8")
    result = run_cli("alerts", "weekly", "--config", str(config), "--db", database_url)
    assert result.exit_code == 1
    assert result.stderr == ("error: alerts are not configured: add an email: section "
                             "(smtp, sender, office) or chat URLs (chat: office, a unit's "
                             "chat)\n")


def test_out_without_dry_run_is_refused_before_anything_is_sent(
    run_cli: Callable[..., Result], engine: Engine, database_url: str, tmp_path: Path
) -> None:
    result = run_cli("alerts", "weekly", "--out", str(tmp_path), "--config", SAMPLE,
                     "--db", database_url)
    assert result.exit_code == 1
    assert result.stderr == (
        "error: --out writes .eml files instead of sending: use it with --dry-run\n")


def test_status_of_an_empty_outbox(
    run_cli: Callable[..., Result], engine: Engine, database_url: str
) -> None:
    result = run_cli("alerts", "status", "--config", SAMPLE, "--db", database_url)
    assert result.exit_code == 0
    assert result.stdout == "0 sent (last —), 0 waiting\n"


def test_a_dry_run_on_a_fresh_database_composes_nothing(
    run_cli: Callable[..., Result], engine: Engine, database_url: str
) -> None:
    result = run_cli("alerts", "weekly", "--dry-run", "--config", SAMPLE, "--db", database_url,
                     env={"MONITOR_NOW": "2024-05-13T08:30:00+08:00"})
    assert result.exit_code == 0
    assert result.stdout == "dry run: 0 messages composed; nothing sent\n"
