"""The config tests read the loader's messages in English (MONITOR_LANG=en), the language
they were written in; tests/cli/test_language.py reads a config error in the office's
Chinese, the default."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from monitor.i18n import speaking


@pytest.fixture(autouse=True)
def english_messages() -> Iterator[None]:
    with speaking("en"):
        yield
