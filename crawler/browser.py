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
# Chromium's own services (component and extension updates, sign-in and sync, safe
# browsing, metrics, network time) live under these domains. A trace of Debian's build
# showed it looking up update.googleapis.com and accounts.google.com in spite of the
# flags below, so inside the browser these names resolve to nothing: no lookup, no
# connection leaves the machine for them, whatever a Chromium build does with the flags.
VENDOR_SERVICE_DOMAINS = ("google.com", "googleapis.com", "gvt1.com", "gvt2.com",
                          "gstatic.com", "googleusercontent.com", "google-analytics.com",
                          "doubleclick.net", "chromium.org")
HOST_RESOLVER_RULES = ", ".join(
    f"MAP {pattern} ~NOTFOUND" for domain in VENDOR_SERVICE_DOMAINS
    for pattern in (domain, f"*.{domain}"))
# The flags a headless Chromium needs on a locked-down server: no sandbox when run as
# root, and none of the background traffic a closed network refuses — the browser is to
# contact the pages it is sent to and nothing else.
LAUNCH_ARGS = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--no-default-browser-check",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-component-extensions-with-background-pages",
    "--disable-extensions",
    "--disable-default-apps",
    "--disable-sync",
    "--disable-client-side-phishing-detection",
    "--safebrowsing-disable-auto-update",
    "--disable-domain-reliability",
    "--disable-breakpad",
    "--metrics-recording-only",
    "--no-pings",
    "--dns-prefetch-disable",
    "--disable-dev-shm-usage",
    f"--host-resolver-rules={HOST_RESOLVER_RULES}",
)


def launch_args(guard_port: int | None = None, netlog: Path | None = None) -> list[str]:
    """The launch flags. `guard_port`: the SSRF guard proxy (`crawler.browser_guard`)
    every request goes through, loopback included (`<-loopback>` removes Chromium's
    implicit bypass of 127.0.0.0/8 and [::1]). `netlog`: Chromium also writes its network
    log there (every name it looks up, every connection it opens), for an audit."""
    extra = []
    if guard_port is not None:
        extra += [f"--proxy-server=http://127.0.0.1:{guard_port}",
                  "--proxy-bypass-list=<-loopback>"]
    if netlog is not None:
        extra += [f"--log-net-log={netlog}", "--net-log-capture-mode=Default"]
    return [*LAUNCH_ARGS, *extra]

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
