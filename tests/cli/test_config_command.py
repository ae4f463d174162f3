from __future__ import annotations

import json
import sys
from collections.abc import Callable
from pathlib import Path

from typer.testing import Result

REPO = Path(__file__).resolve().parents[2]
SAMPLE = str(REPO / "config" / "sample.yaml")


def test_config_check_prints_a_summary_of_the_sample(run_cli: Callable[..., Result]) -> None:
    result = run_cli("config", "check", "--config", SAMPLE)
    assert result.exit_code == 0
    assert f"{SAMPLE}: OK — 瑞河县人民政府门户网站" in result.stdout
    assert "3 units, 7 columns" in result.stdout


def test_config_check_json_is_one_document(run_cli: Callable[..., Result]) -> None:
    result = run_cli("config", "check", "--config", SAMPLE, "--json")
    assert result.exit_code == 0
    summary = json.loads(result.stdout)
    assert summary["units"] == 3
    assert summary["categories"]["dynamics"] == 3
    assert summary["groups"] == {"县直单位": 2, "乡镇": 1}


def test_config_is_taken_from_the_environment(run_cli: Callable[..., Result]) -> None:
    result = run_cli("config", "check", env={"MONITOR_CONFIG": SAMPLE})
    assert result.exit_code == 0


def test_config_given_before_the_command_applies(run_cli: Callable[..., Result]) -> None:
    result = run_cli("--config", SAMPLE, "config", "check")
    assert result.exit_code == 0


def test_an_invalid_config_exits_1_with_one_line(
    run_cli: Callable[..., Result], tmp_path: Path
) -> None:
    bad = tmp_path / "site.yaml"
    sample = Path(SAMPLE).read_text(encoding="utf-8")
    # The line of the first column's cycle, wherever keys above it move it.
    line = sample[:sample.index("cycle: weekly")].count("\n") + 1
    bad.write_text(sample.replace("cycle: weekly", "cycle: weely", 1), encoding="utf-8")
    result = run_cli("config", "check", "--config", str(bad))
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == (
        f"error: {bad}:{line} units[0].columns[0].cycle: 'weely' is not one of weekly, monthly, "
        "quarterly, yearly, none (did you mean 'weekly'?)\n"
    )


def test_no_config_at_all_says_how_to_give_one(run_cli: Callable[..., Result]) -> None:
    result = run_cli("config", "check")
    assert result.exit_code == 1
    assert result.stderr == "error: no config file given: use --config PATH or set MONITOR_CONFIG\n"


def test_an_unknown_subcommand_is_a_usage_error(run_cli: Callable[..., Result]) -> None:
    assert run_cli("config", "nope").exit_code == 2


CHAT_CONFIG = """\
site: {name: 瑞河县人民政府门户网站, url: "http://127.0.0.1:8000/"}
chat:
  office: ["dingtalk://${DINGTALK_SECRET}@${DINGTALK_TOKEN}/"]
units:
  - name: 县水利局
    group: 县直单位
    chat: ["wecombot://${SLJ_WECOM_KEY}"]
    columns:
      - {name: 工作动态, url: "http://127.0.0.1:8000/slj/gzdt/", category: dynamics}
"""


def test_config_check_counts_the_chat_urls_and_names_unset_variables_never_values(
    run_cli: Callable[..., Result], tmp_path: Path
) -> None:
    path = tmp_path / "portal.yaml"
    path.write_text(CHAT_CONFIG, encoding="utf-8")
    env = {"DINGTALK_TOKEN": "tok-0123456789", "DINGTALK_SECRET": "SEC-very-secret"}
    result = run_cli("config", "check", "--config", str(path), env=env)
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[-1] == (
        "chat: 1 office URL(s), 1 unit URL(s); not set in the environment: SLJ_WECOM_KEY")
    as_json = run_cli("config", "check", "--config", str(path), "--json", env=env)
    assert json.loads(as_json.stdout)["chat_unset"] == ["SLJ_WECOM_KEY"]
    for output in (result.output, as_json.output):
        assert "tok-0123456789" not in output and "SEC-very-secret" not in output


def test_config_check_without_apprise_says_which_extra_to_install(
    run_cli: Callable[..., Result], tmp_path: Path, monkeypatch
) -> None:
    # As on a machine where the chat extra was not installed: the import finds nothing.
    monkeypatch.setitem(sys.modules, "apprise", None)
    path = tmp_path / "portal.yaml"
    path.write_text(CHAT_CONFIG, encoding="utf-8")
    # 钉钉 and 企业微信 robots are posted to without apprise …
    assert run_cli("config", "check", "--config", str(path)).exit_code == 0
    # … a 飞书 group (or a json:// webhook) needs it.
    path.write_text(CHAT_CONFIG.replace('chat: ["wecombot://${SLJ_WECOM_KEY}"]',
                                        'chat: ["feishu://${SLJ_FEISHU_TOKEN}"]'),
                    encoding="utf-8")
    result = run_cli("config", "check", "--config", str(path))
    assert result.exit_code == 1
    assert result.stderr == (
        "error: chat URLs are configured but apprise is not installed: install the chat extra "
        "(pip install 'portal-monitor[chat]')\n")
