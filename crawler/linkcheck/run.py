"""Running one link check in its own process: targets from a JSON file, results as JSON
lines. A Twisted reactor cannot be restarted, so each check (and each test) that crawls
runs this module as a subprocess:

    python -m crawler.linkcheck.run --targets targets.json --site-url URL --out results.jsonl

`targets.json` is a list of {"url": ..., "kind": "a" | "img" | "attachment"}.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Sequence
from pathlib import Path

from scrapy import signals
from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings

from crawler.linkcheck.model import LinkCheckResult, LinkTarget
from crawler.linkcheck.policy import RetryPolicy
from crawler.politeness import download_delay
from crawler.spiders.linkcheck import LinkCheckSpider
from monitor.domain import LinkKind


def read_targets(path: Path) -> list[LinkTarget]:
    rows = json.loads(path.read_text(encoding="utf-8"))
    return [LinkTarget(url=row["url"], kind=LinkKind(row["kind"])) for row in rows]


def crawl_settings(args: argparse.Namespace) -> Settings:
    settings = Settings()
    settings.setmodule("crawler.settings", priority="project")
    settings.set("DOWNLOAD_TIMEOUT", args.timeout, priority="cmdline")
    settings.set("DOWNLOAD_DELAY", download_delay(args.delay), priority="cmdline")
    settings.set("CONCURRENT_REQUESTS_PER_DOMAIN", args.concurrency_per_host, priority="cmdline")
    settings.set("LOG_LEVEL", args.log_level, priority="cmdline")
    return settings


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m crawler.linkcheck.run")
    parser.add_argument("--targets", type=Path, required=True)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--site-url", required=True)
    parser.add_argument("--allow-private", action="store_true")
    parser.add_argument("--no-external", action="store_true")
    parser.add_argument("--soft404", action="append", default=[], metavar="PHRASE")
    parser.add_argument("--timeout", type=float, default=15.0)
    parser.add_argument("--delay", type=float, default=0.25)
    parser.add_argument("--concurrency-per-host", type=int, default=4)
    defaults = RetryPolicy()
    parser.add_argument("--retries", type=int, default=defaults.transient_retries)
    parser.add_argument("--backoff", type=float, default=defaults.backoff_seconds)
    parser.add_argument("--confirm-delay", type=float, default=defaults.confirm_delay_seconds)
    parser.add_argument("--log-level", default="WARNING")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    """Exit status 1 when a callback failed: some targets then have no result."""
    args = parse_args(argv)
    targets = read_targets(args.targets)
    process = CrawlerProcess(crawl_settings(args), install_root_handler=True)
    crawler = process.create_crawler(LinkCheckSpider)
    with args.out.open("w", encoding="utf-8") as out:

        def write(item: LinkCheckResult) -> None:
            out.write(json.dumps(item.to_json(), ensure_ascii=False) + "\n")
            out.flush()

        crawler.signals.connect(write, signal=signals.item_scraped)
        process.crawl(
            crawler,
            targets=targets,
            site_url=args.site_url,
            allow_private=args.allow_private,
            soft404_patterns=args.soft404,
            check_external=not args.no_external,
            retry_policy=RetryPolicy(args.retries, args.backoff, args.confirm_delay),
        )
        process.start()
    return 1 if crawler.stats.get_value("spider_exceptions/count") else 0


if __name__ == "__main__":
    raise SystemExit(main())
