from __future__ import annotations

from datetime import timedelta

from monitor.alerts.outbox import retry_delay


def test_retry_delay_doubles_from_five_minutes_up_to_six_hours() -> None:
    assert [retry_delay(n) for n in (1, 2, 3)] == [timedelta(minutes=5), timedelta(minutes=10),
                                                   timedelta(minutes=20)]
    assert retry_delay(12) == timedelta(hours=6)
