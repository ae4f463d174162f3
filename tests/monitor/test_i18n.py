"""The gettext catalogues (monitor/i18n.py): complete, compiled, and chosen by MONITOR_LANG."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from monitor import i18n
from monitor.errors import EnvironmentSettingError
from monitor.settings import Environment, language_from_environ, parse_language

ROOT = Path(__file__).resolve().parents[2]
HELP = "Watch a government portal: column updates, broken links, monthly reports."
CJK = re.compile(r"[\u3400-\u9fff\uff00-\uffef\u3000-\u303f]")
ENGLISH_WORD = re.compile(r"(?<![{\w.])[A-Za-z]{3,}(?![\w}])")


def catalogue(language: str):
    with open(ROOT / "monitor/locale" / language / "LC_MESSAGES/monitor.po", "rb") as po:
        return read_po(po, locale=language)


def untranslated(language: str, foreign) -> list[str]:
    return [str(m.id) for m in catalogue(language)
            if m.id and not m.string and foreign(m.id[0] if isinstance(m.id, tuple) else m.id)]


def test_catalogues_are_extracted_and_compiled_from_the_sources():
    done = subprocess.run([sys.executable, str(ROOT / "scripts/messages.py"), "--check"],
                          capture_output=True, text=True, cwd=ROOT)
    assert done.returncode == 0, f"run `make messages`:\n{done.stderr}"


def test_every_english_text_has_its_chinese():
    assert untranslated("zh_CN", lambda text: not CJK.search(text)
                        and ENGLISH_WORD.search(text)) == []


def test_every_chinese_text_has_its_english():
    assert untranslated("en", lambda text: CJK.search(text)) == []


@pytest.mark.parametrize(("value", "language"), [
    ("", "zh_CN"), ("zh", "zh_CN"), ("zh_CN.UTF-8", "zh_CN"), ("zh-Hans", "zh_CN"),
    ("en", "en"), ("en_US.UTF-8", "en"), ("EN", "en"),
])
def test_monitor_lang_names_a_catalogue(value, language):
    assert parse_language(value) == language
    assert Environment.from_environ({"MONITOR_LANG": value}).language == language


def test_an_unsupported_language_is_refused_when_the_command_starts():
    with pytest.raises(EnvironmentSettingError,
                       match=r"^MONITOR_LANG: 'fr' is not a supported language \(zh or en\)$"):
        Environment.from_environ({"MONITOR_LANG": "fr"})
    # …but the texts of the failing start are still readable.
    assert language_from_environ({"MONITOR_LANG": "fr"}) == "zh_CN"


def test_activate_switches_the_language_of_texts():
    before = i18n.active_language()
    try:
        i18n.activate("en")
        assert i18n._(HELP) == HELP
        i18n.activate("zh_CN")
        assert i18n._(HELP) == "监测政府门户网站：栏目更新、错链和月度通报。"
    finally:
        i18n.activate(before)


def run_monitor(*args: str, lang: str | None) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MONITOR_")}
    if lang is not None:
        env["MONITOR_LANG"] = lang
    return subprocess.run([sys.executable, "-m", "monitor", *args], capture_output=True,
                          text=True, env=env, cwd=ROOT)


def test_help_is_chinese_by_default_and_english_on_request():
    chinese = run_monitor("--help", lang=None)
    english = run_monitor("--help", lang="en")
    assert (chinese.returncode, english.returncode) == (0, 0)
    assert "监测政府门户网站" in chinese.stdout
    assert "Watch a government portal" in english.stdout


def test_a_bad_language_is_one_clean_line(tmp_path):
    done = run_monitor("--config", str(tmp_path / "none.yaml"), "config", "check", lang="fr")
    assert done.returncode == 1
    assert done.stderr.endswith("MONITOR_LANG: 'fr' is not a supported language (zh or en)\n")
    assert len(done.stderr.splitlines()) == 1
