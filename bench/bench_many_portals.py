"""Many portals on one platform (SPEC §7): 20 sample portals sharing one host, crawled the
way the scheduler crawls them.

Serves N copies of `generate_portal(1)` on N ports of 127.0.0.1 (one host: a provincial
集约化 platform), writes a config directory of N portals, groups them with the scheduler's
own rule (`politeness_groups` over `portal_addresses`: all N fall in one group) and fires
every portal's crawl job at once through the scheduler's `run_job`, as a night whose crawl
times all came due together would; the group's lock lets one crawl at a time reach the
host. Prints:
  - total wall time and the time per portal;
  - the peak of the summed RSS of the bench and every process under it (crawls, browsers);
  - what the host saw, summed over all its ports: the most connections open at once, the
    most requests in flight at once (bounded by `crawl.concurrency_per_host`), and the most
    portals being read at once (1 when the host's crawls run one after another).

Run: .venv/bin/python bench/bench_many_portals.py [--portals 20] [--browser off|auto]
"""

from __future__ import annotations

import argparse
import logging
import os
import tempfile
import threading
import time
from pathlib import Path

import yaml
from bench_crawl import TreeMemory

from monitor.app import App
from monitor.config.portals import load_portals
from monitor.scheduler.jobs import run_job
from monitor.scheduler.portals import group_of, politeness_groups, portal_addresses
from sampleportal import RequestLog, RunningPortal, generate_portal, serve_portal
from sampleportal.configfile import portal_config
from storage.migrations import upgrade


class BusyPortals:
    """How many portals are being answered at once (connections and requests of the host
    as a whole are the servers' shared `host_log`)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self.busy: dict[int, int] = {}
        self.max_busy_portals = 0

    def attach(self, log, portal: int) -> None:
        started, finished = log.request_started, log.request_finished

        def on_started() -> None:
            with self._lock:
                self.busy[portal] = self.busy.get(portal, 0) + 1
                busy = sum(1 for count in self.busy.values() if count)
                self.max_busy_portals = max(self.max_busy_portals, busy)
            started()

        def on_finished() -> None:
            with self._lock:
                self.busy[portal] -= 1
            finished()

        log.request_started, log.request_finished = on_started, on_finished


def write_directory(servers: list[RunningPortal], directory: Path, browser: str) -> None:
    directory.mkdir()
    for number, running in enumerate(servers, start=1):
        document = portal_config(running.portal, running.base_url)
        document["site"]["name"] = f"{document['site']['name']}（{number:02d}）"
        document["crawl"]["browser"] = browser
        document["evidence"] = {"enabled": False}
        (directory / f"county{number:02d}.yaml").write_text(
            yaml.safe_dump(document, allow_unicode=True, sort_keys=False), encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--portals", type=int, default=20)
    parser.add_argument("--browser", default="off", choices=["off", "auto"])
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(message)s")
    portal = generate_portal(1)
    host = RequestLog()
    portals_busy = BusyPortals()
    servers = [serve_portal(portal, host_log=host) for _ in range(args.portals)]
    try:
        for number, running in enumerate(servers):
            running.set_now(portal.default_now)
            portals_busy.attach(running.log, number)
            portals_busy.attach(running.external_log, number)  # the same host, another port
        with tempfile.TemporaryDirectory() as work:
            directory = Path(work) / "portals"
            write_directory(servers, directory, args.browser)
            db_url = f"sqlite:///{Path(work) / 'monitor.db'}"
            upgrade(App(db_option=db_url).engine)
            os.environ["MONITOR_NOW"] = portal.default_now.isoformat()
            portals = load_portals(directory)
            groups = politeness_groups({member.name: portal_addresses(member.config)
                                        for member in portals.members})
            group = group_of(groups)
            print(f"{len(portals.members)} portals, {len(groups)} host group(s)")
            memory = TreeMemory(os.getpid())
            memory.start()
            started = time.monotonic()
            jobs = [threading.Thread(target=run_job, args=(
                f"crawl@{member.stem}", str(member.path), db_url, group[member.name]))
                for member in portals.members]
            for job in jobs:
                job.start()
            for job in jobs:
                job.join()
            seconds = time.monotonic() - started
            memory.stop()
        per_port = [(running.log.max_concurrent_connections,
                     running.external_log.max_concurrent_connections) for running in servers]
    finally:
        for running in servers:
            running.stop()
    limit = portals.members[0].config.crawl.concurrency_per_host
    print(f"total {seconds:.1f} s, {seconds / args.portals:.1f} s per portal")
    print(f"peak RSS (bench + crawls) {memory.peak_kib / 1024:.0f} MiB "
          f"(+ browser {memory.peak_browser_kib / 1024:.0f} MiB)")
    print(f"host 127.0.0.1: at most {host.max_concurrent_connections} connections open, "
          f"{host.max_concurrent_requests} requests in flight (concurrency_per_host {limit}), "
          f"{portals_busy.max_busy_portals} portal(s) read at once")
    print("most connections open at once on each portal's own port and its 'external' port: "
          + ", ".join(f"{site}+{external}" for site, external in per_port))


if __name__ == "__main__":
    main()
