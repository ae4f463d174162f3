"""Days and periods as officers type them on the command line (`--as-of`, `--from`, `--to`).

A bad value is a user error with a one-line message (exit status 1), like every other
value the product reads.
"""

from __future__ import annotations

import re
from datetime import date

from monitor.errors import PeriodError
from monitor.i18n import _
from monitor.rules.periods import Period

_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")


def parse_day(text: str, option: str) -> date:
    """`2024-05-10` -> that day; anything else names the option and the expected form."""
    stripped = text.strip()
    if _DAY.fullmatch(stripped):
        try:
            return date.fromisoformat(stripped)
        except ValueError:
            pass  # right shape, impossible day (2024-02-30): the same message below
    raise PeriodError(_("{option}: '{text}' is not a date; expected YYYY-MM-DD, e.g. "
                        "2024-05-10").format(option=option, text=text))


def optional_day(text: str | None, option: str) -> date | None:
    return None if text is None else parse_day(text, option)


def requested_period(first: str | None, last: str | None) -> Period | None:
    """The period of `--from`/`--to`; None when neither is given. Both or neither."""
    if first is None and last is None:
        return None
    if first is None or last is None:
        raise PeriodError(_("--from and --to go together: give both, e.g. --from 2024-04-01 "
                            "--to 2024-04-30"))
    return Period(parse_day(first, "--from"), parse_day(last, "--to"))
