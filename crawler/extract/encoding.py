"""Decoding a response body the way a browser would, with one deliberate exception.

Order (WHATWG "encoding sniffing"): a byte-order mark, then the charset of the HTTP
Content-Type header, then a `<meta charset>` / `<meta http-equiv="Content-Type">` in the
first 4096 bytes, then sniffing (valid UTF-8, else GB18030). GBK, GB2312 and their
aliases are read as GB18030, their superset, exactly as browsers do; ISO-8859-1 and
ASCII labels are read as windows-1252.

The exception, because an officer reads titles, and a title in mojibake is a wrong
record: when the header and the meta tag disagree, the header is used unless its
decoding is garbage and the meta charset decodes the bytes cleanly. "Garbage" means:
  * strict decoding with the header's charset fails (bytes invalid in that encoding), or
  * the header names a single-byte charset (windows-1252) while the body holds non-ASCII
    bytes that the meta's multi-byte charset decodes strictly, or
  * the meta says UTF-8 and the body is valid UTF-8 with non-ASCII bytes (valid
    multi-byte UTF-8 practically never occurs by accident in GBK or Latin text, while
    GB18030 decodes most UTF-8 byte runs "successfully" into nonsense).
If neither decodes cleanly the header wins, with U+FFFD for the bad bytes (what a
browser shows). Without any meta, a header whose decoding fails is replaced by UTF-8 when
the body is valid UTF-8, for the same reason.
"""

from __future__ import annotations

import codecs
import re
from typing import NamedTuple

_BOMS = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# Labels browsers map to a superset (WHATWG Encoding Standard).
_ALIASES = {
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "x-gbk": "gb18030",
    "gb_2312-80": "gb18030",
    "cp936": "gb18030",
    "ms936": "gb18030",
    "windows-936": "gb18030",
    "chinese": "gb18030",
    "iso-8859-1": "windows-1252",
    "latin1": "windows-1252",
    "latin-1": "windows-1252",
    "us-ascii": "windows-1252",
    "ascii": "windows-1252",
    "utf8": "utf-8",
    "big5": "big5hkscs",
}
_SINGLE_BYTE = {"windows-1252", "cp1252"}
_PRESCAN_BYTES = 4096
_HEADER_CHARSET = re.compile(r"charset\s*=\s*[\"']?([\w.:-]+)", re.IGNORECASE)
_META_CHARSET = re.compile(
    rb"<meta[^>]+?charset\s*=\s*[\"']?\s*([\w.:-]+)", re.IGNORECASE | re.DOTALL
)


class DecodedText(NamedTuple):
    text: str
    encoding: str


def decode_html(body: bytes, content_type: str | None = None) -> DecodedText:
    """The text of an HTML body and the Python codec name used to read it."""
    for bom, encoding in _BOMS:
        if body.startswith(bom):
            return DecodedText(body[len(bom) :].decode(encoding, errors="replace"), encoding)
    header = charset_from_content_type(content_type)
    meta = charset_from_meta(body)
    if header is not None:
        return _decode_declared(body, header, meta)
    if meta is not None:
        return _decode_declared(body, meta, None)
    return _sniff(body)


def charset_from_content_type(content_type: str | None) -> str | None:
    """The codec named by a Content-Type header value, or None when absent or unknown."""
    if not content_type:
        return None
    match = _HEADER_CHARSET.search(content_type)
    return normalize_charset(match.group(1)) if match else None


def charset_from_meta(body: bytes) -> str | None:
    """The codec named by the first meta charset declaration in the first 4096 bytes."""
    match = _META_CHARSET.search(body[:_PRESCAN_BYTES])
    if match is None:
        return None
    return normalize_charset(match.group(1).decode("ascii", errors="ignore"))


def normalize_charset(label: str) -> str | None:
    """The Python codec for a charset label, with browser aliases; None when unknown."""
    name = label.strip().strip("\"'").lower()
    name = _ALIASES.get(name, name)
    try:
        codec = codecs.lookup(name).name
    except LookupError:
        return None
    # A page cannot really be UTF-16 when its declaration was readable as ASCII.
    if codec.startswith("utf-16"):
        return "utf-8"
    return _ALIASES.get(codec, codec)


def _decode_declared(body: bytes, declared: str, meta: str | None) -> DecodedText:
    text = _strict(body, declared)
    if meta is not None and meta != declared and _header_is_garbage(body, declared, text, meta):
        meta_text = _strict(body, meta)
        if meta_text is not None:
            return DecodedText(meta_text, meta)
    if text is not None:
        return DecodedText(text, declared)
    if meta is None and declared != "utf-8":
        utf8 = _strict(body, "utf-8")
        if utf8 is not None:
            return DecodedText(utf8, "utf-8")
    return DecodedText(body.decode(declared, errors="replace"), declared)


def _header_is_garbage(body: bytes, declared: str, text: str | None, meta: str) -> bool:
    if text is None:
        return True
    if body.isascii():
        return False
    if declared in _SINGLE_BYTE and meta not in _SINGLE_BYTE:
        return True
    return meta == "utf-8" and _strict(body, "utf-8") is not None


def _sniff(body: bytes) -> DecodedText:
    utf8 = _strict(body, "utf-8")
    if utf8 is not None:
        return DecodedText(utf8, "utf-8")
    # Chinese government pages without any declaration are, in practice, GBK.
    return DecodedText(body.decode("gb18030", errors="replace"), "gb18030")


def _strict(body: bytes, encoding: str) -> str | None:
    try:
        return body.decode(encoding)
    except UnicodeDecodeError:
        return None
