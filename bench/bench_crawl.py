"""Crawl benchmark: the large sample portal (about 100,000 articles), first crawl and one night.

Serves `generate_portal(large=True)` on loopback, runs the real `monitor crawl` as a
subprocess (first crawl, then the next night) and prints:
  - wall time, list+article pages per second, requests the portal answered and the crawl's
    CPU time (all its processes);
  - the peak of the summed RSS of the crawl's processes (parent and workers), and apart
    from it that of the browser (Playwright's driver and Chromium);
  - the nightly crawl's requests against the ideal (first list page of every column,
    Hanweb and JavaScript columns needing two, + home page + new articles + new link
    targets), scheduled link re-checks reported apart.

Run: .venv/bin/python bench/bench_crawl.py [--units N] [--workers N] [--no-external]
                                            [--profile FILE]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time
from datetime import timedelta
from pathlib import Path

import yaml

from sampleportal import generate_portal, serve_portal
from sampleportal.configfile import portal_config
from sampleportal.model import ListStyle

TWO_REQUEST_STYLES = {ListStyle.HANWEB, ListStyle.JSLIST}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--units", type=int, default=0, help="crawl only the first N units")
    parser.add_argument("--no-external", action="store_true", help="check on-site links only")
    parser.add_argument("--workers", type=int, default=1,
                        help="crawl processes (crawl.workers); the per-host limits are shared")
    parser.add_argument("--profile", type=Path,
                        help="write a cProfile of the first crawl to this file")
    args = parser.parse_args()
    portal = generate_portal(1, large=True)
    posts = sum(len(column.posts) for unit in portal.units for column in unit.columns)
    print(f"portal: {len(portal.units)} units, "
          f"{sum(len(u.columns) for u in portal.units)} columns, {posts} posts")
    with tempfile.TemporaryDirectory() as work, serve_portal(portal) as running:
        directory = Path(work)
        config = portal_config(portal, running.base_url)
        if args.units:
            config["units"] = config["units"][: args.units]
        config["crawl"]["workers"] = args.workers
        if args.no_external:
            config["crawl"]["check_external_links"] = False
        config_path = directory / "portal.yaml"
        config_path.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
        env = dict(os.environ, MONITOR_CONFIG=str(config_path),
                   MONITOR_DB=f"sqlite:///{directory / 'bench.db'}")
        subprocess.run([sys.executable, "-m", "monitor", "db", "upgrade"], env=env, check=True,
                       capture_output=True)
        first = crawl(env, running, running.now, args.profile)
        report("first crawl", first, running)
        running.log.reset()
        night = crawl(env, running, running.now + timedelta(days=1))
        report("next night", night, running)
        chosen = {unit["name"] for unit in config["units"]}
        columns = sum(2 if column.style in TWO_REQUEST_STYLES else 1
                      for unit in portal.units if unit.name in chosen
                      for column in unit.columns)
        ideal = columns + 1 + night["summary"]["posts_new"]
        print(f"nightly ideal (without new link targets): {ideal} requests; made "
              f"{night['requests']}: ratio {night['requests'] / ideal:.2f}")


def crawl(env: dict[str, str], running, now, profile: Path | None = None) -> dict:
    running.set_now(now)
    before = running.log.total + running.external_log.total
    cpu_before = _children_cpu_seconds()
    started = time.perf_counter()
    profiler = ["-m", "cProfile", "-o", str(profile.resolve())] if profile else []
    process = subprocess.Popen([sys.executable, *profiler, "-m", "monitor", "crawl", "--json"],
                               env=dict(env, MONITOR_NOW=now.isoformat()),
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    memory = TreeMemory(process.pid)
    memory.start()
    out, err = process.communicate()
    elapsed = time.perf_counter() - started
    memory.stop()
    if process.returncode != 0:
        raise SystemExit(err[-3000:])
    return {"summary": json.loads(out), "seconds": elapsed,
            "requests": running.log.total + running.external_log.total - before,
            "cpu_seconds": _children_cpu_seconds() - cpu_before,
            "peak_rss_mib": memory.peak_kib / 1024,
            "peak_browser_rss_mib": memory.peak_browser_kib / 1024}


def _children_cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


class TreeMemory(threading.Thread):
    """Peaks of the summed RSS of a process and all its descendants, sampled from /proc
    every 0.2 s: the crawl's own processes (parent and workers) apart from the browser
    (Playwright's driver, which runs on Node, and Chromium) that JavaScript columns use."""

    def __init__(self, root: int):
        super().__init__(daemon=True)
        self.root = root
        self.peak_kib = 0
        self.peak_browser_kib = 0
        self._done = threading.Event()

    def run(self) -> None:
        while not self._done.wait(0.2):
            tree = self._tree()
            browser = {pid for pid in tree if _command_name(pid).startswith(("chrom", "node"))}
            self.peak_kib = max(self.peak_kib, sum(_rss_kib(pid) for pid in tree - browser))
            self.peak_browser_kib = max(self.peak_browser_kib,
                                        sum(_rss_kib(pid) for pid in browser))

    def stop(self) -> None:
        self._done.set()
        self.join()

    def _tree(self) -> set[int]:
        parents: dict[int, int] = {}
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit():
                try:
                    fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
                except OSError:
                    continue
                parents[int(entry.name)] = int(fields[1])
        tree, grew = {self.root}, True
        while grew:
            more = {pid for pid, parent in parents.items() if parent in tree} - tree
            tree |= more
            grew = bool(more)
        return tree


def _command_name(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/comm").read_text().strip().lower()
    except OSError:
        return ""


def _rss_kib(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def report(label: str, result: dict, running) -> None:
    summary = result["summary"]
    pages = summary["pages"] + summary["posts_new"]
    print(f"{label}: {result['seconds']:.1f} s, {summary['pages']} list pages, "
          f"{summary['posts_new']} new posts, {result['requests']} requests answered "
          f"({result['requests'] / result['seconds']:.0f}/s), "
          f"{pages / result['seconds']:.0f} list+article pages/s, "
          f"crawl CPU {result['cpu_seconds']:.0f} s, "
          f"peak RSS of the crawl's processes {result['peak_rss_mib']:.0f} MiB "
          f"(+ browser {result['peak_browser_rss_mib']:.0f} MiB)")


if __name__ == "__main__":
    main()
