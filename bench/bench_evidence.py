"""Evidence benchmark: screenshots of 200 problems on the sample portal (截图取证).

Serves the sample portal on loopback and captures 200 of its articles as the evidence step
of a crawl does (banner, frame on the article's image or a link, masking, viewport PNG,
full-page JPEG, page as fetched, manifest), writing each into a temporary evidence
directory. Prints the wall time, captures per second, the bytes written, the CPU time spent (this
process and the browser), and the peak of the summed memory (PSS) of the browser
(Playwright's driver and Chromium) and of this process.

Run: .venv/bin/python bench/bench_evidence.py [--problems 200] [--concurrency 2]
"""

from __future__ import annotations

import argparse
import os
import resource
import tempfile
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

from crawler.browser import find_browser
from crawler.capture import CapturedPage, CaptureRequest, CaptureSettings, capture_pages
from monitor import __version__
from monitor.evidence.manifest import build_manifest, manifest_bytes
from sampleportal import Truth, generate_portal, serve_portal
from storage.evidence_store import write_item


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--problems", type=int, default=200)
    parser.add_argument("--concurrency", type=int, default=2)
    args = parser.parse_args()
    browser = find_browser("auto", None)
    if browser is None:
        raise SystemExit("no Chromium: run scripts/ensure-chromium")
    portal = generate_portal(1)
    with tempfile.TemporaryDirectory() as work, serve_portal(portal) as running:
        urls = [post.url(running.hosts) for post in Truth(portal).posts()]
        urls = (urls * (args.problems // len(urls) + 1))[: args.problems]
        requests = [
            CaptureRequest(key=n, url=url, banner=("监测取证　链接无法访问（错链）",
                                                   f"问题：HTTP 404（基准测试第{n}项）",
                                                   f"页面：{url}"),
                           target=f"{running.base_url}/", highlight="link",
                           element_label="无法访问的链接")
            for n, url in enumerate(urls)
        ]
        # The sample portal's other hosts are loopback ports too, as in its config.
        settings = CaptureSettings(browser=browser, concurrency=args.concurrency,
                                   page_timeout=20, viewport_width=1280, viewport_height=800,
                                   full_page_max_height=8000, jpeg_quality=75,
                                   site_url=f"{running.base_url}/", allow_private=True)
        memory = BrowserMemory(os.getpid())
        memory.start()
        started = time.monotonic()
        results = capture_pages(requests, settings, lambda: datetime.now(UTC))
        captured = [r for r in results.values() if isinstance(r, CapturedPage)]
        written = 0
        for result in captured:
            manifest = build_manifest(result.facts, result.files, __version__, {})
            written += write_item(Path(work), result.files, manifest_bytes(manifest)).size
        elapsed = time.monotonic() - started
        memory.stop()
    print(f"{len(captured)}/{len(requests)} captured in {elapsed:.1f} s "
          f"({len(captured) / elapsed:.1f} per second, concurrency {args.concurrency}); "
          f"{written / 1024 / 1024:.1f} MiB written")
    cpu = sum(getattr(resource.getrusage(who), field) for who in (
        resource.RUSAGE_SELF, resource.RUSAGE_CHILDREN) for field in ("ru_utime", "ru_stime"))
    print(f"CPU time of this process and the browser: {cpu:.1f} s "
          f"({cpu / max(len(captured), 1):.2f} s per capture)")
    print(f"peak memory (PSS): browser {memory.peak_browser_kib / 1024:.0f} MiB, "
          f"this process {memory.peak_own_kib / 1024:.0f} MiB")


class BrowserMemory(threading.Thread):
    """Peaks, sampled from /proc every 0.2 s, of this process's memory and of the summed memory of
    its descendants (Playwright's Node driver and Chromium's processes)."""

    def __init__(self, root: int):
        super().__init__(daemon=True)
        self.root = root
        self.peak_browser_kib = 0
        self.peak_own_kib = 0
        self._done = threading.Event()

    def run(self) -> None:
        while not self._done.wait(0.2):
            descendants = _descendants(self.root)
            self.peak_browser_kib = max(self.peak_browser_kib,
                                        sum(_rss_kib(pid) for pid in descendants))
            self.peak_own_kib = max(self.peak_own_kib, _rss_kib(self.root))

    def stop(self) -> None:
        self._done.set()
        self.join()


def _descendants(root: int) -> set[int]:
    parents: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            parents[int(entry.name)] = int(fields[1])
    tree, grew = {root}, True
    while grew:
        more = {pid for pid, parent in parents.items() if parent in tree} - tree
        tree |= more
        grew = bool(more)
    return tree - {root}


def _rss_kib(pid: int) -> int:
    """Proportional set size: shared pages (Chromium's processes share many) are counted
    once in the sum, not once per process."""
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


if __name__ == "__main__":
    main()
