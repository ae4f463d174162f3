"""Retention of evidence: by age, then by total size, oldest first, never of an open problem."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from monitor.domain import ProblemState
from monitor.evidence.retention import RetentionLimits, StoredEvidence, evidence_to_delete

NOW = datetime(2024, 5, 10, 1, 0, tzinfo=UTC)
OPEN, FIXED, IGNORED = ProblemState.OPEN, ProblemState.FIXED, ProblemState.IGNORED


def item(evidence_id: int, state: ProblemState, days_ago: int, size: int = 100) -> StoredEvidence:
    return StoredEvidence(evidence_id, state, NOW - timedelta(days=days_ago), size)


def test_over_the_size_limit_the_oldest_evidence_of_fixed_problems_goes_first() -> None:
    items = [item(1, OPEN, 90), item(2, FIXED, 30), item(3, FIXED, 60), item(4, FIXED, 5)]
    limits = RetentionLimits(timedelta(days=365), max_total_bytes=250)
    assert evidence_to_delete(items, limits, NOW) == [3, 2]


def test_evidence_of_an_open_problem_is_kept_even_over_the_limit() -> None:
    items = [item(1, OPEN, 900), item(2, OPEN, 800), item(3, FIXED, 1)]
    limits = RetentionLimits(timedelta(days=30), max_total_bytes=10)
    assert evidence_to_delete(items, limits, NOW) == [3]


def test_evidence_older_than_the_keep_period_is_deleted_unless_its_problem_is_open() -> None:
    items = [item(1, OPEN, 400), item(2, IGNORED, 400), item(3, FIXED, 100)]
    limits = RetentionLimits(timedelta(days=365), max_total_bytes=10_000)
    assert evidence_to_delete(items, limits, NOW) == [2]


def test_nothing_is_deleted_within_both_limits() -> None:
    items = [item(1, FIXED, 10), item(2, FIXED, 20)]
    assert evidence_to_delete(items, RetentionLimits(timedelta(days=365), 200), NOW) == []
