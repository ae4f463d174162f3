"""The office's language in what the sample portal's crawl produces (SPEC §9): the May 月报
and the weekly alerts carry no English word, their problem details read in plain Chinese, and
with MONITOR_LANG=en the same details read in English.

The portal is crawled once at its default instant (the session's `crawled` workspace); the
report and the alerts are composed in this process, so the `english` fixture switches
their language.
"""

from __future__ import annotations

import re
from email import message_from_bytes
from email.policy import default
from pathlib import Path

import pytest
from typer.testing import CliRunner

from monitor.cli import app

pytestmark = [pytest.mark.slow, pytest.mark.browser]

# Words a Chinese text may still carry: the protocol named in a reason (HTTP 404) and the
# e-mail's own machinery. URLs, e-mail addresses, file and folder names are taken out before.
ALLOWED = frozenset({"HTTP"})
_NOT_WORDS = re.compile(
    r"https?://[^\s（）()，；、“”<>\"']+"  # URLs
    r"|[\w.+-]+@[\w.-]+"  # e-mail addresses
    r"|[\w.-]+\.(?:png|jpe?g|html?|docx|xlsx|md|pdf|eml|json)\b"  # file names
    r"|截图取证[0-9a-f]+"  # an evidence folder's name (a digest)
)
_WORD = re.compile(r"[A-Za-z]{2,}")


def english_words(text: str) -> set[str]:
    return set(_WORD.findall(_NOT_WORDS.sub(" ", text))) - ALLOWED


def monthly_report(workspace, out: Path) -> str:
    result = CliRunner().invoke(app, ["report", "monthly", "--month", "2024-05", "--format",
                                      "md", "--out", str(out)],
                                env=workspace.env(workspace.running.portal.default_now),
                                catch_exceptions=False)
    assert result.exit_code == 0, result.stderr
    return (out / "monthly-2024-05.md").read_text(encoding="utf-8")


def weekly_alerts(workspace, directory: Path) -> list[str]:
    """The plain text of every weekly alert and the office's digest (a dry run, with an
    e-mail section added to a copy of the config)."""
    config = workspace.config_with_mail(directory)
    result = CliRunner().invoke(app, ["alerts", "weekly", "--dry-run", "--out",
                                      str(directory / "alerts"), "--config", str(config)],
                                env=workspace.env(workspace.running.portal.default_now),
                                catch_exceptions=False)
    assert result.exit_code == 0, result.stderr
    texts = []
    for path in sorted((directory / "alerts").glob("*.eml")):
        message = message_from_bytes(path.read_bytes(), policy=default)
        texts.append(message.get_body(preferencelist=("plain",)).get_content())
    return texts


def test_the_monthly_report_has_no_english_word(crawled, tmp_path):
    text = monthly_report(crawled, tmp_path)
    assert "页面不存在（HTTP 404" in text
    assert english_words(text) == set()


def test_the_weekly_alerts_have_no_english_word(crawled, tmp_path):
    texts = weekly_alerts(crawled, tmp_path)
    assert len(texts) > 1
    assert any("页面不存在（HTTP 404" in text for text in texts)
    for text in texts:
        assert english_words(text) == set(), text[:200]


def test_with_monitor_lang_en_the_details_read_in_english(crawled, tmp_path, english):
    report = monthly_report(crawled, tmp_path / "report")
    alerts = "\n".join(weekly_alerts(crawled, tmp_path))
    # Markdown escapes the brackets: Page not found \(HTTP 404\).
    for text in (report.replace("\\(", "(").replace("\\)", ")"), alerts):
        assert "Page not found (HTTP 404)" in text
        assert "Page not found (HTTP 404, after 2 redirects)" in text
        assert "页面不存在" not in text
