"""The project's Scrapy egg, as scrapyd runs it (`crawl.backend: scrapyd`).

scrapyd runs a job from an egg uploaded to it (`addversion.json`): a zip of the packages
with an `EGG-INFO/` whose `scrapy` entry point names the settings module. It is built here
from the installed packages themselves (not from a checkout's setup files, which an
installed wheel has none of): `crawler`, `monitor` and `storage` with their packaged data,
every file as installed, bytecode left out. The job's third-party libraries (Scrapy,
SQLAlchemy …) come from the scrapyd machine's environment, as with any scrapyd project.

The egg is built the same way every time (sorted entries, fixed timestamps), so its digest
names its version: an unchanged installation uploads nothing again.
"""

from __future__ import annotations

import hashlib
import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from importlib.resources import files
from importlib.resources.abc import Traversable

from monitor import __version__

# What a crawl job imports: the spider and its reading (crawler), the config, rules and
# crawl facts (monitor), the database (storage).
EGG_PACKAGES = ("crawler", "monitor", "storage")
# The Scrapy settings module the egg's entry point names (SPIDER_MODULES is in it).
SETTINGS_MODULE = "crawler.settings"
# Every project of one scrapyd is a directory of eggs; one is enough for every portal.
SCRAPYD_PROJECT = "portal-monitor"

_SKIPPED = re.compile(r"(^|/)__pycache__(/|$)|\.py[co]$")
# A zip entry's date must be 1980 or later; a fixed one keeps the bytes reproducible.
_ENTRY_TIME = (1980, 1, 1, 0, 0, 0)


@dataclass(frozen=True)
class ProjectEgg:
    version: str
    content: bytes


def build_egg() -> ProjectEgg:
    entries = sorted(_package_files())
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as egg:
        for name, data in [*entries, *_egg_info()]:
            info = zipfile.ZipInfo(name, _ENTRY_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            egg.writestr(info, data)
    content = buffer.getvalue()
    return ProjectEgg(egg_version(__version__, content), content)


def egg_version(release: str, content: bytes) -> str:
    """The release and the egg's digest, in the characters scrapyd keeps in a version
    (it renames every other one to `_` when it stores the egg, and lists that name)."""
    digest = hashlib.sha256(content).hexdigest()[:16]
    return re.sub(r"[^A-Za-z0-9_-]", "_", f"{release}-{digest}")


def _package_files() -> Iterator[tuple[str, bytes]]:
    for package in EGG_PACKAGES:
        for name, entry in _walk(files(package), package):
            if not _SKIPPED.search(name):
                yield name, entry.read_bytes()


def _walk(directory: Traversable, prefix: str) -> Iterator[tuple[str, Traversable]]:
    for entry in directory.iterdir():
        name = f"{prefix}/{entry.name}"
        if entry.is_dir():
            yield from _walk(entry, name)
        else:
            yield name, entry


def _egg_info() -> list[tuple[str, bytes]]:
    return [
        ("EGG-INFO/PKG-INFO",
         f"Metadata-Version: 2.1\nName: portal-monitor\nVersion: {__version__}\n".encode()),
        ("EGG-INFO/entry_points.txt", f"[scrapy]\nsettings = {SETTINGS_MODULE}\n".encode()),
        ("EGG-INFO/top_level.txt", "".join(f"{name}\n" for name in EGG_PACKAGES).encode()),
    ]
