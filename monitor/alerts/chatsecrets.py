"""Keeping chat tokens out of everything people read: logs, errors, the outbox.

The config names a token as ${NAME}; only the sending process knows its value. Whatever
might quote the expanded URL — an HTTP library's request log, apprise's error lines, a
server's error message — passes through `Secrets.mask` first.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from urllib.parse import quote, quote_plus

from monitor.config.models import variables_of
from monitor.settings import Environment

MASK = "***"
# Loggers of the libraries that see the expanded URL (their records are masked before any
# handler, theirs or the root's, formats them).
_LIBRARY_LOGGERS = ("httpx", "httpcore", "apprise")


@dataclass(frozen=True)
class Secrets:
    values: tuple[str, ...]

    @classmethod
    def of(cls, channel: str, environment: Environment) -> Secrets:
        """The values of the variables `channel` names, as written and URL-encoded."""
        found: set[str] = set()
        for name in variables_of(channel):
            value = environment.secret(name)
            if value:
                found |= {value, quote(value, safe=""), quote_plus(value, safe="")}
        # Longest first: a value that contains another is masked whole.
        return cls(tuple(sorted(found, key=len, reverse=True)))

    def mask(self, text: str) -> str:
        for value in self.values:
            text = text.replace(value, MASK)
        return text


class _MaskingFilter(logging.Filter):
    def __init__(self, secrets: Secrets) -> None:
        super().__init__()
        self._secrets = secrets

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = self._secrets.mask(message)
        if masked != message:
            record.msg, record.args = masked, None
        if record.exc_info:
            # A traceback may quote the URL: formatted now, masked, and kept as text only.
            text = logging.Formatter().formatException(record.exc_info)
            record.exc_text, record.exc_info = self._secrets.mask(text), None
        return True


@contextmanager
def masked_logs(secrets: Secrets) -> Iterator[None]:
    """While a message is posted: every log record the libraries write, and every record
    reaching the root logger's handlers, has the secrets replaced by ***."""
    masking = _MaskingFilter(secrets)
    targets: list[logging.Filterer] = [logging.getLogger(name) for name in _LIBRARY_LOGGERS]
    targets += logging.getLogger().handlers
    for target in targets:
        target.addFilter(masking)
    try:
        yield
    finally:
        for target in targets:
            target.removeFilter(masking)
