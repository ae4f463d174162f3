"""A hostile or broken config fails fast with one clean line, never a traceback, a hang or
a value that passes `config check` and fails later."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from monitor.config import load_config
from monitor.errors import ConfigError
from tests.monitor.config.test_loader import VALID, errors_of, write

# 589 bytes that expand to 9^9 values.
ALIAS_BOMB = """\
a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
site: *i
"""


def one_error(tmp_path: Path, text: str) -> str:
    [line] = errors_of(tmp_path, text)
    return line


def test_an_alias_bomb_fails_fast_with_one_line(tmp_path: Path) -> None:
    started = time.monotonic()
    line = one_error(tmp_path, ALIAS_BOMB)
    assert time.monotonic() - started < 5
    assert line == (":6 (YAML): more than 200000 values once aliases are expanded; write the "
                    "values out instead of nesting aliases")


def test_a_few_aliases_are_still_allowed(tmp_path: Path) -> None:
    text = VALID.replace("    contacts: [slj@example.gov.cn]\n",
                         "    contacts: &office [slj@example.gov.cn]\n").replace(
        "    group: 乡镇\n", "    group: 乡镇\n    contacts: *office\n")
    config = load_config(write(tmp_path, text))
    assert config.units[1].contacts == ["slj@example.gov.cn"]


def test_deep_nesting_is_one_line_not_a_recursion_error(tmp_path: Path) -> None:
    assert one_error(tmp_path, "site: " + "[" * 5000 + "]" * 5000 + "\n") == (
        ":1 (YAML): nested more than 64 levels deep")


def test_an_endless_file_is_refused_after_the_size_limit() -> None:
    with pytest.raises(ConfigError) as caught:
        load_config(Path("/dev/zero"))
    assert caught.value.problems == [
        "/dev/zero: the config file is larger than 4 MB; is it the right file?"]


@pytest.mark.parametrize(("edit", "expected"), [
    pytest.param(("  concurrency_per_host: 4\n", "  concurrency_per_host: 4\n  browser: off\n"),
                 ":6 crawl.browser: YAML reads an unquoted off as false: write "
                 "browser: \"off\" (in quotes)", id="browser-off-unquoted"),
    pytest.param(("  concurrency_per_host: 4\n", "  concurrency_per_host: 4\n  browser: /bin/true\n"),
                 ":4 crawl: browser: '/bin/true' is not a Chromium executable (expected a "
                 "program named chromium, chrome or headless_shell; or write auto)",
                 id="browser-not-chromium"),
    pytest.param(("  sender: 政务公开办 <gkb@example.gov.cn>\n",
                  "  sender: \"政务公开办\\r\\nBcc: x@example.com <gkb@example.gov.cn>\"\n"),
                 ":11 email.sender: '政务公开办\\r\\nBcc: x@example.com <gkb@example.gov.cn>' "
                 "holds a line break or a control character; write it on one line",
                 id="sender-with-line-break"),
    pytest.param(("  url: http://127.0.0.1:8000/\n",
                  "  url: http://gkb:s3cret@127.0.0.1:8000/\n"),
                 ":3 site.url: the URL carries a user name or password: remove it — the config "
                 "file is no place for secrets (give them through environment variables, as "
                 "email.smtp.password_env does)", id="credentials-in-site-url"),
    pytest.param(("units:\n", "schedule:\n  probe: {every_seconds: 1.0e+300}\nunits:\n"),
                 ":14 schedule.probe.every_seconds: must be at most 31622400, got 1e+300", id="every-seconds-huge"),
    pytest.param(("units:\n", "report:\n  issue_no: \"{year.__class__.__mro__}\"\nunits:\n"),
                 ":13 report: issue_no '{year.__class__.__mro__}' may use only {year} and "
                 "{month} (KeyError: 'year.__class__.__mro__'); write e.g. "
                 "\"{year}年第{month}期\"", id="issue-no-attribute-access"),
    pytest.param(("units:\n", "report:\n  issue_no: \"{month[0]}\"\nunits:\n"),
                 ":13 report: issue_no '{month[0]}' may use only {year} and {month} "
                 "(KeyError: 'month[0]'); write e.g. \"{year}年第{month}期\"",
                 id="issue-no-index-access"),
])
def test_a_value_that_would_fail_later_fails_at_load(
    tmp_path: Path, edit: tuple[str, str], expected: str
) -> None:
    old, new = edit
    assert old in VALID
    assert one_error(tmp_path, VALID.replace(old, new, 1)) == expected


def test_credentials_in_a_url_are_never_echoed(tmp_path: Path) -> None:
    text = VALID.replace("        url: http://127.0.0.1:8000/slj/gzdt/\n",
                         "        url: http://gkb:s3cret@127.0.0.1:8000/slj/gzdt/\n")
    assert not any("s3cret" in line for line in errors_of(tmp_path, text))
