"""How long `monitor discover` takes on the large sample portal (100 units, 1,000 columns).

Serves the large portal, runs `monitor discover` as the office would (a subprocess), once
with the default politeness (4 connections per host, 0.25 s between requests) and once
with the sample config's (no pause), and prints the time, the pages read and the columns
found against the portal's own column list.

    .venv/bin/python bench/bench_discover.py [--skip-polite] [--style jsonapi]

`--style` serves every column in one CMS list style (a flavour of the large portal).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from sampleportal import generate_portal, serve_portal, write_config
from sampleportal.model import ListStyle


def _run(url: str, *args: str) -> tuple[float, dict]:
    started = time.monotonic()
    done = subprocess.run([sys.executable, "-m", "monitor", "discover", url, "--json", *args],
                          capture_output=True, text=True, check=True)
    return time.monotonic() - started, json.loads(done.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--skip-polite", action="store_true",
                        help="Only the run without a pause between requests.")
    parser.add_argument("--style", choices=[style.value for style in ListStyle],
                        help="Serve every column in this list style.")
    options = parser.parse_args()
    portal = generate_portal(1, large=True,
                             style=ListStyle(options.style) if options.style else None)
    expected = {column.list_path for column in portal.columns()}
    with serve_portal(portal) as running, tempfile.TemporaryDirectory() as directory:
        config = write_config(portal, running.base_url, Path(directory) / "portal.yaml")
        runs = [("no pause (sample config)", ("--config", str(config)))]
        if not options.skip_polite:
            runs.append(("default politeness", ()))
        for label, args in runs:
            seconds, document = _run(running.base_url + "/", *args)
            found = {column["url"].removeprefix(running.base_url)
                     for unit in document["units"] for column in unit["columns"]}
            print(f"{label}: {seconds:.1f} s, {document['pages_read']} pages read, "
                  f"{len(found & expected)}/{len(expected)} columns found, "
                  f"{len(found - expected)} other pages proposed")


if __name__ == "__main__":
    main()
