"""Whether chat channels can be used here: apprise is the optional `chat` extra, needed
for every scheme but 钉钉 and 企业微信 group robots, which the monitor posts to itself.

Kept apart from the sending code so `monitor config check` can say what is missing without
importing apprise itself.
"""

from __future__ import annotations

import importlib.util

from monitor.alerts.chattext import DINGTALK, WECOMBOT, vendor_of
from monitor.config import PortalConfig
from monitor.errors import AlertError
from monitor.i18n import N_, _
from monitor.settings import Environment

MISSING_APPRISE = N_("chat URLs are configured but apprise is not installed: install the chat "
                   "extra (pip install 'portal-monitor[chat]')")


def apprise_installed() -> bool:
    try:
        return importlib.util.find_spec("apprise") is not None
    except (ImportError, ValueError):
        return False


# Posted by the monitor itself (monitor.alerts.chatpost), without apprise.
OWN_SCHEMES = (DINGTALK, WECOMBOT)


def apprise_urls(config: PortalConfig) -> list[str]:
    """The chat URLs only apprise can post to (飞书, json:// …)."""
    return [url for url in config.chat_urls() if vendor_of(url) not in OWN_SCHEMES]


def require_apprise(config: PortalConfig) -> None:
    """One clear error when chat URLs need apprise and the extra is missing."""
    if apprise_urls(config) and not apprise_installed():
        raise AlertError(_(MISSING_APPRISE))


def unset_variables(config: PortalConfig, environment: Environment) -> list[str]:
    """The environment variables the chat URLs name that are not set (names only)."""
    names = [name for url in config.chat_urls() for name in environment.missing(url)]
    return list(dict.fromkeys(names))
