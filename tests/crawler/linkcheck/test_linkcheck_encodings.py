"""Bodies the checker reads: compressed ones decoded within a bound, others not decoded;
and the SSRF guard on a name whose DNS answer is a private address."""

from __future__ import annotations

import asyncio
import gzip
import time
import zlib
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from crawler.linkcheck.bodies import UnreadableEncoding, read_prefix


async def _chunks(data: bytes, size: int, taken: list[int]) -> AsyncIterator[bytes]:
    for start in range(0, len(data), size):
        taken.append(size)
        yield data[start:start + size]


def _read(data: bytes, encoding: str, budget: int, taken: list[int]) -> bytes:
    return asyncio.run(read_prefix(_chunks(data, 16 * 1024, taken), encoding, budget))


@pytest.mark.slow
def test_a_gzip_bomb_is_decoded_only_up_to_the_budget() -> None:
    bomb = gzip.compress(b"\0" * (256 * 1024 * 1024), 9)
    taken: list[int] = []
    assert _read(bomb, "gzip", 4096, taken) == b"\0" * 4096
    assert len(taken) == 1  # one 16 KiB chunk of some 250 KiB on the wire


def test_zlib_and_raw_deflate_are_both_read_as_deflate() -> None:
    text = "<title>页面不存在</title>".encode() * 10
    raw = zlib.compressobj(9, zlib.DEFLATED, -15)
    raw_body = raw.compress(text) + raw.flush()
    for body in (zlib.compress(text), raw_body):
        assert _read(body, "deflate", 64 * 1024, []) == text


def test_an_uncompressed_body_is_cut_at_the_budget() -> None:
    assert _read(b"x" * 100_000, "", 4096, []) == b"x" * 4096
    assert _read(b"x" * 100_000, "identity", 10, []) == b"x" * 10


@pytest.mark.parametrize("encoding", ["br", "zstd", "gzip, br", "compress"])
def test_encodings_not_asked_for_are_not_decoded(encoding: str) -> None:
    with pytest.raises(UnreadableEncoding):
        _read(b"\x1b\x03\x00", encoding, 4096, [])


def test_a_gzipped_not_found_page_is_read_as_a_soft_404(site, check, tmp_path: Path) -> None:
    results = check(tmp_path, [(site.url + "/gzip/soft404.html", "a")], site.url + "/")
    row = results[(site.url + "/gzip/soft404.html", "a")]
    assert (row["status"], row["reason"]) == ("broken", "soft404")


def test_a_gzip_bomb_page_is_judged_from_its_head_in_bounded_time(
        site, check, tmp_path: Path) -> None:
    started = time.monotonic()
    results = check(tmp_path, [(site.url + "/gzip/bomb.html", "a")], site.url + "/")
    assert results[(site.url + "/gzip/bomb.html", "a")]["status"] == "ok"
    assert time.monotonic() - started < 30


def test_an_image_in_an_encoding_not_asked_for_is_judged_on_its_status(
        site, check, tmp_path: Path) -> None:
    results = check(tmp_path, [(site.url + "/brotli/logo.png", "img")], site.url + "/")
    row = results[(site.url + "/brotli/logo.png", "img")]
    assert (row["status"], row["reason"], row["http_status"]) == ("ok", None, 200)


def test_a_name_resolving_to_a_private_address_is_not_requested(
        site, other_service, check, tmp_path: Path) -> None:
    # `localhost` is another host than the site's 127.0.0.1: only its DNS answer says
    # that it is the office's own machine.
    port = other_service.url.rsplit(":", 1)[1]
    by_name = f"http://localhost:{port}/secret.html"
    results = check(tmp_path, [(by_name, "a")], site.url + "/")
    assert (results[(by_name, "a")]["status"], results[(by_name, "a")]["reason"]) == (
        "unchecked", "private_target")
    assert other_service.log.of("/secret.html") == []


def test_a_redirect_to_a_name_resolving_to_a_private_address_is_not_followed(
        site, other_service, check, tmp_path: Path) -> None:
    from urllib.parse import quote

    port = other_service.url.rsplit(":", 1)[1]
    path = "/redirect/to?u=" + quote(f"http://localhost:{port}/by-name.html")
    results = check(tmp_path, [(site.url + path, "a")], site.url + "/")
    row = results[(site.url + path, "a")]
    assert (row["status"], row["reason"]) == ("unchecked", "private_target")
    assert other_service.log.of("/by-name.html") == []
