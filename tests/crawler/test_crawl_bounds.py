"""List pages that are decompression bombs (each encoding the crawler asks for) or far
larger than any page: the column is unreachable because the page is too large — never
read as an empty list, and the bomb is never expanded in full."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import threading
import zlib
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import brotli
import pytest
from backports import zstd

EXPANDED_MIB = 64
ZEROS = bytes(1024 * 1024)


def bomb(encoding: str) -> bytes:
    """EXPANDED_MIB of zeros, compressed with `encoding`."""
    if encoding in ("gzip", "deflate"):
        stream = zlib.compressobj(9, zlib.DEFLATED, 31 if encoding == "gzip" else 15)
        return b"".join(stream.compress(ZEROS) for _ in range(EXPANDED_MIB)) + stream.flush()
    if encoding == "br":
        compressor = brotli.Compressor(quality=5)
        return (b"".join(compressor.process(ZEROS) for _ in range(EXPANDED_MIB))
                + compressor.finish())
    zstd_stream = zstd.ZstdCompressor(level=3)
    return b"".join(zstd_stream.compress(ZEROS) for _ in range(EXPANDED_MIB)) + zstd_stream.flush()


ENCODINGS = ("gzip", "deflate", "br", "zstd")


@pytest.fixture(scope="module")
def hostile_site() -> Iterator[str]:
    bombs = {encoding: bomb(encoding) for encoding in ENCODINGS}

    class Hostile(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802
            name = self.path.strip("/")
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            if name in bombs:
                self.send_header("Content-Encoding", name)
                self.send_header("Content-Length", str(len(bombs[name])))
                self.end_headers()
                self.wfile.write(bombs[name])
                return
            # A page without a length, far larger than any list page: read until cut off.
            self.send_header("Connection", "close")
            self.end_headers()
            try:
                for _ in range(EXPANDED_MIB):
                    self.wfile.write(b"<p>" + b"x" * (1024 * 1024 - 8) + b"</p>\n")
            except (BrokenPipeError, ConnectionResetError):
                pass

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Hostile)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/"
    server.shutdown()
    server.server_close()


@pytest.mark.slow
def test_bombs_and_huge_list_pages_make_the_column_unreachable_as_too_large(
    hostile_site: str, tmp_path: Path
) -> None:
    names = [*ENCODINGS, "huge"]
    columns = "\n".join(
        f"      - {{name: 栏目{name}, url: \"{hostile_site}{name}/\", category: dynamics, "
        "cycle: weekly}" for name in names)
    config = tmp_path / "portal.yaml"
    config.write_text(
        f"site: {{name: 测试门户, url: \"{hostile_site}\"}}\n"
        "crawl: {browser: \"off\", delay_seconds: 0, check_external_links: false}\n"
        f"units:\n  - name: 县水利局\n    group: 县直单位\n    columns:\n{columns}\n",
        encoding="utf-8")
    database = tmp_path / "monitor.db"
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "MONITOR_CONFIG": str(config),
           "MONITOR_DB": f"sqlite:///{database}", "MONITOR_NOW": "2024-05-10T02:00:00+08:00"}
    subprocess.run([sys.executable, "-m", "monitor", "db", "upgrade"], env=env, check=True,
                   capture_output=True)
    crawl = subprocess.run([sys.executable, "-m", "monitor", "crawl", "--json"], env=env,
                           capture_output=True, text=True, timeout=300)
    assert crawl.returncode in (0, 1), crawl.stderr[-3000:]
    assert json.loads(crawl.stdout)["columns_failed"] == len(names)
    with sqlite3.connect(database) as connection:
        outcomes = dict(connection.execute(
            "SELECT portal_column.name, column_crawl.outcome || ':' || column_crawl.reason "
            "FROM column_crawl JOIN portal_column ON portal_column.id = column_crawl.column_id"))
    assert outcomes == {f"栏目{name}": "unreachable:too_large" for name in names}
