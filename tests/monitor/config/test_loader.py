"""Each mistake an office can make in the config gives one exact line: file:line key: why."""

from __future__ import annotations

from pathlib import Path

import pytest

from monitor.config import load_config
from monitor.domain import ListStyle
from monitor.errors import ConfigError

REPO = Path(__file__).resolve().parents[3]

VALID = """\
site:
  name: 瑞河县人民政府门户网站
  url: http://127.0.0.1:8000/
crawl:
  concurrency_per_host: 4
calendar:
  holidays: [2024-04-05]
  workdays: [2024-04-07]
email:
  smtp: {host: 127.0.0.1, port: 1025}
  sender: 政务公开办 <gkb@example.gov.cn>
  office: [gkb@example.gov.cn]
units:
  - name: 县水利局
    group: 县直单位
    aliases: [水利局]
    annual_target: 450
    contacts: [slj@example.gov.cn]
    columns:
      - name: 工作动态
        url: http://127.0.0.1:8000/slj/gzdt/
        category: dynamics
        cycle: weekly
      - name: 年度报告
        url: http://127.0.0.1:8000/slj/ndbg/
        category: report
        cycle: yearly
        deadline: "01-31"
  - name: 青石镇
    group: 乡镇
    columns:
      - name: 乡镇动态
        url: http://127.0.0.1:8000/qsz/xzdt/
        category: dynamics
        cycle: weekly
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "site.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def errors_of(tmp_path: Path, text: str) -> list[str]:
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    prefix = f"{path}:"
    assert all(line.startswith(prefix) for line in caught.value.problems)
    return [line[len(str(path)) :] for line in caught.value.problems]


def test_the_valid_example_loads(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, VALID))
    assert [unit.name for unit in config.units] == ["县水利局", "青石镇"]
    assert config.crawl.timeout_seconds == 15


def test_an_ipv6_column_url_in_brackets_loads_unchanged(tmp_path: Path) -> None:
    text = VALID.replace("url: http://127.0.0.1:8000/slj/gzdt/",
                         "url: http://[::1]:8000/slj/gzdt/")
    config = load_config(write(tmp_path, text))
    assert config.units[0].columns[0].url == "http://[::1]:8000/slj/gzdt/"


def test_the_shipped_sample_config_loads() -> None:
    config = load_config(REPO / "config" / "sample.yaml")
    assert config.site.name == "瑞河县人民政府门户网站"


MISTAKES = [
    pytest.param(
        ("  concurrency_per_host: 4\n", "  concurency_per_host: 4\n"),
        ":5 crawl.concurency_per_host: unknown key 'concurency_per_host' "
        "(did you mean 'concurrency_per_host'?)",
        id="misspelt-crawl-key",
    ),
    pytest.param(
        ("crawl:\n", "crawler:\n"),
        ":4 crawler: unknown key 'crawler' (did you mean 'crawl'?)",
        id="unknown-top-level-key",
    ),
    pytest.param(
        ("  concurrency_per_host: 4\n", "  concurrency_per_host: many\n"),
        ":5 crawl.concurrency_per_host: expected a whole number, got 'many'",
        id="wrong-type",
    ),
    pytest.param(
        ("  concurrency_per_host: 4\n", "  concurrency_per_host: 0\n"),
        ":5 crawl.concurrency_per_host: must be at least 1, got 0",
        id="out-of-range",
    ),
    pytest.param(
        ("  url: http://127.0.0.1:8000/\n", "  url: ftp://127.0.0.1/\n"),
        ":3 site.url: 'ftp://127.0.0.1/' is not an http(s) URL "
        "(write e.g. http://www.example.gov.cn/)",
        id="bad-site-url",
    ),
    pytest.param(
        ("        url: http://127.0.0.1:8000/slj/gzdt/\n", "        url: slj/gzdt\n"),
        ":21 units[0].columns[0].url: 'slj/gzdt' is not an http(s) URL "
        "(write e.g. http://www.example.gov.cn/)",
        id="relative-column-url",
    ),
    pytest.param(
        ("        url: http://127.0.0.1:8000/slj/gzdt/\n",
         "        url: http://127.0.0.1:99999/slj/gzdt/\n"),
        ":21 units[0].columns[0].url: 'http://127.0.0.1:99999/slj/gzdt/' is not a URL that "
        "can be requested: port out of range 1-65535",
        id="column-port-out-of-range",
    ),
    pytest.param(
        ("  url: http://127.0.0.1:8000/\n", "  url: http://127.0.0.1:0/\n"),
        ":3 site.url: 'http://127.0.0.1:0/' is not a URL that can be requested: "
        "port 0 is out of range 1-65535",
        id="site-port-zero",
    ),
    pytest.param(
        ("        url: http://127.0.0.1:8000/slj/gzdt/\n",
         "        url: http://::1:8000/slj/gzdt/\n"),
        ":21 units[0].columns[0].url: 'http://::1:8000/slj/gzdt/' is not a URL that can be "
        "requested: an IPv6 address must be in brackets (e.g. http://[2001:db8::1]:8000/)",
        id="ipv6-without-brackets",
    ),
    pytest.param(
        ("        url: http://127.0.0.1:8000/slj/gzdt/\n",
         "        url: http://[::1:8000/slj/gzdt/\n"),
        ":21 units[0].columns[0].url: 'http://[::1:8000/slj/gzdt/' is not a URL that can be "
        "requested: malformed IPv6 address (write it in brackets, e.g. "
        "http://[2001:db8::1]:8000/)",
        id="ipv6-unclosed",
    ),
    pytest.param(
        ("        cycle: weekly\n      - name: 年度报告", "        cycle: weely\n      - name: 年度报告"),
        ":23 units[0].columns[0].cycle: 'weely' is not one of weekly, monthly, quarterly, "
        "yearly, none (did you mean 'weekly'?)",
        id="unknown-cycle",
    ),
    pytest.param(
        ("        category: dynamics\n        cycle: weekly\n      - name: 年度报告",
         "        category: news\n        cycle: weekly\n      - name: 年度报告"),
        ":22 units[0].columns[0].category: 'news' is not one of dynamics, notice, policy, "
        "guide, duties, report, disclosure",
        id="unknown-category",
    ),
    pytest.param(
        ('        deadline: "01-31"\n', ""),
        ":24 units[0].columns[1]: a yearly report column needs a deadline "
        '(write e.g. deadline: "01-31")',
        id="yearly-report-without-deadline",
    ),
    pytest.param(
        ('        deadline: "01-31"\n', '        deadline: "02-30"\n'),
        ":28 units[0].columns[1].deadline: '02-30' is not a day of the year",
        id="impossible-deadline",
    ),
    pytest.param(
        ("        cycle: weekly\n      - name: 年度报告",
         "        cycle: weekly\n        deadline: \"03-31\"\n      - name: 年度报告"),
        ":20 units[0].columns[0]: deadline is only for yearly columns (this one is weekly): "
        "remove it or set cycle: yearly",
        id="deadline-on-weekly-column",
    ),
    pytest.param(
        ("  - name: 青石镇\n", "  - name: 县水利局\n"),
        ":29 units[1].name: unit '县水利局' is already defined as units[0]: "
        "unit names must be unique",
        id="duplicate-unit-name",
    ),
    pytest.param(
        ("http://127.0.0.1:8000/qsz/xzdt/", "http://127.0.0.1:8000/slj/gzdt/"),
        ":33 units[1].columns[0].url: 'http://127.0.0.1:8000/slj/gzdt/' is already the URL of "
        "units[0].columns[0]: each column URL may appear once",
        id="duplicate-column-url",
    ),
    pytest.param(
        ("    group: 乡镇\n", "    group: 乡镇\n    aliases: [水利局]\n"),
        ":31 units[1].aliases[0]: alias '水利局' is the name of units[0]: "
        "an alias must name one unit only",
        id="alias-shared-by-two-units",
    ),
    pytest.param(
        ("    group: 乡镇\n", ""),
        ":29 units[1].group: is required but missing",
        id="missing-required-key",
    ),
    pytest.param(
        ("  holidays: [2024-04-05]\n", "  holidays: [2024-02-30]\n"),
        ":7 calendar.holidays[0]: expected a date (YYYY-MM-DD), got '2024-02-30'",
        id="impossible-date",
    ),
    pytest.param(
        ("  workdays: [2024-04-07]\n", "  workdays: [2024-04-05]\n"),
        ":8 calendar.workdays[0]: 2024-04-05 is listed both as a holiday and as a workday",
        id="day-both-holiday-and-workday",
    ),
    pytest.param(
        ("    contacts: [slj@example.gov.cn]\n", "    contacts: [slj-at-example]\n"),
        ":18 units[0].contacts[0]: 'slj-at-example' is not an e-mail address",
        id="bad-contact-address",
    ),
    pytest.param(
        ("    annual_target: 450\n", "    annual_target: -5\n"),
        ":17 units[0].annual_target: must be at least 0, got -5",
        id="negative-annual-target",
    ),
    pytest.param(
        ("  concurrency_per_host: 4\n", "  concurrency_per_host: 4\n  browser: /no/such/chrome\n"),
        ":4 crawl: browser: '/no/such/chrome' is neither auto, off nor an existing Chromium "
        "executable (install one with 'apt-get install chromium' or "
        "'playwright install chromium')",
        id="missing-browser-executable",
    ),
    pytest.param(
        ("    annual_target: 450\n", "    annual_target: 450\n    annual_target: 500\n"),
        ":18 units[0].annual_target: duplicate key, also given on line 17",
        id="duplicate-yaml-key",
    ),
    pytest.param(
        ("  smtp: {host: 127.0.0.1, port: 1025}\n",
         "  smtp: {host: 127.0.0.1, port: 1025, starttls: true, ssl: true}\n"),
        ":10 email.smtp: starttls and ssl exclude each other: choose one",
        id="two-tls-modes",
    ),
    pytest.param(
        ("        category: dynamics\n        cycle: weekly\n      - name: 年度报告",
         "        category: dynamics\n        cycle: weekly\n        render: js\n"
         "      - name: 年度报告"),
        ":24 units[0].columns[0].render: 'js' is not one of static, browser",
        id="unknown-render",
    ),
    pytest.param(
        ("        category: dynamics\n        cycle: weekly\n      - name: 年度报告",
         "        category: dynamics\n        cycle: weekly\n        list: {style: dataproxy}\n"
         "      - name: 年度报告"),
        ":24 units[0].columns[0].list.style: 'dataproxy' is not one of "
        + ", ".join(ListStyle),
        id="unknown-list-style",
    ),
    pytest.param(
        ("        category: dynamics\n        cycle: weekly\n      - name: 年度报告",
         "        category: dynamics\n        cycle: weekly\n        render: browser\n"
         "        list: {style: hanweb}\n      - name: 年度报告"),
        ":20 units[0].columns[0]: render: browser reads the list as the scripted style, not "
        "hanweb: remove one of them",
        id="list-style-against-render",
    ),
    pytest.param(
        ("        category: dynamics\n        cycle: weekly\n      - name: 年度报告",
         "        category: dynamics\n        cycle: weekly\n        list: {date: span}\n"
         "      - name: 年度报告"),
        ":24 units[0].columns[0].list: title, link and date are looked up inside an item: "
        "give item too",
        id="list-without-item-or-style",
    ),
    pytest.param(
        ("units:\n  - name: 县水利局", "units:\n  -name: 县水利局"),
        ":15 (YAML): mapping values are not allowed here",
        id="yaml-syntax",
    ),
]


@pytest.mark.parametrize(("change", "expected"), MISTAKES)
def test_each_mistake_is_one_line_naming_file_line_and_key(
    tmp_path: Path, change: tuple[str, str], expected: str
) -> None:
    old, new = change
    assert old in VALID
    assert errors_of(tmp_path, VALID.replace(old, new, 1)) == [expected]


def test_all_mistakes_of_a_file_are_reported_in_file_order(tmp_path: Path) -> None:
    text = VALID.replace("crawl:\n", "crawler:\n").replace("cycle: weekly", "cycle: daily")
    lines = errors_of(tmp_path, text)
    assert [line.split(" ")[0] for line in lines] == [":4", ":23", ":35"]


def test_a_missing_file_is_one_line_with_a_hint(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as caught:
        load_config(tmp_path / "nope.yaml")
    assert caught.value.problems == [
        f"{tmp_path / 'nope.yaml'}: no such config file (give --config PATH or set MONITOR_CONFIG)"
    ]
