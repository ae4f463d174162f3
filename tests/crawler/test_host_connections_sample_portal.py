"""A whole `monitor crawl` keeps the per-host limit per host, over all its ports: the
portal's columns sit on two ports of 127.0.0.1, its attachments on a third and the sites
it links to on two more, and the server, counting its connections over all five ports,
never sees more than `crawl.concurrency_per_host` open at once (idle keep-alive ones
included), in the crawl nor in the link check after it."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest
import yaml

from sampleportal import RequestLog, serve_portal

LIMIT = 2


@pytest.mark.slow
def test_a_crawl_over_five_ports_of_one_host_keeps_its_connection_limit(
        sample_portal, crawl_workspace, tmp_path) -> None:
    host = RequestLog()
    now = sample_portal.default_now
    with serve_portal(sample_portal, now=now, files_host=True, latency_seconds=0.01,
                      host_log=host) as running, \
            serve_portal(sample_portal, now=now, latency_seconds=0.01,
                         host_log=host) as second:
        workspace = crawl_workspace(running, tmp_path, evidence=False)
        document = yaml.safe_load(workspace.config.read_text(encoding="utf-8"))
        document["crawl"].update({"concurrency_per_host": LIMIT, "browser": "off"})
        # Every other unit's columns are read from the second port.
        for unit in document["units"][1::2]:
            for column in unit["columns"]:
                column["url"] = column["url"].replace(running.base_url, second.base_url)
        workspace.config.write_text(yaml.safe_dump(document, allow_unicode=True),
                                    encoding="utf-8")
        done = subprocess.run([sys.executable, "-m", "monitor", "crawl", "--json"],
                              env=workspace.env(now), capture_output=True, text=True,
                              timeout=600)
        asked = {"site": running.log.total, "second": second.log.total,
                 "external": running.external_log.total + second.external_log.total}
    summary = json.loads(done.stdout)
    assert done.returncode == 1, done.stderr[-3000:]  # the browser column, unread
    assert summary["columns_failed"] == 1
    assert min(asked.values()) > 0, asked
    checked = {origin: workspace.query(
        "SELECT count(*) FROM link_target WHERE url LIKE ? AND status != 'unchecked'",
        origin + "/%")[0][0] for origin in (running.base_url, running.hosts.files)}
    assert min(checked.values()) > 0, checked
    assert host.max_concurrent_requests == LIMIT
    assert host.max_concurrent_connections == LIMIT
