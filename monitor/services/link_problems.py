"""Link problems (SPEC §4.5, §4.7): broken links, dead images, broken attachments, blocked.

Derived after each crawl from every target's last verdict, so the whole set is judged at
once: a target that passes a later check is fixed, one that breaks again is reopened and
marked recurring. Targets `ok`, `pending` or `unchecked` (private targets, `mailto:` …)
are never problems.

One problem per (target, unit): each unit answers for the links on its own articles, so a
target carried by the articles of two units is two problems, each naming a page of that
unit (key `<target> unit:<id>`). A site-wide target — on the home page, or in the page
template (header/footer) of the pages of more than one unit — is ONE problem with no unit
and no column (key: the target URL), whatever the number of pages carrying it. Pages of
withdrawn posts (撤稿) no longer count: a target carried only by them is fixed.

A target whose host did not answer the run (SPEC §4.5: recorded `unchecked` with the
reason `NOT_ANSWERED`) accuses nobody, and its problem, if it had one, is neither fixed
nor moved: nothing was learnt of it that night.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from monitor.domain import LinkKind, LinkStatus, ProblemType
from monitor.problem_details import Facts, encode
from monitor.problem_types import Family, types_of
from monitor.rules.outage import NOT_ANSWERED
from storage.models import Column, LinkRef, LinkTarget, Page, Post
from storage.problem_store import Finding, LifeCounts, bounded_key, reconcile

LINK_TYPES = frozenset(types_of(Family.LINK))
_BROKEN_TYPES = {
    LinkKind.A: ProblemType.BROKEN_LINK,
    LinkKind.IMG: ProblemType.DEAD_IMAGE,
    LinkKind.ATTACHMENT: ProblemType.BROKEN_ATTACHMENT,
}


@dataclass(frozen=True)
class Carrier:
    """A page carrying a target: its unit and column (None for the home page or a page of
    no known post), and whether the link sits in the page template rather than the body."""

    page_url: str
    unit_id: int | None
    column_id: int | None
    in_template: bool
    is_home: bool


@dataclass(frozen=True)
class BadTarget:
    """A target whose last verdict is broken or blocked, with the pages carrying it."""

    url: str
    kind: LinkKind
    status: LinkStatus
    reason: str | None
    http_status: int | None
    redirects: int
    on_home: bool
    carriers: tuple[Carrier, ...]


def problem_type_for(kind: LinkKind, status: LinkStatus) -> ProblemType | None:
    """The problem a verdict makes, or None for a verdict that accuses nobody."""
    if status is LinkStatus.BLOCKED:
        return ProblemType.BLOCKED
    if status is LinkStatus.BROKEN:
        return _BROKEN_TYPES[kind]
    return None


def verdict_facts(reason: str | None, http_status: int | None,
                  redirects: int = 0) -> dict[str, object]:
    """Why the target failed, as facts (monitor/problem_details.py words them: 页面不存在
    （HTTP 404）). A blocked target's problem type says it is unverifiable, never broken."""
    return {"reason": reason, "http_status": http_status, "redirects": redirects}


def is_site_wide(target: BadTarget) -> bool:
    """On the home page, or in the template of pages of more than one unit."""
    if target.on_home or any(carrier.is_home for carrier in target.carriers):
        return True
    template_units = {c.unit_id for c in target.carriers if c.in_template}
    return len(template_units) > 1


def link_findings(targets: Iterable[BadTarget]) -> list[Finding]:
    findings: list[Finding] = []
    for target in targets:
        problem_type = problem_type_for(target.kind, target.status)
        if problem_type is None or not target.carriers:
            continue
        detail = verdict_facts(target.reason, target.http_status, target.redirects)
        if is_site_wide(target):
            findings.append(_site_wide(problem_type, target, detail))
            continue
        by_unit: dict[int | None, list[Carrier]] = {}
        for carrier in target.carriers:
            by_unit.setdefault(carrier.unit_id, []).append(carrier)
        findings.extend(_unit_finding(problem_type, target, detail, unit_id, carriers)
                        for unit_id, carriers in by_unit.items())
    return findings


def _site_wide(problem_type: ProblemType, target: BadTarget, detail: Facts) -> Finding:
    homes = sorted(c.page_url for c in target.carriers if c.is_home)
    page = homes[0] if homes else min(c.page_url for c in target.carriers)
    where = "home" if target.on_home or homes else "template"
    pages = len({c.page_url for c in target.carriers})
    return Finding(problem_type, bounded_key(target.url), None, None, page,
                   encode({**detail, "site_wide": where, "pages": pages}), target.url)


def _unit_finding(problem_type: ProblemType, target: BadTarget, detail: Facts,
                  unit_id: int | None, carriers: Sequence[Carrier]) -> Finding:
    # The first page by URL stands for the unit's pages: stable from night to night.
    first = min(carriers, key=lambda carrier: carrier.page_url)
    pages = len({c.page_url for c in carriers})
    key = target.url if unit_id is None else f"{target.url} unit:{unit_id}"
    return Finding(problem_type, bounded_key(key), unit_id, first.column_id, first.page_url,
                   encode({**detail, "pages": pages}), target.url)


def bad_targets(session: Session, site_id: int) -> list[BadTarget]:
    """Every broken or blocked target of the portal with the live pages carrying it."""
    query = (
        select(LinkTarget, Page.url, Page.is_home, Column.unit_id, Column.id, LinkRef.in_template)
        .join(LinkRef, LinkRef.target_id == LinkTarget.id)
        .join(Page, Page.id == LinkRef.page_id)
        .outerjoin(Post, Post.id == Page.post_id)
        .outerjoin(Column, Column.id == Post.column_id)
        .where(LinkTarget.site_id == site_id,
               LinkTarget.status.in_((LinkStatus.BROKEN, LinkStatus.BLOCKED)),
               Post.removed_at.is_(None))
        .order_by(LinkTarget.id, Page.url)
    )
    targets: dict[int, tuple[LinkTarget, list[Carrier]]] = {}
    for target, page_url, is_home, unit_id, column_id, in_template in session.execute(query):
        carriers = targets.setdefault(target.id, (target, []))[1]
        carriers.append(Carrier(page_url, unit_id, column_id, bool(in_template), bool(is_home)))
    return [
        BadTarget(target.url, target.kind, target.status, target.reason,
                  target.http_status, max(len(target.redirect_chain or ()) - 1, 0),
                  bool(target.on_home), tuple(carriers))
        for target, carriers in targets.values()
    ]


def unanswered_targets(session: Session, site_id: int) -> frozenset[str]:
    """The portal's targets whose last check found their host not answering."""
    return frozenset(session.scalars(select(LinkTarget.url).where(
        LinkTarget.site_id == site_id, LinkTarget.status == LinkStatus.UNCHECKED,
        LinkTarget.reason == NOT_ANSWERED)))


def refresh_link_problems(session: Session, site_id: int, at: datetime) -> LifeCounts:
    """Reconcile the portal's link problems with every target's last verdict at instant
    `at`."""
    return reconcile(session, site_id, link_findings(bad_targets(session, site_id)),
                     frozenset(), at, judged_types=LINK_TYPES,
                     spared_targets=unanswered_targets(session, site_id))
