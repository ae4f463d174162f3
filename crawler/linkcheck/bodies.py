"""Reading at most a few kilobytes of a response body, however it is encoded.

The checker asks for `gzip`, `deflate` or no encoding at all and decodes itself, with the
decoded size bounded: a 1 KiB gzip bomb that inflates to gigabytes yields its first
`budget` bytes and no more. An encoding it did not ask for (brotli, zstd, …) is not
decoded: the body is then unreadable and the answer is judged on its status alone.
"""

from __future__ import annotations

import zlib
from collections.abc import AsyncIterator

# What the checker asks servers for; anything else is not decoded.
ACCEPT_ENCODING = "gzip, deflate"
# Compressed bytes read for a `budget` of decoded ones before the read is given up (a
# stream that yields nothing, like a run of empty deflate blocks, must end too).
RAW_READ_FACTOR = 4
RAW_READ_FLOOR = 64 * 1024


class UnreadableEncoding(Exception):
    """The body uses a content encoding the checker does not decode."""


class _Identity:
    def decode(self, data: bytes, limit: int) -> bytes:
        return data[:limit]


class _Inflate:
    """gzip or zlib/raw deflate; `deflate` is zlib-wrapped by the RFC, raw by some
    servers, so a failed zlib header is retried as raw deflate."""

    def __init__(self, encoding: str):
        self._gzip = encoding in ("gzip", "x-gzip")
        self._inflater = zlib.decompressobj(31 if self._gzip else 15)
        self._started = False

    def decode(self, data: bytes, limit: int) -> bytes:
        try:
            out = self._inflater.decompress(data, limit)
        except zlib.error:
            if self._gzip or self._started:
                raise
            self._inflater = zlib.decompressobj(-15)
            out = self._inflater.decompress(data, limit)
        self._started = True
        return out


def decoder_for(content_encoding: str) -> _Identity | _Inflate:
    names = [name.strip().lower() for name in content_encoding.split(",") if name.strip()]
    names = [name for name in names if name != "identity"]
    if not names:
        return _Identity()
    if len(names) == 1 and names[0] in ("gzip", "x-gzip", "deflate"):
        return _Inflate(names[0])
    raise UnreadableEncoding(content_encoding)


async def read_prefix(chunks: AsyncIterator[bytes], content_encoding: str, budget: int) -> bytes:
    """The first `budget` decoded bytes of the body whose raw chunks `chunks` yields.
    Raises UnreadableEncoding; a body that stops decoding part-way yields what was read."""
    decoder = decoder_for(content_encoding)
    raw_limit = max(RAW_READ_FLOOR, budget * RAW_READ_FACTOR)
    out = bytearray()
    raw_read = 0
    async for chunk in chunks:
        raw_read += len(chunk)
        try:
            out += decoder.decode(chunk, budget - len(out))
        except zlib.error:
            break
        if len(out) >= budget or raw_read >= raw_limit:
            break
    return bytes(out[:budget])
