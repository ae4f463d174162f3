"""Decisions of the link checker's middleware and extension."""

from crawler.middlewares.early_stop import should_stop
from crawler.middlewares.retry_after import seconds_to_wait


def test_a_request_waits_for_the_later_of_its_backoff_and_its_host_pause() -> None:
    assert seconds_to_wait(100.0, None, None) == 0.0
    assert seconds_to_wait(100.0, 101.5, None) == 1.5
    assert seconds_to_wait(100.0, 101.0, 103.0) == 3.0
    assert seconds_to_wait(100.0, 99.0, None) == 0.0


def test_a_download_stops_once_the_byte_budget_is_read() -> None:
    assert not should_stop(100, None)
    assert not should_stop(100, 4096)
    assert should_stop(4096, 4096)
