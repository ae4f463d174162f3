"""When a report file says it was written: the same day in its DOCX and XLSX properties."""

from __future__ import annotations

from datetime import datetime, time

from monitor.calendar import LOCAL_ZONE
from monitor.rules.periods import Period
from reports.model import MonthlyReport, QuarterlyReport


def written_at(report: MonthlyReport | QuarterlyReport) -> datetime:
    """The file's creation time: the start of the report's issue day in Asia/Shanghai.

    The issue day comes from the clock the report was made with (MONITOR_NOW in tests and
    replays), so a replayed report carries its own day and the same inputs give the same
    file; a report without one is dated by the end of its period.
    """
    if report.issued_on is not None:
        day = report.issued_on
    elif isinstance(report, MonthlyReport):
        day = Period.month(report.year, report.month).end
    else:
        day = report.ytd_last_day
    return datetime.combine(day, time(0), LOCAL_ZONE)
