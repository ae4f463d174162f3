"""Crawl benchmark: the large sample portal (about 100,000 articles), first crawl and one night.

Serves `generate_portal(large=True)` on loopback, runs the real `monitor crawl` as a
subprocess (first crawl, then the next night) and prints:
  - wall time, list+article pages per second, requests the portal answered;
  - peak RSS of the crawl process;
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
    started = time.perf_counter()
    profiler = ["-m", "cProfile", "-o", str(profile.resolve())] if profile else []
    process = subprocess.run([sys.executable, *profiler, "-m", "monitor", "crawl", "--json"],
                             env=dict(env, MONITOR_NOW=now.isoformat()), capture_output=True,
                             text=True)
    elapsed = time.perf_counter() - started
    if process.returncode != 0:
        raise SystemExit(process.stderr[-3000:])
    peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return {"summary": json.loads(process.stdout), "seconds": elapsed,
            "requests": running.log.total + running.external_log.total - before,
            "peak_rss_mib": peak_kib / 1024}


def report(label: str, result: dict, running) -> None:
    summary = result["summary"]
    pages = summary["pages"] + summary["posts_new"]
    print(f"{label}: {result['seconds']:.1f} s, {summary['pages']} list pages, "
          f"{summary['posts_new']} new posts, {result['requests']} requests answered, "
          f"{pages / result['seconds']:.0f} list+article pages/s, "
          f"peak RSS (largest child so far) {result['peak_rss_mib']:.0f} MiB")


if __name__ == "__main__":
    main()
