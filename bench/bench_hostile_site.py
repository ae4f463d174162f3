"""Memory bound of a crawl of a hostile site: decompression bombs and 50 MB pages.

Serves on loopback a small portal whose columns list articles that are decompression
bombs (gzip, deflate, br and zstd bodies of about a megabyte that expand to 512 MiB),
50 MB pages, and a column whose list page is itself a bomb or a 50 MB page, then runs
the real `monitor crawl` as a subprocess and prints the peak of the summed RSS of the
crawl's processes (sampled every 0.2 s) and how each column ended.

Run: .venv/bin/python bench/bench_hostile_site.py [--columns N] [--articles N]
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import zlib
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import brotli
import yaml
from backports import zstd
from bench_crawl import TreeMemory

EXPANDED = 512 * 1024 * 1024
BIG_PAGE = 50 * 1024 * 1024
CHUNK = 1024 * 1024


def _bombs() -> dict[str, bytes]:
    """Each encoding's body of EXPANDED zero bytes, compressed once."""
    started = time.monotonic()
    zeros = bytes(CHUNK)
    gzip_stream = zlib.compressobj(9, zlib.DEFLATED, 31)
    deflate_stream = zlib.compressobj(9, zlib.DEFLATED, 15)
    brotli_stream = brotli.Compressor(quality=5)
    zstd_stream = zstd.ZstdCompressor(level=3)
    parts: dict[str, list[bytes]] = {"gzip": [], "deflate": [], "br": [], "zstd": []}
    for _ in range(EXPANDED // CHUNK):
        parts["gzip"].append(gzip_stream.compress(zeros))
        parts["deflate"].append(deflate_stream.compress(zeros))
        parts["br"].append(brotli_stream.process(zeros))
        parts["zstd"].append(zstd_stream.compress(zeros))
    parts["gzip"].append(gzip_stream.flush())
    parts["deflate"].append(deflate_stream.flush())
    parts["br"].append(brotli_stream.finish())
    parts["zstd"].append(zstd_stream.flush())
    bombs = {encoding: b"".join(chunks) for encoding, chunks in parts.items()}
    sizes = ", ".join(f"{encoding} {len(body) / 1024:.0f} KiB" for encoding, body in bombs.items())
    print(f"bombs of {EXPANDED // 2**20} MiB built in {time.monotonic() - started:.1f} s: {sizes}")
    return bombs


ENCODINGS = ("gzip", "deflate", "br", "zstd")


def hostile_handler(bombs: dict[str, bytes], columns: int, articles: int,
                    kinds: str = "all") -> type:
    def list_page(column: int) -> bytes:
        rows = "".join(
            f"<li><a href='/c{column}/a{n}.html'>第{column}栏目第{n}条信息公开事项</a>"
            f"<span>2024-05-{1 + n % 9:02d}</span></li>" for n in range(articles))
        return (f"<html><head><meta charset='utf-8'><title>栏目{column}</title></head><body>"
                f"<ul class='list'>{rows}</ul></body></html>").encode()

    def article(column: int, n: int) -> bytes:
        return (f"<html><head><meta charset='utf-8'><title>第{n}条</title></head><body>"
                f"<h1>第{column}栏目第{n}条信息公开事项</h1><p>发布时间：2024-05-0{1 + n % 9}</p>"
                f"<div class='TRS_Editor'><p>{'正文内容。' * 60}</p></div></body></html>").encode()

    class Hostile(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:  # noqa: N802
            parts = self.path.strip("/").split("/")
            if self.path == "/":
                return self._send(b"<html><body>home</body></html>")
            column = int(parts[0][1:])
            if len(parts) == 1:  # a list page: the last two columns' are hostile
                if column == columns - 1:
                    return self._big()
                if column == columns - 2:
                    return self._send(bombs["gzip"], "gzip")
                return self._send(list_page(column))
            n = int(parts[1][1:].split(".")[0])
            kind = n % 6
            if (kinds == "big" and kind < 4) or (kinds == "bombs" and kind == 4):
                kind = 5
            if kind < 4:
                return self._send(bombs[ENCODINGS[kind]], ENCODINGS[kind])
            if kind == 4:
                return self._big()
            return self._send(article(column, n))

        def _send(self, body: bytes, encoding: str | None = None) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            if encoding:
                self.send_header("Content-Encoding", encoding)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def _big(self) -> None:
            # No Content-Length: the crawler learns the size only by reading.
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.send_header("Connection", "close")
            self.end_headers()
            line = ("<p>" + "很长的页面内容" * 100 + "</p>\n").encode()
            with_markup = b"<html><body>"
            try:
                self.wfile.write(with_markup)
                for _ in range(BIG_PAGE // len(line)):
                    self.wfile.write(line)
            except (BrokenPipeError, ConnectionResetError):
                pass
            self.close_connection = True

        def log_message(self, *args: object) -> None:
            pass

    return Hostile


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--columns", type=int, default=8)
    parser.add_argument("--articles", type=int, default=30)
    parser.add_argument("--kinds", choices=("all", "bombs", "big"), default="all",
                        help="which hostile articles to serve (to tell their costs apart)")
    args = parser.parse_args()
    server = ThreadingHTTPServer(("127.0.0.1", 0),
                                 hostile_handler(_bombs(), args.columns, args.articles,
                                                 args.kinds))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    selectors = {"item": "ul.list li", "title": "a", "link": "a", "date": "span"}
    config = {
        "site": {"name": "恶意测试站点", "url": base},
        "crawl": {"browser": "off", "check_external_links": False, "delay_seconds": 0},
        "units": [{"name": "测试单位", "group": "县直单位", "columns": [
            {"name": f"栏目{c}", "url": f"{base}c{c}/", "category": "dynamics",
             "cycle": "weekly", "list": selectors} for c in range(args.columns)]}],
    }
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory)
        (path / "portal.yaml").write_text(yaml.safe_dump(config, allow_unicode=True),
                                          encoding="utf-8")
        env = dict(os.environ, MONITOR_CONFIG=str(path / "portal.yaml"),
                   MONITOR_DB=f"sqlite:///{path / 'monitor.db'}",
                   MONITOR_NOW="2024-05-10T02:00:00+08:00")
        subprocess.run([sys.executable, "-m", "monitor", "db", "upgrade"], env=env, check=True,
                       capture_output=True)
        started = time.monotonic()
        process = subprocess.Popen([sys.executable, "-m", "monitor", "crawl", "--json"],
                                   env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                   text=True)
        memory = TreeMemory(process.pid)
        memory.start()
        out, err = process.communicate(timeout=1800)
        memory.stop()
        elapsed = time.monotonic() - started
        with sqlite3.connect(path / "monitor.db") as connection:
            targets = connection.execute("SELECT count(*) FROM link_target").fetchone()[0]
    server.shutdown()
    if process.returncode not in (0, 1):
        sys.exit(f"crawl failed ({process.returncode}): {err[-2000:]}")
    summary = json.loads(out)
    bombs = args.columns - 2
    print(f"{args.columns} columns ({bombs} listing {args.articles} articles each: "
          f"4 in 6 decompression bombs, 1 in 6 a 50 MB page; one list page a bomb, one "
          f"50 MB): {elapsed:.1f} s, peak RSS of the crawl's processes "
          f"{memory.peak_kib / 1024:.0f} MiB")
    print(f"columns read {summary['columns_ok']}, not read {summary['columns_failed']}: "
          + "; ".join(f"{failed['column']} {failed['outcome']} ({failed['reason']})"
                      for unit in summary["units"] for failed in unit["failed"]))
    print(f"posts recorded {summary['posts_new']}, link targets {targets}")


if __name__ == "__main__":
    main()
