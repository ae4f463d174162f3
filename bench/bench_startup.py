"""Start-up benchmark: how long the command line takes before it does any work.

The scheduler starts `python -m monitor …` for every job, so this cost is paid by every
quiet night and every re-check. Times, as the median of N runs each:
  - the bare interpreter (`python -c pass`), the floor of any command;
  - `import monitor.cli` (the command table only; commands load when they run);
  - `monitor --help` (the list of commands);
  - `monitor crawl --help` and `monitor links --help` (one command's module loaded).
Then prints the ten slowest imports of `monitor crawl --help` (`-X importtime`).

Run: .venv/bin/python bench/bench_startup.py [--runs N]
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time

CASES = {
    "python -c pass": ["-c", "pass"],
    "import monitor.cli": ["-c", "import monitor.cli"],
    "monitor --help": ["-m", "monitor", "--help"],
    "monitor crawl --help": ["-m", "monitor", "crawl", "--help"],
    "monitor links --help": ["-m", "monitor", "links", "--help"],
}


def wall(arguments: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run([sys.executable, *arguments], check=True, capture_output=True)
    return time.perf_counter() - started


def slowest_imports(arguments: list[str], count: int = 10) -> list[tuple[int, str]]:
    done = subprocess.run([sys.executable, "-X", "importtime", *arguments],
                          capture_output=True, text=True, check=True)
    rows = []
    for line in done.stderr.splitlines():
        parts = line.split("|")
        if len(parts) == 3 and parts[1].strip().isdigit():
            rows.append((int(parts[1]), parts[2].strip()))
    # Top-level packages only: their cumulative time includes their children's.
    top = [(us, name) for us, name in rows if "." not in name]
    return sorted(top, reverse=True)[:count]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=5, help="runs per case (median shown)")
    args = parser.parse_args()
    for label, arguments in CASES.items():
        times = [wall(arguments) for _ in range(args.runs)]
        print(f"{label:24} median {statistics.median(times):.2f} s "
              f"(min {min(times):.2f}, max {max(times):.2f})")
    print("slowest top-level imports of `monitor crawl --help` (cumulative):")
    for microseconds, name in slowest_imports(CASES["monitor crawl --help"]):
        print(f"  {microseconds / 1000:7.0f} ms  {name}")


if __name__ == "__main__":
    main()
