"""The crawl's Chromium contacts the pages it is sent to and nothing else: its own network
log (every name it looks up, every connection it opens) during a crawl of the sample
portal names no host but the portal's — no update, sign-in or safe-browsing service."""

from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import urlsplit

import pytest

pytestmark = [pytest.mark.slow, pytest.mark.browser]

LOOKUP = "HOST_RESOLVER_MANAGER_JOB"
CONNECT = "TCP_CONNECT_ATTEMPT"
REQUEST = "URL_REQUEST_START_JOB"


def netlog_events(path: Path) -> list[tuple[str, dict]]:
    text = path.read_text(encoding="utf-8").rstrip()
    if not text.endswith("}"):  # a browser stopped mid-write leaves the array open
        text = text.rstrip(",") + "]}"
    log = json.loads(text)
    names = {number: name for name, number in log["constants"]["logEventTypes"].items()}
    return [(names.get(event["type"], ""), event.get("params", {})) for event in log["events"]]


def test_the_browser_looks_up_and_connects_to_nothing_but_the_portal(crawled) -> None:
    events = netlog_events(crawled.browser_netlog)
    portal = urlsplit(crawled.running.base_url)
    requested = {urlsplit(params["url"]).hostname for kind, params in events
                 if kind == REQUEST and "url" in params}
    assert portal.hostname in requested  # the log did record the crawl's pages
    looked_up = {urlsplit(params["host"]).hostname for kind, params in events
                 if kind == LOOKUP and "host" in params}
    connected = {params["address"].rsplit(":", 1)[0].strip("[]") for kind, params in events
                 if kind == CONNECT and "address" in params}
    assert looked_up <= {portal.hostname}
    assert connected <= {portal.hostname}
