"""Everything the office reads after `monitor demo` is in its language (SPEC §9).

The demo is run once; then the commands an officer types, the 月报 in every format, the
weekly alerts and the exports are produced again from its database, in Chinese (the
default) and with MONITOR_LANG=en. The Chinese outputs hold no English word outside URLs,
file names, addresses, evidence ids, the config's own keys and the allow-list below. With
MONITOR_LANG=en the command line, the exports, the 月报 and the weekly alerts hold none of the
Chinese words our own texts use (the portal's names and titles are Chinese in both).
"""

from __future__ import annotations

import csv
import email
import email.policy
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import docx
import openpyxl
import pytest

from monitor.demo import DEMO_MONTH, DEMO_UNIT, DemoPlan
from monitor.scheduler.jobs import DEFINITIONS

pytestmark = pytest.mark.slow

# Words the office writes in Latin letters too: formats, protocols, units of measure and
# the terms of SPEC §9 that stay as they are.
ALLOWED = {
    "HTTP", "HTTPS", "URL", "DOCX", "XLSX", "CSV", "JSON", "HTML", "PDF", "Markdown", "ID",
    "IP", "DNS", "TLS", "SSL", "SMTP", "WAF", "MB", "KB", "GB", "ms", "WeCom", "DingTalk",
    "Asia", "Shanghai", "cron", "UTC", "CST", "No", "monitor", "demo", "gov", "cn", "www",
    "index", "html", "htm", "shtml", "jpg", "png", "gif", "doc", "xls", "pdf", "zip", "docx",
    "xlsx", "eml", "txt", "md", "yaml", "db", "sqlite", "example", "gkb", "com", "org",
    # cron expressions of the schedule, written in the config as cron has them
    "mon", "tue", "wed", "thu", "fri", "sat", "sun",
} | {word for job in DEFINITIONS for word in job.name.split("_")}  # the config's job keys
# Chinese words only our texts use (never a unit, column or post of the sample portal).
OUR_CHINESE = ("逾期", "未达标", "发现日期", "问题类型", "整改", "链接失效", "单项否决", "正常",
               "即将逾期", "空白栏目", "日期来源", "首次发现")

_URL = re.compile(r"(?:https?|mailto|file|sqlite|postgresql)[:\w+./%?=&#~@\\-]*|[\w.+-]+@[\w.-]+")
_EVIDENCE_ID = re.compile(r"(?<![0-9a-f])[0-9a-f]{12}(?![0-9a-f])")
_PATH = re.compile(r"(?:[\w.-]*/)+[\w.-]+|[\w-]+\.(?:eml|docx|xlsx|md|html|csv|json|yaml|db|txt|png|pdf|log)\b")
_WORD = re.compile(r"[A-Za-z]{2,}")


@dataclass(frozen=True)
class Output:
    name: str
    text: str


def english_words(text: str) -> list[str]:
    text = _EVIDENCE_ID.sub(" ", _PATH.sub(" ", _URL.sub(" ", text)))
    return [word for word in _WORD.findall(text) if word not in ALLOWED]


def read_output(path: Path) -> str:
    if path.suffix == ".docx":
        document = docx.Document(str(path))
        cells = [cell.text for table in document.tables for row in table.rows
                 for cell in row.cells]
        return "\n".join([paragraph.text for paragraph in document.paragraphs] + cells)
    if path.suffix == ".xlsx":
        book = openpyxl.load_workbook(path, read_only=True)
        return "\n".join(str(value) for sheet in book.worksheets for row in sheet.iter_rows(
            values_only=True) for value in row if value is not None)
    if path.suffix == ".eml":
        message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
        parts = [str(message["Subject"])]
        parts += [part.get_content() for part in message.walk()
                  if part.get_content_type() == "text/plain"]
        return "\n".join(parts)
    if path.suffix == ".csv":
        with path.open(encoding="utf-8-sig", newline="") as handle:
            return "\n".join(",".join(row) for row in csv.reader(handle))
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".html":
        text = re.sub(r"<(script|style)\b.*?</\1>", " ", text, flags=re.S)
        text = re.sub(r"<[^>]+>", " ", text)
    return text


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out_dir = tmp_path_factory.mktemp("walk") / "demo"
    process = subprocess.run(
        [sys.executable, "-m", "monitor", "demo", "--out", str(out_dir), "--nights", "1"],
        capture_output=True, text=True, timeout=900, env=dict(os.environ, MONITOR_LANG="zh"))
    assert process.returncode == 0, process.stderr[-3000:]
    return out_dir


COMMANDS = (
    ["check", "--unit", DEMO_UNIT, "--no-crawl"],
    ["stats"],
    ["national"],
    ["problems", "list"],
    ["config", "check"],
    ["schedule", "--list"],
)


def produce(demo: Path, language: str, out: Path) -> Iterator[Output]:
    """The officer's outputs from the demo's database, in `language`."""
    morning = DemoPlan(out_dir=demo, nights=1).morning
    environment = dict(os.environ, MONITOR_CONFIG=str(demo / "portal.yaml"),
                       MONITOR_DB=f"sqlite:///{demo / 'monitor.db'}",
                       MONITOR_NOW=morning.isoformat(), MONITOR_LANG=language,
                       # Wide enough that no table folds a URL in two.
                       COLUMNS="400", NO_COLOR="1", TERM="dumb")

    def run(arguments: list[str]) -> str:
        process = subprocess.run([sys.executable, "-m", "monitor", *arguments],
                                 capture_output=True, text=True, env=environment, timeout=600)
        assert process.returncode in (0, 1), (arguments, process.stderr[-2000:])
        return process.stdout + process.stderr

    for arguments in COMMANDS:
        yield Output(f"monitor {' '.join(arguments)}", run(arguments))
    run(["report", "monthly", "--month", DEMO_MONTH, "--out", str(out / "report")])
    run(["alerts", "weekly", "--dry-run", "--out", str(out / "alerts")])
    for kind in ("posts", "links", "problems"):
        for fmt in ("csv", "xlsx"):
            run(["export", kind, "--format", fmt, "--out", str(out / f"{kind}.{fmt}")])
    for path in sorted(out.rglob("*")):
        if path.suffix in {".docx", ".xlsx", ".md", ".html", ".eml", ".csv", ".txt"}:
            yield Output(str(path.relative_to(out)), read_output(path))


def report(found: dict[str, list[str]]) -> str:
    return "\n".join(f"{name}: {' '.join(words)}" for name, words in found.items() if words)


@pytest.fixture(scope="module")
def chinese(demo: Path, tmp_path_factory: pytest.TempPathFactory) -> list[Output]:
    return list(produce(demo, "zh", tmp_path_factory.mktemp("zh")))


@pytest.fixture(scope="module")
def english(demo: Path, tmp_path_factory: pytest.TempPathFactory) -> list[Output]:
    return list(produce(demo, "en", tmp_path_factory.mktemp("en")))


def test_the_walk_reads_every_kind_of_output(chinese: list[Output]) -> None:
    names = {output.name.rsplit(".", 1)[-1] for output in chinese}
    assert {"docx", "xlsx", "md", "html", "eml", "csv"} <= names
    assert len(chinese) >= len(COMMANDS) + 10


def test_what_the_office_reads_has_no_english_word(chinese: list[Output]) -> None:
    found = {output.name: sorted(set(english_words(output.text))) for output in chinese}
    assert not any(found.values()), report(found)


def test_in_english_none_of_our_chinese_words_remain(english: list[Output]) -> None:
    found = {output.name: sorted({word for word in OUR_CHINESE if word in output.text})
             for output in english}
    assert not any(found.values()), report(found)
