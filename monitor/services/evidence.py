"""Evidence after each crawl (截图取证): capture the problems opened without it, keep the
files content-addressed, apply the retention rules; and read a problem's evidence back.

Run as a step of `monitor crawl` once the problems are refreshed, over every open accusing
problem that has no capture since it was (re)opened, so it does not matter which part of
the crawl opened it. A capture that fails leaves the problem as it is, marked 无截图 with
the reason; it never fails the crawl.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy.orm import Session

from crawler.browser import find_browser
from crawler.capture import (
    CaptureFailed,
    CaptureRequest,
    CaptureSettings,
    Highlight,
    capture_pages,
    require_cjk_font,
)
from crawler.politeness import user_agent
from monitor import __version__
from monitor.app import App
from monitor.config import PortalConfig
from monitor.domain import EvidenceStatus, ProblemType
from monitor.errors import (
    EvidenceDamagedError,
    EvidenceError,
    EvidenceFontMissing,
    UnknownProblemError,
)
from monitor.evidence import ACCUSING_TYPES
from monitor.evidence.banner import EvidenceSubject, banner_lines
from monitor.evidence.manifest import (
    FULL_PAGE_NAME,
    MANIFEST_NAME,
    PAGE_NAME,
    SCREENSHOT_NAME,
    build_manifest,
    manifest_bytes,
    mismatched_files,
    sha256_hex,
)
from monitor.evidence.retention import RetentionLimits, evidence_to_delete
from monitor.i18n import N_, _
from monitor.labels import problem_label
from monitor.problem_types import kind_of
from storage import evidence_store
from storage.evidence_store import EvidenceRecord, PendingProblem
from storage.models import Problem
from storage.queries import site_id_of

_HIGHLIGHTS: dict[ProblemType, Highlight] = {
    ProblemType.BROKEN_LINK: "link",
    ProblemType.BROKEN_ATTACHMENT: "link",
    ProblemType.DEAD_IMAGE: "image",
    ProblemType.HIDDEN_LINK: "hidden",
}
NO_SCREENSHOT = N_("无截图")
NO_BROWSER = "未找到 Chromium 浏览器（见 crawl.browser）"


@dataclass(frozen=True)
class EvidenceRun:
    captured: int
    failed: int
    reasons: tuple[str, ...]
    expired: int


def evidence_root(config: PortalConfig) -> Path:
    return Path(config.evidence.directory)


def capture_evidence(app: App) -> EvidenceRun:
    """Capture what is pending, then apply the retention rules."""
    config = app.config
    if not config.evidence.enabled:
        return EvidenceRun(0, 0, (), 0)
    with app.sessions() as session:
        site_id = site_id_of(session, config.site.url)
        # A portal never recorded has no problem to capture.
        pending = [] if site_id is None else evidence_store.pending_problems(session, site_id)
    captured = failed = 0
    reasons: list[str] = []
    if pending:
        captured, failed, reasons = _capture_and_store(app, pending)
    expired = apply_retention(app)
    return EvidenceRun(captured, failed, tuple(dict.fromkeys(reasons)), expired)


def _capture_and_store(app: App, pending: list[PendingProblem]) -> tuple[int, int, list[str]]:
    config = app.config
    root = evidence_root(config)
    at = app.clock.now()
    browser = find_browser(config.crawl.browser, app.environment.browser_path)
    unavailable = NO_BROWSER if browser is None else None
    if browser is not None:
        try:
            require_cjk_font()
        except EvidenceFontMissing as error:
            unavailable = str(error)
    if browser is None or unavailable is not None:
        with app.sessions.begin() as session:
            for problem in pending:
                evidence_store.record_failed(session, problem.id, at, unavailable or "",
                                             EvidenceStatus.UNAVAILABLE)
        return 0, len(pending), [unavailable or ""]
    subjects = {problem.id: _subject(problem) for problem in pending}
    requests = [_request(subjects[problem.id], problem, config.site.name, at)
                for problem in pending]
    results = capture_pages(requests, _settings(config, browser), app.clock.now)
    captured = failed = 0
    reasons: list[str] = []
    with app.sessions.begin() as session:
        for problem_id, result in results.items():
            if isinstance(result, CaptureFailed):
                evidence_store.record_failed(session, problem_id, at, result.reason)
                failed += 1
                reasons.append(result.reason)
                continue
            subject = subjects[problem_id]
            manifest = build_manifest(result.facts, result.files, __version__, {
                "id": subject.problem_id, "type": subject.type.value, "unit": subject.unit,
                "column": subject.column, "target": subject.target, "detail": subject.detail})
            item = evidence_store.write_item(root, result.files, manifest_bytes(manifest))
            evidence_store.record_captured(session, problem_id, at, item)
            captured += 1
    return captured, failed, reasons


def _subject(problem: PendingProblem) -> EvidenceSubject:
    return EvidenceSubject(problem.id, problem.type, problem.unit, problem.column,
                           problem.url, problem.target, problem.detail)


def _request(subject: EvidenceSubject, problem: PendingProblem, site_name: str,
             at: datetime) -> CaptureRequest:
    return CaptureRequest(
        key=problem.id, url=problem.url,
        banner=banner_lines(subject, site_name, at, __version__),
        target=problem.target, highlight=_HIGHLIGHTS.get(problem.type),
        element_label=kind_of(problem.type).element_label)


def _settings(config: PortalConfig, browser: str) -> CaptureSettings:
    evidence = config.evidence
    return CaptureSettings(site_url=config.site.url,
                           allow_private=config.crawl.allow_private_targets,
        browser=browser, concurrency=evidence.concurrency,
        page_timeout=evidence.page_timeout_seconds,
        viewport_width=evidence.viewport_width, viewport_height=evidence.viewport_height,
        full_page_max_height=evidence.full_page_max_height,
        jpeg_quality=evidence.jpeg_quality,
        user_agent=user_agent(config.crawl.user_agent, config.site.contact, __version__),
        per_host=config.crawl.concurrency_per_host)


def apply_retention(app: App) -> int:
    """Delete what the retention rules say (never evidence of an open problem)."""
    evidence = app.config.evidence
    limits = RetentionLimits(timedelta(days=evidence.keep_days),
                             evidence.max_total_mb * 1024 * 1024)
    now = app.clock.now()
    with app.sessions.begin() as session:
        site_id = site_id_of(session, app.config.site.url)
        if site_id is None:
            return 0
        doomed = evidence_to_delete(evidence_store.stored_evidence(session, site_id), limits,
                                    now)
        return evidence_store.expire(session, evidence_root(app.config), doomed, now) \
            if doomed else 0


@dataclass(frozen=True)
class ProblemEvidence:
    problem_id: int
    record: EvidenceRecord
    folder: Path
    files: tuple[str, ...]


def evidence_paths(session: Session, config: PortalConfig,
                   problem_ids: list[int]) -> dict[int, dict[str, object]]:
    """Per problem, what `problems list --json` and the exports say of its evidence: the
    folder and its files, or 无截图 with the reason."""
    root = evidence_root(config)
    documents: dict[int, dict[str, object]] = {}
    for problem_id, record in evidence_store.latest_evidence(session, problem_ids).items():
        documents[problem_id] = evidence_document(root, record)
    return documents


def evidence_folders(session: Session, root: Path, problem_ids: list[int]) -> dict[int, str]:
    """Per problem with a kept capture, its folder."""
    return {
        problem_id: str(root / record.path)
        for problem_id, record in evidence_store.latest_evidence(session, problem_ids).items()
        if record.status is EvidenceStatus.CAPTURED and record.path is not None
    }


def evidence_document(root: Path, record: EvidenceRecord) -> dict[str, object]:
    if record.status is EvidenceStatus.CAPTURED and record.path is not None:
        folder = root / record.path
        return {"status": record.status, "captured_at": record.captured_at.isoformat(),
                "dir": str(folder),
                "screenshot": str(folder / SCREENSHOT_NAME),
                "full_page": str(folder / FULL_PAGE_NAME),
                "page_html": str(folder / PAGE_NAME),
                "manifest": str(folder / MANIFEST_NAME)}
    return {"status": record.status, "captured_at": record.captured_at.isoformat(),
            "reason": f"{NO_SCREENSHOT}：{record.reason or ''}"}


def evidence_text(document: dict[str, object] | None) -> str:
    """One cell of an export or a report: the folder, or 无截图 and why."""
    if document is None:
        return ""
    return str(document.get("dir") or document.get("reason") or "")


def copy_evidence(session: Session, config: PortalConfig, problem_id: int,
                  out: Path) -> ProblemEvidence:
    """Copy the problem's latest evidence into `out`, after checking it against its
    manifest. Raises for an unknown problem, for none, or for damaged evidence."""
    record, folder, files = verified_evidence(session, config, problem_id)
    out.mkdir(parents=True, exist_ok=True)
    for name in files:
        shutil.copy2(folder / name, out / name)
    return ProblemEvidence(problem_id, record, folder, tuple(sorted(files)))


# What the dashboard serves of a capture: the names are fixed here, never taken from a
# request as a path.
SERVED_FILES = (SCREENSHOT_NAME, FULL_PAGE_NAME, PAGE_NAME, MANIFEST_NAME)


def evidence_file(session: Session, config: PortalConfig, problem_id: int,
                  name: str) -> bytes:
    """One of `SERVED_FILES` of the problem's latest evidence, once the whole capture
    has been checked against its manifest. Raises as `copy_evidence` does."""
    if name not in SERVED_FILES:
        raise EvidenceError(_("'{name}' is not a file of an evidence item").format(name=name))
    record, folder, files = verified_evidence(session, config, problem_id)
    if name not in files:
        raise EvidenceError(_("the evidence of problem {id} has no {name}").format(
            id=problem_id, name=name))
    return files[name]


def verified_evidence(session: Session, config: PortalConfig, problem_id: int
                      ) -> tuple[EvidenceRecord, Path, dict[str, bytes]]:
    """The problem's latest capture, its folder and its files, each file's sha256 checked
    against the manifest and the manifest's against the folder's name."""
    problem = session.get(Problem, problem_id)
    # Another portal's problem is as unknown here as none.
    if problem is None or problem.site_id != site_id_of(session, config.site.url):
        raise UnknownProblemError(problem_id)
    record = evidence_store.latest_evidence(session, [problem_id]).get(problem_id)
    if record is None and problem.type not in ACCUSING_TYPES:
        raise EvidenceError(_("problem {id} is a “{type}” problem: no screenshot is taken "
                              "for this type").format(id=problem_id,
                                                      type=problem_label(problem.type)))
    if record is None:
        raise EvidenceError(_("problem {id} has no evidence yet (it is captured after the "
                              "next crawl)").format(id=problem_id))
    if record.status is not EvidenceStatus.CAPTURED or record.path is None:
        raise EvidenceError(_("problem {id} has no evidence: {reason}").format(
            id=problem_id, reason=record.reason or _(NO_SCREENSHOT)))
    root = evidence_root(config)
    folder = root / record.path
    files = evidence_store.read_item(root, record.path)
    if MANIFEST_NAME not in files:
        raise EvidenceError(_("the evidence of problem {id} is missing from {path}").format(
            id=problem_id, path=folder))
    # The folder is named by the manifest's sha256 (see storage.evidence_store): a changed
    # manifest vouches for nothing, and is not even read.
    if sha256_hex(files[MANIFEST_NAME]) != folder.name:
        damaged = [MANIFEST_NAME]
    else:
        damaged = mismatched_files(json.loads(files[MANIFEST_NAME]), files)
    if damaged:
        raise EvidenceDamagedError(_("the evidence of problem {id} does not match its "
                                     "manifest: {files}").format(id=problem_id,
                                                                 files=", ".join(damaged)))
    return record, folder, files
