import threading
from pathlib import Path

import httpx
import pytest

from monitor.config.loader import load_config
from sampleportal import config_yaml, generate_portal, serve_portal, write_config
from sampleportal.model import Render


def test_request_log_counts_paths_methods_and_totals(running, client):
    client.get(running.url("/"))
    client.head(running.url("/"))
    client.get(running.url("/xxgk/政策解读/解读材料.html"))
    assert running.log.count("/") == 2
    assert running.log.count("/", "HEAD") == 1
    assert running.log.count("/xxgk/政策解读/解读材料.html", "GET") == 1
    assert running.log.total == 3


def test_keep_alive_serves_many_requests_on_one_connection(running, client):
    for _ in range(20):
        assert client.get(running.url("/slj/gzdt/")).status_code == 200
    assert running.log.max_concurrent_connections == 1


@pytest.mark.slow
def test_max_concurrent_connections_is_recorded(running):
    barrier = threading.Barrier(4)

    def fetch() -> None:
        with httpx.Client(trust_env=False, timeout=10) as own:
            barrier.wait()
            own.get(running.url("/xxgk/slow/statistics.html"))

    threads = [threading.Thread(target=fetch) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert running.log.max_concurrent_connections == 4


def test_log_is_readable_over_http(running, client):
    client.get(running.url("/sitemap.html"))
    document = client.get(running.url("/__control__/log")).json()
    assert {"method": "GET", "path": "/sitemap.html", "count": 1} in document["requests"]


def test_unknown_path_is_404(running, client):
    assert client.get(running.url("/no/such/page.html")).status_code == 404


@pytest.mark.slow
def test_large_portal_serves_lazily_rendered_pages(client):
    large = generate_portal(3, large=True)
    column = large.columns()[-1]
    with serve_portal(large) as served:
        assert client.get(served.url(column.list_path)).status_code == 200


def test_written_config_is_accepted_by_the_product_loader(running, portal, tmp_path: Path):
    path = write_config(portal, running.base_url, tmp_path / "portal.yaml")
    config = load_config(path)
    assert config.site.url == running.base_url + "/"
    assert len(config.units) == len(portal.units)
    assert all(unit.annual_target for unit in config.units)
    browser = [column for unit in config.units for column in unit.columns
               if column.render is Render.BROWSER]
    assert [column.name for column in browser] == ["乡镇动态"]


def test_config_column_urls_answer(running, portal, client):
    text = config_yaml(portal, running.base_url)
    urls = [line.split("url: ", 1)[1] for line in text.splitlines() if "  url: " in line][1:]
    assert len(urls) == len(portal.columns())
    assert all(client.get(url).status_code == 200 for url in urls)
