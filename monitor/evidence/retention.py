"""Which evidence to delete (by age, then by total size), never that of an open problem.

Evidence of an open problem is what the office may still have to show; of fixed and ignored
problems, the oldest goes first.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from monitor.domain import ProblemState


@dataclass(frozen=True)
class StoredEvidence:
    id: int
    problem_state: ProblemState
    captured_at: datetime
    size: int


@dataclass(frozen=True)
class RetentionLimits:
    keep: timedelta
    max_total_bytes: int


def evidence_to_delete(items: Sequence[StoredEvidence], limits: RetentionLimits,
                       now: datetime) -> list[int]:
    """Ids to delete, oldest first: every deletable item older than `limits.keep`, then
    more of the oldest deletable items until the total fits `limits.max_total_bytes`."""
    deletable = sorted((item for item in items if item.problem_state is not ProblemState.OPEN),
                       key=lambda item: (item.captured_at, item.id))
    total = sum(item.size for item in items)
    doomed: list[int] = []
    for item in deletable:
        if item.captured_at < now - limits.keep or total > limits.max_total_bytes:
            doomed.append(item.id)
            total -= item.size
    return doomed
