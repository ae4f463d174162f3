"""`crawl.backend: local | scrapyd` and `crawl.scrapyd_url` (SPEC §7), strictly checked."""

from __future__ import annotations

from pathlib import Path

import pytest

from monitor.config import load_config
from monitor.errors import ConfigError

CONFIG = """\
site: {{name: 瑞河县人民政府门户网站, url: "http://127.0.0.1:8000/"}}
crawl:
{crawl}
units:
  - name: 县水利局
    group: 县直单位
    columns:
      - {{name: 工作动态, url: "http://127.0.0.1:8000/slj/gzdt/", category: dynamics}}
"""


def write(tmp_path: Path, crawl: str) -> Path:
    path = tmp_path / "portal.yaml"
    path.write_text(CONFIG.format(crawl=crawl), encoding="utf-8")
    return path


def error_of(path: Path) -> str:
    with pytest.raises(ConfigError) as raised:
        load_config(path)
    return "\n".join(raised.value.problems)


def test_crawls_are_local_unless_the_config_names_scrapyd(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, "  delay_seconds: 0.5"))
    assert (config.crawl.backend, config.crawl.scrapyd_url) == ("local", None)


def test_scrapyd_backend_with_its_url_loads(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, "  backend: scrapyd\n"
                                         "  scrapyd_url: http://127.0.0.1:6800/"))
    assert (config.crawl.backend, config.crawl.scrapyd_url) == (
        "scrapyd", "http://127.0.0.1:6800/")


def test_scrapyd_backend_without_a_url_is_refused_with_a_hint(tmp_path: Path) -> None:
    message = error_of(write(tmp_path, "  backend: scrapyd"))
    assert "backend: scrapyd needs crawl.scrapyd_url" in message


def test_an_unknown_backend_is_refused(tmp_path: Path) -> None:
    message = error_of(write(tmp_path, "  backend: celery"))
    assert "crawl.backend" in message and "scrapyd" in message


def test_workers_are_refused_on_scrapyd(tmp_path: Path) -> None:
    message = error_of(write(tmp_path, "  backend: scrapyd\n"
                                       "  scrapyd_url: http://127.0.0.1:6800/\n"
                                       "  workers: 2"))
    assert "on scrapyd each crawl is one job" in message


def test_a_scrapyd_url_with_a_password_is_refused_without_echoing_it(tmp_path: Path) -> None:
    message = error_of(write(tmp_path, "  backend: scrapyd\n"
                                       "  scrapyd_url: http://admin:s3cret@127.0.0.1:6800/"))
    assert "user name or password" in message and "s3cret" not in message
