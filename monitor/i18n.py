"""The language people read (SPEC §9): gettext catalogues compiled by Babel.

Every text a person reads goes through `_` (or `ngettext`); texts declared at module level
are marked with `N_` and translated where they are shown. Source texts are written in the
language of their surroundings — the office's Chinese in reports and alerts, English in
older command-line code — and each catalogue supplies the other language, so a text reads
the same in the source and in its own catalogue. `tests/monitor/test_i18n.py` checks that
every extracted text is Chinese or translated in `zh_CN`, and English or translated in `en`.

The catalogue is chosen once per process from `MONITOR_LANG` (read by `monitor.settings`);
`activate` switches it (the tests do). `make messages` re-extracts and recompiles.
"""

from __future__ import annotations

import gettext as _gettext
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

DOMAIN = "monitor"
LOCALE_DIR = Path(__file__).with_name("locale")

_active: _gettext.NullTranslations | None = None
_active_language: str | None = None


def activate(language: str) -> None:
    """Translate into `language` (a catalogue name: `zh_CN` or `en`) from now on."""
    global _active, _active_language
    _active = _gettext.translation(DOMAIN, localedir=LOCALE_DIR, languages=[language],
                                   fallback=True)
    _active_language = language


@contextmanager
def speaking(language: str) -> Iterator[None]:
    """Texts in `language` within the block, then the language active before (one process
    reading both languages: the tests)."""
    before = active_language()
    activate(language)
    try:
        yield
    finally:
        activate(before)


def active_language() -> str:
    _translations()
    assert _active_language is not None
    return _active_language


def _translations() -> _gettext.NullTranslations:
    if _active is None:
        # Imported here: only the first translated text of a process needs the environment.
        from monitor.settings import language_from_environ

        activate(language_from_environ())
    assert _active is not None
    return _active


def gettext(message: str) -> str:
    """`message` in the active language."""
    return _translations().gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The singular or plural form of a text with a count, in the active language."""
    return _translations().ngettext(singular, plural, n)


def pgettext(context: str, message: str) -> str:
    """`message` in the active language, told apart from the same text elsewhere by `context`."""
    return _translations().pgettext(context, message)


def N_(message: str) -> str:
    """Mark a module-level text for extraction; it is translated where it is shown."""
    return message


_ = gettext
