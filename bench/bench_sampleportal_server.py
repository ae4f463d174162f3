"""Requests per second the sample portal serves on loopback (target: >= 1,000 on 2 cores).

Runs the large portal, then several keep-alive clients fetching list pages and articles
for a fixed time, and prints the rate and the server's own request count.

    .venv/bin/python bench/bench_sampleportal_server.py [--seconds 5] [--clients 8]
"""

from __future__ import annotations

import argparse
import http.client
import itertools
import threading
import time
from urllib.parse import quote

from sampleportal import generate_portal, serve_portal
from sampleportal.styles import article_path


def _paths(portal, now) -> list[str]:
    paths = []
    for column in portal.columns()[:200]:
        paths.append(column.list_path)
        paths.extend(article_path(column, post) for post in column.live_posts(now)[:4])
    return [quote(path) for path in paths]


def _client(port: int, paths: list[str], deadline: float, counts: list[int]) -> None:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    done = 0
    for path in itertools.cycle(paths):
        if time.monotonic() >= deadline:
            break
        connection.request("GET", path)
        reply = connection.getresponse()
        reply.read()
        done += 1
    connection.close()
    counts.append(done)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--clients", type=int, default=8)
    options = parser.parse_args()
    started = time.monotonic()
    portal = generate_portal(1, large=True)
    generated = time.monotonic() - started
    with serve_portal(portal) as running:
        port = int(running.base_url.rsplit(":", 1)[1])
        paths = _paths(portal, running.now)
        counts: list[int] = []
        deadline = time.monotonic() + options.seconds
        threads = [threading.Thread(target=_client, args=(port, paths[i::options.clients],
                                                          deadline, counts))
                   for i in range(options.clients)]
        began = time.monotonic()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.monotonic() - began
        total = sum(counts)
        print(f"large portal generated in {generated:.2f} s "
              f"({sum(len(c.posts) for c in portal.columns())} posts)")
        print(f"{total} requests in {elapsed:.2f} s with {options.clients} keep-alive clients: "
              f"{total / elapsed:.0f} requests/s (server counted {running.log.total}, "
              f"max {running.log.max_concurrent_connections} connections)")


if __name__ == "__main__":
    main()
