"""Files that ship inside the packages: the default templates and expression dictionary
(`monitor/defaults/`), the migrations (`storage/alembic/`), the dashboard's templates and
vendored scripts, the report's HTML template.

They are found through `importlib.resources`, never relative to a checkout, so an installed
wheel works wherever it runs. Jinja2, Starlette and Alembic want real directories, which an
ordinary (unpacked) installation gives.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

from monitor.errors import MonitorError


class ResourceMissingError(MonitorError):
    """Raised when a packaged directory is not on the file system (a zipped installation)."""


def package_dir(package: str, *parts: str) -> Path:
    """The directory `parts` inside the installed `package`."""
    found = files(package).joinpath(*parts)
    if not isinstance(found, Path) or not found.is_dir():
        where = "/".join((package.replace(".", "/"), *parts))
        raise ResourceMissingError(
            f"the installed package has no directory {where}; install portal-monitor unpacked"
            " (pip install), not as a zip")
    return found


def defaults_dir() -> Path:
    """The shipped defaults: `templates/` and `expressions.yaml`."""
    return package_dir("monitor.defaults")
