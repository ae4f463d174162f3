"""Running one link check from the command line: targets from a JSON file, results as
JSON lines (the link checker's own harness, used by its tests):

    python -m crawler.linkcheck.run --targets targets.json --site-url URL --out results.jsonl

`targets.json` is a list of {"url": ..., "kind": "a" | "img" | "attachment"}, with
"known_broken": true for a target an earlier run confirmed broken.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Sequence
from pathlib import Path

from crawler.linkcheck.checker import CheckerSettings, check_links
from crawler.linkcheck.policy import RetryPolicy
from monitor.crawlfacts.links import LinkCheckResult, LinkTarget
from monitor.domain import LinkKind


def read_targets(path: Path) -> list[LinkTarget]:
    rows = json.loads(path.read_text(encoding="utf-8"))
    return [LinkTarget(url=row["url"], kind=LinkKind(row["kind"]),
                       known_broken=bool(row.get("known_broken", False))) for row in rows]


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
    return parser.parse_args(argv)


def settings_of(args: argparse.Namespace) -> CheckerSettings:
    return CheckerSettings(
        site_url=args.site_url, allow_private=args.allow_private,
        soft404_patterns=tuple(args.soft404), check_external=not args.no_external,
        retry_policy=RetryPolicy(args.retries, args.backoff, args.confirm_delay),
        concurrency_per_host=args.concurrency_per_host, delay_seconds=args.delay,
        timeout_seconds=args.timeout,
    )


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    targets = read_targets(args.targets)
    with args.out.open("w", encoding="utf-8") as out:

        def write(item: LinkCheckResult) -> None:
            out.write(json.dumps(item.to_json(), ensure_ascii=False) + "\n")

        check_links(targets, settings_of(args), write)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
