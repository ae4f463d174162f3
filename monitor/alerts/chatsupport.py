"""Whether chat channels can be used here: apprise is the optional `chat` extra.

Kept apart from the sending code so `monitor config check` can say what is missing without
importing apprise itself.
"""

from __future__ import annotations

import importlib.util

from monitor.config import PortalConfig
from monitor.errors import AlertError
from monitor.settings import Environment

MISSING_APPRISE = ("chat URLs are configured but apprise is not installed: install the chat "
                   "extra (pip install 'portal-monitor[chat]')")


def apprise_installed() -> bool:
    try:
        return importlib.util.find_spec("apprise") is not None
    except (ImportError, ValueError):
        return False


def require_apprise(config: PortalConfig) -> None:
    """One clear error when chat URLs are configured and the extra is missing."""
    if config.chat_urls() and not apprise_installed():
        raise AlertError(MISSING_APPRISE)


def unset_variables(config: PortalConfig, environment: Environment) -> list[str]:
    """The environment variables the chat URLs name that are not set (names only)."""
    names = [name for url in config.chat_urls() for name in environment.missing(url)]
    return list(dict.fromkeys(names))
