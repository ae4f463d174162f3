"""Rule problems and their life (SPEC §4.7): what the rules find now, reconciled with storage.

`refresh_rule_problems` judges every active column at an instant, and the portal against
the national indicators, and hands the findings to `storage.problem_store.reconcile`.
Keys, so that the same finding is the same problem:
- `overdue_column`, `empty_column`, `stale_national`, `unreachable_column`: `column:<id>`.
  One problem per column while the condition lasts (the detail follows the current due
  date); it is fixed when the column is no longer in that state, and if the column falls
  into it again the same problem is reopened and marked recurring (屡禁不止). So a column
  overdue for the same missed deadline is one problem, and so are consecutive missed
  deadlines without a post in between: nothing was done in between.
- `due_soon_column`: `column:<id>:due:<date>`: each reminder is its own problem, first seen
  on its own day, which is what the report counts as "reminded repeatedly". A reminder
  closes (fixed) when the column is updated or the deadline passes, when
  `overdue_column` takes over.
- `backdated_post`, `undated_post`: `post:<id>` (posts are never deleted, so ids are stable).
- `national_warning`: `national:<item key>`, one per national item at or above its
  early-warning level; fixed when the item falls back below it. An item not known at the
  instant (a thin probe window, no dated home-page item) leaves its problem as it was.
Only judged (type, column) pairs are reconciled: for a column whose last crawl failed, or
that was never crawled, the status problems are left as they were (see `services.facts`).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from monitor.app import App
from monitor.calendar import local_date
from monitor.config import PortalConfig
from monitor.domain import ColumnStatus, ProblemType
from monitor.problem_details import encode, iso
from monitor.rules.backdating import SeenPost, backdated_posts
from monitor.services.facts import ColumnFacts, ColumnJudgement, portal_site_id
from monitor.services.judgement import PortalJudgement, judge_portal
from monitor.services.national import national_result, national_warnings
from storage.problem_store import Finding, LifeCounts, reconcile
from storage.queries import ColumnRow, RecordedPost, recorded_posts, site_id_of

STATUS_TYPES = (
    ProblemType.OVERDUE_COLUMN,
    ProblemType.DUE_SOON_COLUMN,
    ProblemType.EMPTY_COLUMN,
    ProblemType.STALE_NATIONAL,
)
# Facts about recorded posts and crawl outcomes: judged for every active column.
ALWAYS_JUDGED = (
    ProblemType.UNREACHABLE_COLUMN,
    ProblemType.BACKDATED_POST,
    ProblemType.UNDATED_POST,
)


@dataclass(frozen=True)
class RuleFindings:
    findings: tuple[Finding, ...]
    judged: frozenset[tuple[ProblemType, int]]


def refresh_rule_problems(
    session: Session, config: PortalConfig, as_of_instant: datetime,
    site_id: int | None = None,
) -> LifeCounts:
    """Judge every active column at `as_of_instant` and update the problems' life.

    At the entry points that change things (crawl, check, alerts) the config is synced
    first; a report passes the site as recorded (`site_id`), so reading one never rewrites
    the units and columns, while its problems are still judged on the day it is made."""
    if site_id is None:
        site_id = portal_site_id(session, config)
    judgement = judge_portal(session, config, site_id, local_date(as_of_instant))
    found = rule_findings(session, config, judgement)
    national = national_result(session, config, site_id, judgement.as_of, judgement)
    portal_read = any(column.facts.judged for column in judgement.columns)
    warnings, warning_keys = national_warnings(national, config.site.url, portal_read)
    return reconcile(session, site_id, found.findings + tuple(warnings), found.judged,
                     as_of_instant, judged_keys=warning_keys)


def rule_findings(
    session: Session, config: PortalConfig, judgement: PortalJudgement
) -> RuleFindings:
    """What the rules find in the portal's judgement: the status problems of the columns the
    latest crawl read, and the crawl-failure and post problems of every column."""
    findings: list[Finding] = []
    judged: set[tuple[ProblemType, int]] = set()
    for column in judgement.columns:
        column_id = column.facts.column.id
        judged.update((problem_type, column_id) for problem_type in ALWAYS_JUDGED
                      if problem_type is not ProblemType.UNREACHABLE_COLUMN
                      or _column_answered_for_itself(column.facts))
        findings.extend(_unreachable(column.facts))
        if column.facts.judged:
            judged.update((problem_type, column_id) for problem_type in STATUS_TYPES)
            findings.extend(_status_findings(column))
    columns = {column.facts.column.id: column.facts.column for column in judgement.columns}
    posts = recorded_posts(session, list(columns))
    findings.extend(_backdated(posts, columns, config.rules.backdate_days))
    findings.extend(_undated(posts, columns))
    return RuleFindings(tuple(findings), frozenset(judged))


def _column_finding(problem_type: ProblemType, column: ColumnRow, detail: str,
                    key_suffix: str = "") -> Finding:
    return Finding(problem_type, f"column:{column.id}{key_suffix}", column.unit_id, column.id,
                   column.url, detail)


def _column_answered_for_itself(facts: ColumnFacts) -> bool:
    """Whether the last crawl learnt something of the column itself: it was read, or it
    answered badly. A run that failed in the crawler, stopped before the column or found
    the whole portal down (SPEC §4.5) says nothing of it: its problem stays as it was."""
    return facts.last_crawl is not None and (not facts.last_crawl.failed
                                             or facts.last_crawl.outcome.column_at_fault)


def _unreachable(facts: ColumnFacts) -> list[Finding]:
    # A column never crawled has no failure to report: it is simply not judged yet.
    if facts.last_crawl is None or not facts.last_crawl.failed:
        return []
    if not facts.last_crawl.outcome.column_at_fault:
        return []
    detail = encode(facts.unreachable_facts or {})
    return [_column_finding(ProblemType.UNREACHABLE_COLUMN, facts.column, detail)]


def _status_findings(judgement: ColumnJudgement) -> list[Finding]:
    column, state = judgement.facts.column, judgement.state
    dates = {"cycle": column.cycle.value, "due": iso(state.due),
             "last_post": iso(state.last_post)}
    findings: list[Finding] = []
    if state.status is ColumnStatus.OVERDUE:
        findings.append(_column_finding(ProblemType.OVERDUE_COLUMN, column, encode(dates)))
    elif state.status is ColumnStatus.DUE_SOON:
        findings.append(_column_finding(ProblemType.DUE_SOON_COLUMN, column, encode(dates),
                                        f":due:{iso(state.due) or '无'}"))
    elif state.status is ColumnStatus.EMPTY:
        findings.append(_column_finding(ProblemType.EMPTY_COLUMN, column, encode({})))
    if judgement.stale and state.stale_facts:
        findings.append(_column_finding(ProblemType.STALE_NATIONAL, column,
                                        encode(state.stale_facts)))
    return findings


def _post_finding(problem_type: ProblemType, post: RecordedPost, column: ColumnRow,
                  detail: str) -> Finding:
    return Finding(problem_type, f"post:{post.id}", column.unit_id, column.id, post.url, detail)


def _backdated(posts: Iterable[RecordedPost], columns: dict[int, ColumnRow],
               threshold_days: int) -> list[Finding]:
    seen = {
        SeenPost(columns[post.column_id].unit, columns[post.column_id].name, post.url,
                 post.title, post.date, post.first_seen, post.seen_on_first_crawl): post
        for post in posts
    }
    return [
        _post_finding(ProblemType.BACKDATED_POST, seen[finding.post],
                      columns[seen[finding.post].column_id], encode(finding.facts))
        for finding in backdated_posts(list(seen), threshold_days)
    ]


def _undated(posts: Iterable[RecordedPost], columns: dict[int, ColumnRow]) -> list[Finding]:
    # Only once the article was read is "no date" final: the list alone may just not show it.
    return [
        _post_finding(ProblemType.UNDATED_POST, post, columns[post.column_id],
                      encode({"title": post.title}))
        for post in posts
        if post.date is None and post.article_fetched
    ]



def refresh_now(app: App) -> LifeCounts:
    """Refresh the rule problems at the app's current instant, in one transaction."""
    with app.sessions.begin() as session:
        return refresh_rule_problems(session, app.config, app.clock.now())


def refresh_recorded(app: App) -> LifeCounts | None:
    """Refresh the rule problems of the portal as recorded, without syncing the config;
    nothing when the portal was never recorded (there is nothing to judge)."""
    with app.sessions.begin() as session:
        site_id = site_id_of(session, app.config.site.url)
        if site_id is None:
            return None
        return refresh_rule_problems(session, app.config, app.clock.now(), site_id)
