"""Evidence in storage: the rows (which problem, when, where, or why none) and the folders.

Each capture is one folder under the evidence directory, named by the sha256 of its
manifest (`ab/abcdef…/`), which itself lists the sha256 of every other file: the folder's
name vouches for all of its content. A folder is written under a temporary name and renamed
into place, so a folder that exists is complete.
"""

from __future__ import annotations

import os
import shutil
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from monitor.calendar import local_date
from monitor.domain import EvidenceStatus, ProblemState, ProblemType
from monitor.evidence import ACCUSING_TYPES
from monitor.evidence.manifest import MANIFEST_NAME, sha256_hex
from monitor.evidence.retention import StoredEvidence
from monitor.problem_details import detail_text
from storage.models import Column, Evidence, Problem, ProblemEvent, Unit

# A problem whose page failed this many times since it was opened is not tried again
# until it is opened again: the failures and their reasons are recorded (无截图).
MAX_ATTEMPTS = 3


@dataclass(frozen=True)
class StoredItem:
    """A folder written under the evidence directory."""

    path: str  # relative to the evidence directory
    manifest_sha256: str
    size: int


def write_item(root: Path, files: Mapping[str, bytes], manifest: bytes) -> StoredItem:
    """Write one capture's files and its manifest under `root`, content-addressed."""
    digest = sha256_hex(manifest)
    relative = f"{digest[:2]}/{digest}"
    final = root / relative
    size = sum(len(data) for data in files.values()) + len(manifest)
    if final.is_dir():
        return StoredItem(relative, digest, size)
    staging = root / f".incoming-{uuid.uuid4().hex}"
    staging.mkdir(parents=True)
    for name, data in {**files, MANIFEST_NAME: manifest}.items():
        (staging / name).write_bytes(data)
    final.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.rename(staging, final)
    except OSError:
        # The same content arrived meanwhile (a folder's name is its content).
        shutil.rmtree(staging, ignore_errors=True)
        if not final.is_dir():
            raise
    return StoredItem(relative, digest, size)


def read_item(root: Path, relative: str) -> dict[str, bytes]:
    """Every file of a stored folder by name (empty when the folder is gone)."""
    folder = root / relative
    if not folder.is_dir():
        return {}
    return {path.name: path.read_bytes() for path in sorted(folder.iterdir()) if path.is_file()}


def delete_item(root: Path, relative: str) -> None:
    shutil.rmtree(root / relative, ignore_errors=True)


@dataclass(frozen=True)
class PendingProblem:
    """An open accusing problem that has no evidence since it was last opened."""

    id: int
    type: ProblemType
    unit: str | None
    column: str | None
    url: str
    target: str | None
    detail: str


def pending_problems(session: Session, site_id: int) -> list[PendingProblem]:
    """The portal's open accusing problems with a page and no capture since their last opening (the
    first finding or a reopening), that have not failed `MAX_ATTEMPTS` times since."""
    opened = (select(ProblemEvent.problem_id, func.max(ProblemEvent.at).label("at"))
              .where(ProblemEvent.state == ProblemState.OPEN)
              .group_by(ProblemEvent.problem_id).subquery())
    candidates = session.execute(
        select(Problem.id, Problem.type, Unit.name.label("unit"), Column.name.label("column"),
               Problem.url, Problem.target, Problem.detail, opened.c.at)
        .join(opened, opened.c.problem_id == Problem.id)
        .outerjoin(Unit, Unit.id == Problem.unit_id)
        .outerjoin(Column, Column.id == Problem.column_id)
        .where(Problem.site_id == site_id, Problem.state == ProblemState.OPEN,
               Problem.type.in_(list(ACCUSING_TYPES)), Problem.url.is_not(None))
        .order_by(Problem.id)
    ).all()
    attempts = _attempts(session, [row.id for row in candidates])
    pending = []
    for row in candidates:
        since = [(at, status) for at, status in attempts.get(row.id, []) if at >= row.at]
        if EvidenceStatus.CAPTURED in (status for _, status in since) \
                or len(since) >= MAX_ATTEMPTS:
            continue
        pending.append(PendingProblem(row.id, row.type, row.unit, row.column,
                                      row.url, row.target,
                                      detail_text(row.type, row.detail)))
    return pending


_IDS_PER_QUERY = 500


