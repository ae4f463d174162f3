"""`monitor export posts|links|problems`: what the office pastes into its own tables (SPEC §3).

Each kind is a typed row whose fields, in order, are exactly the SPEC's columns. Filters:
`unit` (a unit's posts, the links on its posts' pages, its problems) and a period (posts
dated in it, links on pages of posts dated in it, problems seen at some time within it).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields, replace
from datetime import date, datetime, time, timedelta
from enum import StrEnum

from sqlalchemy.orm import Session

from monitor.calendar import LOCAL_ZONE
from monitor.config import PortalConfig
from monitor.domain import LinkStatus
from monitor.rules.periods import Period
from monitor.services.evidence import evidence_paths, evidence_text
from monitor.units import find_unit
from storage.queries import (
    PostExportRow,
    ProblemFilter,
    link_sources,
    posts_for_export,
    problems,
    site_id_of,
    unit_id_by_name,
)


class ExportKind(StrEnum):
    POSTS = "posts"
    LINKS = "links"
    PROBLEMS = "problems"


# The posts export is the query's own row: the same fields, in the SPEC §3 order.
PostExport = PostExportRow


@dataclass(frozen=True)
class LinkExport:
    url: str
    kind: str
    internal: bool
    status: str
    reason: str | None
    http_status: int | None
    hidden: bool
    sources: tuple[str, ...]


@dataclass(frozen=True)
class ProblemExport:
    id: int
    type: str
    unit: str | None
    column: str | None
    url: str | None
    target: str | None
    detail: str
    state: str
    first_seen: datetime
    last_seen: datetime
    recurring: bool
    # The evidence folder (截图取证), or 无截图 and why; empty when none was attempted.
    evidence: str = ""


ExportRow = PostExport | LinkExport | ProblemExport
ROW_TYPES: dict[ExportKind, type[ExportRow]] = {
    ExportKind.POSTS: PostExport,
    ExportKind.LINKS: LinkExport,
    ExportKind.PROBLEMS: ProblemExport,
}


@dataclass(frozen=True)
class ExportRequest:
    kind: ExportKind
    unit: str | None = None
    period: Period | None = None


def export_rows(session: Session, config: PortalConfig, request: ExportRequest) -> list[ExportRow]:
    site_id = site_id_of(session, config.site.url)
    if site_id is None:
        return []  # nothing was ever recorded for this portal
    unit_id = None
    if request.unit is not None:
        unit_id = unit_id_by_name(session, site_id, find_unit(config, request.unit).name)
        if unit_id is None:
            return []  # configured, but never synced: nothing recorded
    first = request.period.start if request.period else None
    last = request.period.end if request.period else None
    if request.kind is ExportKind.POSTS:
        return list(posts_for_export(session, site_id, unit_id, first, last))
    if request.kind is ExportKind.LINKS:
        return _links(session, site_id, unit_id, first, last)
    return _problems(session, config, site_id, unit_id, request.period)


def _links(session: Session, site_id: int, unit_id: int | None, first: date | None,
           last: date | None) -> list[ExportRow]:
    rows: dict[int, LinkExport] = {}
    pages: dict[int, list[str]] = {}
    for source in link_sources(session, site_id, unit_id, first, last):
        known = rows.get(source.target_id)
        hidden = source.hidden or (known.hidden if known else False)
        rows[source.target_id] = LinkExport(
            source.url, source.kind, source.internal, _link_status(source.status),
            source.reason, source.http_status, hidden, ())
        pages.setdefault(source.target_id, [])
        if source.page_url not in pages[source.target_id]:
            pages[source.target_id].append(source.page_url)
    return [
        replace(row, sources=tuple(pages[target_id]))
        for target_id, row in rows.items()
    ]


def _link_status(stored: LinkStatus) -> LinkStatus:
    # A target found but not checked yet is, to the reader, simply unchecked.
    return LinkStatus.UNCHECKED if stored is LinkStatus.PENDING else stored


def _start_of(day: date) -> datetime:
    return datetime.combine(day, time(0), LOCAL_ZONE)


def _problems(session: Session, config: PortalConfig, site_id: int, unit_id: int | None,
              period: Period | None) -> list[ExportRow]:
    wanted = ProblemFilter(unit_id=unit_id)
    if period is not None:
        wanted = ProblemFilter(unit_id=unit_id, seen_from=_start_of(period.start),
                               seen_to=_start_of(period.end + timedelta(days=1)))
    rows = problems(session, site_id, wanted)
    evidence = evidence_paths(session, config, [row.id for row in rows])
    return [
        ProblemExport(row.id, row.type.value, row.unit, row.column, row.url, row.target,
                      row.detail, row.state.value, row.first_seen, row.last_seen, row.recurring,
                      evidence_text(evidence.get(row.id)))
        for row in rows
    ]


def field_names(kind: ExportKind) -> Sequence[str]:
    return tuple(field.name for field in fields(ROW_TYPES[kind]))
