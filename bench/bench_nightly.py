"""Nightly-crawl benchmark: the sample portal crawled once, then a night with nothing new.

Serves `generate_portal(1)` on loopback, runs the real `monitor crawl` for a first crawl,
then again one hour later (no new post, no new target; only the scheduled re-checks of
the broken and blocked link traps are due) and prints, for that quiet night:
  - wall time of the command, and where it went: start-up (process start → first
    request), reading (first → last request answered), after (last answer → exit:
    link problems, rule problems, the summary);
  - requests the portal answered, and any URL asked more than once.

Run: .venv/bin/python bench/bench_nightly.py [--nights N] [--profile FILE]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import threading
import time
from datetime import timedelta
from pathlib import Path

from sampleportal import generate_portal, serve_portal
from sampleportal.configfile import write_config


class Moments:
    """When the portal saw its first request and sent its last answer."""

    def __init__(self, logs: list) -> None:
        self._lock = threading.Lock()
        self.first = self.last = 0.0
        for log in logs:
            self._attach(log)

    def _attach(self, log) -> None:
        record, finished = log.record, log.request_finished

        def on_record(method: str, path: str) -> None:
            with self._lock:
                self.first = self.first or time.monotonic()
            record(method, path)

        def on_finished() -> None:
            with self._lock:
                self.last = time.monotonic()
            finished()

        log.record = on_record
        log.request_finished = on_finished

    def reset(self) -> None:
        with self._lock:
            self.first = self.last = 0.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--nights", type=int, default=3, help="quiet nights to time")
    parser.add_argument("--profile", help="write a cProfile of the last quiet night here")
    args = parser.parse_args()
    portal = generate_portal(1)
    first = portal.default_now
    with tempfile.TemporaryDirectory() as work, serve_portal(portal, now=first) as running:
        config = write_config(portal, running.base_url, Path(work) / "portal.yaml")
        env = dict(os.environ, MONITOR_CONFIG=str(config),
                   MONITOR_DB=f"sqlite:///{Path(work) / 'monitor.db'}")
        subprocess.run([sys.executable, "-m", "monitor", "db", "upgrade"], env=env,
                       check=True, capture_output=True)
        moments = Moments([running.log, running.external_log])
        for night in range(args.nights + 1):
            now = first + timedelta(hours=night)
            running.set_now(now)
            running.log.reset()
            running.external_log.reset()
            moments.reset()
            command = [sys.executable, "-m", "monitor", "crawl", "--json"]
            if args.profile and night == args.nights:
                command[1:1] = ["-m", "cProfile", "-o", args.profile]
            started = time.monotonic()
            done = subprocess.run(command, env=dict(env, MONITOR_NOW=now.isoformat()),
                                  capture_output=True, text=True)
            ended = time.monotonic()
            if done.returncode != 0:
                raise SystemExit(done.stderr[-3000:])
            repeated = {key: n for log in (running.log, running.external_log)
                        for key, n in log.exact_counts().items() if n > 1}
            label = "first crawl" if night == 0 else f"quiet night {night}"
            print(f"{label}: {ended - started:.1f} s; start-up {moments.first - started:.1f} s, "
                  f"reading {moments.last - moments.first:.1f} s, after "
                  f"{ended - moments.last:.1f} s; "
                  f"{running.log.total + running.external_log.total} requests; "
                  f"asked more than once: {sorted(repeated.items()) or 'none'}")


if __name__ == "__main__":
    main()