_Attempts = dict[int, list[tuple[datetime, EvidenceStatus]]]


def _attempts(session: Session, problem_ids: list[int]) -> _Attempts:
    found: _Attempts = {}
    for start in range(0, len(problem_ids), _IDS_PER_QUERY):
        chunk = problem_ids[start:start + _IDS_PER_QUERY]
        for problem_id, at, status in session.execute(
                select(Evidence.problem_id, Evidence.captured_at, Evidence.status)
                .where(Evidence.problem_id.in_(chunk),
                       Evidence.status.in_((EvidenceStatus.CAPTURED, EvidenceStatus.FAILED)))):
            found.setdefault(problem_id, []).append((at, status))
    return found


def record_captured(session: Session, problem_id: int, at: datetime, item: StoredItem) -> None:
    session.add(Evidence(problem_id=problem_id, captured_at=at, status=EvidenceStatus.CAPTURED,
                         path=item.path, manifest_sha256=item.manifest_sha256, size=item.size))


def record_failed(session: Session, problem_id: int, at: datetime, reason: str,
                  status: EvidenceStatus = EvidenceStatus.FAILED) -> None:
    """No screenshot (无截图), and why; `UNAVAILABLE` when the machine, not the page, failed."""
    session.add(Evidence(problem_id=problem_id, captured_at=at, status=status, reason=reason,
                         size=0))


@dataclass(frozen=True)
class EvidenceRecord:
    """The latest word on a problem's evidence: a folder, or why there is none."""

    problem_id: int
    status: EvidenceStatus
    captured_at: datetime
    path: str | None
    reason: str | None


def latest_evidence(session: Session, problem_ids: Iterable[int]) -> dict[int, EvidenceRecord]:
    """Per problem: its newest capture if it has one, else its newest failure or expiry."""
    ids = list(problem_ids)
    latest: dict[int, EvidenceRecord] = {}
    for start in range(0, len(ids), _IDS_PER_QUERY):
        chunk = ids[start:start + _IDS_PER_QUERY]
        rows = session.execute(
            select(Evidence.problem_id, Evidence.status, Evidence.captured_at, Evidence.path,
                   Evidence.reason, Evidence.id)
            .where(Evidence.problem_id.in_(chunk))
            .order_by(Evidence.captured_at, Evidence.id))
        for problem_id, status, at, path, reason, _ in rows:
            known = latest.get(problem_id)
            # A capture stands until a newer capture replaces it; a later failure (a retry
            # that timed out) does not hide it.
            if (known is None or status is EvidenceStatus.CAPTURED
                    or known.status is not EvidenceStatus.CAPTURED):
                latest[problem_id] = EvidenceRecord(problem_id, status, at, path, reason)
    return latest


def stored_evidence(session: Session, site_id: int) -> list[StoredEvidence]:
    """Every capture of the portal whose folder is kept, with its problem's state, for
    retention (each portal's config names its evidence directory and its rules)."""
    return [
        StoredEvidence(evidence_id, state, at, size or 0)
        for evidence_id, state, at, size in session.execute(
            select(Evidence.id, Problem.state, Evidence.captured_at, Evidence.size)
            .join(Problem, Problem.id == Evidence.problem_id)
            .where(Problem.site_id == site_id, Evidence.status == EvidenceStatus.CAPTURED))
    ]


def expire(session: Session, root: Path, evidence_ids: Iterable[int], at: datetime) -> int:
    """Delete the folders of these captures; their rows stay, marked expired, so the
    office can still tell that evidence existed and when it was removed."""
    count = 0
    for evidence in session.scalars(select(Evidence).where(Evidence.id.in_(list(evidence_ids)))):
        if evidence.path is not None and not _shared(session, evidence):
            delete_item(root, evidence.path)
        evidence.status = EvidenceStatus.EXPIRED
        evidence.reason = f"已按保留期限于{local_date(at).isoformat()}删除"
        evidence.path = None
        count += 1
    session.flush()
    return count


def _shared(session: Session, evidence: Evidence) -> bool:
    """Another kept capture points at the same folder (identical content)."""
    others = session.scalar(
        select(func.count()).select_from(Evidence)
        .where(Evidence.path == evidence.path, Evidence.id != evidence.id,
               Evidence.status == EvidenceStatus.CAPTURED))
    return bool(others)
