"""Whether a response body is an image, from its first bytes (SPEC §4.5: an image whose
body is not an image is broken). The magic bytes decide, because portals often serve real
images as `application/octet-stream` and missing ones as an HTML page with `image/jpeg`."""

from __future__ import annotations

import re

# How many leading bytes every check below needs; the spider reads no more for images.
IMAGE_SNIFF_BYTES = 4096

_MAGIC_PREFIXES: tuple[bytes, ...] = (
    b"\x89PNG\r\n\x1a\n",  # PNG
    b"\xff\xd8\xff",  # JPEG
    b"GIF87a",
    b"GIF89a",
    b"BM",  # BMP
    b"\x00\x00\x01\x00",  # ICO
    b"\x00\x00\x02\x00",  # CUR (served as favicon by some portals)
    b"II*\x00",  # TIFF, little-endian
    b"MM\x00*",  # TIFF, big-endian
)
_SVG_ROOT = re.compile(rb"<svg[\s>]", re.IGNORECASE)
_HTML_START = re.compile(rb"^\s*(<!doctype\s+html|<html|<head|<body|<script|<meta)", re.I)


def image_magic(body_prefix: bytes) -> bool:
    """Whether the bytes start like a raster image format browsers display."""
    if body_prefix.startswith(_MAGIC_PREFIXES):
        return True
    if body_prefix[:4] == b"RIFF" and body_prefix[8:12] == b"WEBP":
        return True
    # ISO-BMFF images: AVIF and HEIC carry their brand after 'ftyp'.
    return body_prefix[4:8] == b"ftyp" and body_prefix[8:12] in (b"avif", b"avis", b"heic")


def looks_like_svg(content_type: str, body_prefix: bytes) -> bool:
    head = body_prefix.lstrip(b"\xef\xbb\xbf").lstrip()
    if _HTML_START.match(head):
        return False
    if "svg" in content_type.lower():
        return bool(_SVG_ROOT.search(head)) or head.startswith(b"<?xml")
    return bool(_SVG_ROOT.search(head)) and head.startswith((b"<?xml", b"<svg", b"<!--"))


def looks_like_image(content_type: str, body_prefix: bytes) -> bool:
    """True when the body is an image. An `image/*` body in a format not listed here is
    accepted unless it is plainly HTML: calling a real image dead is the worse mistake."""
    if image_magic(body_prefix) or looks_like_svg(content_type, body_prefix):
        return True
    declared_image = content_type.lower().strip().startswith("image/")
    return declared_image and not _HTML_START.match(body_prefix.lstrip(b"\xef\xbb\xbf"))
