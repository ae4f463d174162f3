"""The process environment, read in exactly one place (SPEC §2).

`MONITOR_CONFIG` names the portal config, `MONITOR_DB` the database URL, `MONITOR_NOW`
overrides the current time (ISO 8601 with an offset) for tests, replays and back-fills;
`MONITOR_BROWSER` names a Chromium executable for browser-rendered columns;
`MONITOR_BROWSER_NETLOG` a file where a crawl's Chromium writes its network log (every
name it looks up, every connection it opens), to audit what the browser contacts;
`MONITOR_PASSWORD` gives `monitor users add` the new user's password (else it is read
from stdin); `MONITOR_LANG` picks the language people read (`zh`, the default, or `en`).
`COLUMNS`, when set, is the width tables are drawn to (as a terminal's own width is).
Secrets whose variable *names* come from the config (the SMTP password) are looked up
through `Environment.secret`, and the `${NAME}` references of chat URLs are filled in by
`Environment.expand`, so nothing else in the product touches `os.environ`.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from monitor.errors import EnvironmentSettingError

DEFAULT_DB_URL = "sqlite:///var/monitor.db"
_REFERENCE = re.compile(r"\$\{([A-Z_][A-Z0-9_]*)\}")


@dataclass(frozen=True)
class Environment:
    config_path: Path | None = None
    db_url: str | None = None
    now: datetime | None = None
    # A Chromium executable for browser-rendered columns when the config says `auto`.
    browser_path: Path | None = None
    # Where the crawl's Chromium writes its network log (an audit of what it contacts).
    browser_netlog: Path | None = None
    # The password of the dashboard user `monitor users add` creates.
    password: str | None = field(default=None, repr=False)
    # The language of everything a person reads (SPEC §9): a gettext catalogue name.
    language: str = "zh_CN"
    _secrets: Mapping[str, str] = field(default_factory=dict, repr=False)

    @classmethod
    def from_environ(cls, environ: Mapping[str, str] | None = None) -> Environment:
        env = os.environ if environ is None else environ
        config = env.get("MONITOR_CONFIG") or None
        return cls(
            config_path=Path(config) if config else None,
            db_url=env.get("MONITOR_DB") or None,
            now=parse_now(env["MONITOR_NOW"]) if env.get("MONITOR_NOW") else None,
            browser_path=Path(env["MONITOR_BROWSER"]) if env.get("MONITOR_BROWSER") else None,
            browser_netlog=(Path(env["MONITOR_BROWSER_NETLOG"])
                            if env.get("MONITOR_BROWSER_NETLOG") else None),
            password=env.get("MONITOR_PASSWORD") or None,
            language=parse_language(env.get("MONITOR_LANG") or ""),
            _secrets=dict(env),
        )

    def secret(self, name: str) -> str | None:
        """The value of the environment variable `name` (named by the config)."""
        return self._secrets.get(name)

    def missing(self, template: str) -> list[str]:
        """The variables `template` names (`${NAME}`) that are not set, or set empty."""
        return [name for name in _REFERENCE.findall(template) if not self._secrets.get(name)]

    def expand(self, template: str) -> str:
        """`template` with each `${NAME}` replaced by the variable's value. The error names
        the variables, never a value."""
        missing = self.missing(template)
        if missing:
            raise EnvironmentSettingError(
                f"{', '.join(dict.fromkeys(missing))}: not set in the environment "
                "(named by a chat URL of the config)")
        return _REFERENCE.sub(lambda match: self._secrets[match[1]], template)


# MONITOR_LANG's accepted spellings, by the catalogue they select.
LANGUAGES = {"zh": "zh_CN", "en": "en"}


def parse_language(value: str) -> str:
    """The catalogue for a MONITOR_LANG value (`zh`, `zh_CN`, `en`, `en_US.UTF-8` …)."""
    if not value.strip():
        return LANGUAGES["zh"]
    prefix = value.strip().lower().replace("-", "_").split("_")[0].split(".")[0]
    if prefix not in LANGUAGES:
        raise EnvironmentSettingError(
            f"MONITOR_LANG: '{value}' is not a supported language (zh or en)"
        )
    return LANGUAGES[prefix]


def language_from_environ(environ: Mapping[str, str] | None = None) -> str:
    """MONITOR_LANG's catalogue, or the default when it is unset or unsupported.

    Texts are translated from the first import on, before any command can report a bad
    value cleanly; `Environment.from_environ` refuses the bad value when the command starts.
    """
    env = os.environ if environ is None else environ
    try:
        return parse_language(env.get("MONITOR_LANG") or "")
    except EnvironmentSettingError:
        return LANGUAGES["zh"]


def parse_now(value: str) -> datetime:
    """Parse a MONITOR_NOW value; an offset is required so the instant is unambiguous."""
    try:
        parsed = datetime.fromisoformat(value.strip())
    except ValueError:
        raise EnvironmentSettingError(
            f"MONITOR_NOW: '{value}' is not an ISO 8601 time "
            "(expected e.g. 2024-05-10T09:00:00+08:00)"
        ) from None
    if parsed.tzinfo is None:
        raise EnvironmentSettingError(
            f"MONITOR_NOW: '{value}' has no UTC offset (write e.g. 2024-05-10T09:00:00+08:00)"
        )
    return parsed


def requested_columns(environ: Mapping[str, str] | None = None) -> int | None:
    """The terminal width `COLUMNS` asks for, if it is set to a number."""
    value = (os.environ if environ is None else environ).get("COLUMNS", "").strip()
    return int(value) if value.isdigit() and int(value) > 0 else None


def child_environment(db_url: str) -> dict[str, str]:
    """This process's environment for a child `monitor` process, with `db_url` as its
    MONITOR_DB: in the environment rather than on the child's command line, where every
    local user could read a password in it."""
    return {**os.environ, "MONITOR_DB": db_url}
