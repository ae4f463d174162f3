"""The `web:` section of the config (the dashboard of `monitor serve`)."""

from __future__ import annotations

from pathlib import Path

import pytest

from monitor.config import load_config
from monitor.errors import ConfigError

REPO = Path(__file__).resolve().parents[3]
BASE = """\
site:
  name: 瑞河县人民政府门户网站
  url: http://127.0.0.1:8000/
units:
  - name: 县水利局
    group: 县直单位
    columns:
      - name: 工作动态
        url: http://127.0.0.1:8000/slj/gzdt/
        category: dynamics
        cycle: weekly
"""


def _load(tmp_path: Path, web: str):  # type: ignore[no-untyped-def]
    path = tmp_path / "portal.yaml"
    path.write_text(BASE + web, encoding="utf-8")
    return path, load_config(path)


def test_the_web_section_is_optional_with_safe_defaults(tmp_path: Path) -> None:
    _, config = _load(tmp_path, "")
    assert config.web.trusted_proxies == []
    assert (config.web.session_minutes, config.web.login_failures,
            config.web.lockout_minutes) == (480, 5, 15)


def test_proxies_are_addresses_or_networks(tmp_path: Path) -> None:
    _, config = _load(tmp_path, "web:\n  trusted_proxies: [127.0.0.1, 10.0.0.0/24, '::1']\n")
    assert config.web.trusted_proxies == ["127.0.0.1", "10.0.0.0/24", "::1"]


@pytest.mark.parametrize(("web", "expected"), [
    ("web:\n  trusted_proxies: [proxy.example]\n",
     ":13 web.trusted_proxies[0]: 'proxy.example' is not an IP address or network "
     "(write e.g. 127.0.0.1 or 10.0.0.0/24)"),
    ("web:\n  session_minute: 30\n",
     ":13 web.session_minute: unknown key 'session_minute' (did you mean 'session_minutes'?)"),
    ("web:\n  session_minutes: 1\n",
     ":13 web.session_minutes: must be at least 5, got 1"),
])
def test_a_mistake_in_the_web_section_names_its_line_and_key(tmp_path, web, expected) -> None:
    path = tmp_path / "portal.yaml"
    path.write_text(BASE + web, encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert [line.removeprefix(str(path)) for line in caught.value.problems] == [expected]


def test_the_sample_config_documents_the_web_section() -> None:
    config = load_config(REPO / "config" / "sample.yaml")
    assert config.web.session_minutes == 480
    assert "trusted_proxies" in (REPO / "config" / "sample.yaml").read_text(encoding="utf-8")
