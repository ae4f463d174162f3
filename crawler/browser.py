"""Finding a Chromium for columns whose list is drawn by JavaScript (SPEC §2 crawl.browser).

`auto` looks, in order, at MONITOR_BROWSER, Debian's /usr/bin/chromium (and the usual
other system names), then the browser `playwright install chromium` downloads.
"""

from __future__ import annotations

import glob
import shutil
from pathlib import Path

SYSTEM_NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
PLAYWRIGHT_GLOBS = (
    "~/.cache/ms-playwright/chromium-*/chrome-linux*/chrome",
    "~/.cache/ms-playwright/chromium_headless_shell-*/chrome-linux*/headless_shell",
)
# The flags a headless Chromium needs on a locked-down server: no sandbox when run as
# root, and none of the background traffic a closed network refuses.
LAUNCH_ARGS = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)

INSTALL_HINT = (
    "install one with 'apt-get install chromium' or 'playwright install chromium', "
    "or set crawl.browser to its path"
)


def find_browser(setting: str, env_path: Path | None) -> str | None:
    """The Chromium executable to use, or None (`off`, or nothing found)."""
    if setting == "off":
        return None
    if setting != "auto":
        return setting
    if env_path is not None and env_path.is_file():
        return str(env_path)
    for name in SYSTEM_NAMES:
        found = shutil.which(name)
        if found:
            return found
    for pattern in PLAYWRIGHT_GLOBS:
        matches = sorted(glob.glob(str(Path(pattern).expanduser())))
        if matches:
            return matches[-1]
    return None
