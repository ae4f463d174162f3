"""`monitor national`: the portal against the 2019 national indicators (SPEC §4.8, §5).

The facts come from where every other judgement gets them: the columns from
`judge_portal` (so `stale` and `empty` are exactly `check --json`'s), the availability
probes and the link verdicts from storage. `national_warnings` turns the items that have
crossed their early-warning level into `national_warning` problems, refreshed beside the
other rule problems.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy.orm import Session

from monitor.clock import SHANGHAI
from monitor.config import PortalConfig
from monitor.domain import ProblemType
from monitor.i18n import _
from monitor.probe.availability import ProbeRule, judge_window
from monitor.problem_details import encode, indicator_value
from monitor.rules.national import (
    BrokenLink,
    JudgedColumn,
    NationalFacts,
    NationalItem,
    NationalKey,
    NationalResult,
    NationalThresholds,
    ProbeWindow,
    national_indicators,
)
from monitor.services.judgement import PortalJudgement, judge_portal
from reports.model import NationalLine, NationalSection
from storage.probe_store import samples_since
from storage.problem_store import Finding
from storage.queries import BrokenTargetPage, broken_target_pages, home_newest_item

# The national rule's window: the last 7 days, the as-of day included.
WINDOW_DAYS = 7


def thresholds_from_config(config: PortalConfig) -> NationalThresholds:
    national = config.rules.national
    return NationalThresholds(
        unavailable_percent=national.unavailable_percent,
        unavailable_warning_percent=national.unavailable_warning_percent,
        min_probes_per_day=national.min_probes_per_day,
        home_days=national.home_days,
        home_warning_days=national.home_warning_days,
        stale_columns=national.stale_columns,
        stale_warning=national.stale_warning,
        unupdated_columns=national.unupdated_columns,
        unupdated_warning=national.unupdated_warning,
        blank_columns=national.blank_columns,
        blank_warning=national.blank_warning,
        home_broken_links_warning=national.home_broken_links_warning,
        broken_links_warning=national.broken_links_warning,
    )


def probe_window(session: Session, config: PortalConfig, site_id: int,
                 as_of: date) -> ProbeWindow:
    """The home page's probes over the 7 days ending on `as_of` (the probe's 15-second
    limit decided each probe's `ok` when it was taken)."""
    first_day = as_of - timedelta(days=WINDOW_DAYS - 1)
    since = datetime.combine(first_day, time(), SHANGHAI)
    rule = ProbeRule(config.probe.timeout_seconds, WINDOW_DAYS,
                     config.rules.national.min_probes_per_day, config.probe.fail_ratio)
    verdict = judge_window(config.site.url, samples_since(session, site_id, config.site.url, since),
                           as_of, rule)
    return ProbeWindow(verdict.probes, verdict.failures, verdict.thin_days)


def judged_columns(judgement: PortalJudgement) -> tuple[JudgedColumn, ...]:
    return tuple(
        JudgedColumn(judged.facts.column.unit, judged.facts.column.name,
                     judged.facts.column.cycle, judged.status, judged.stale,
                     judged.state.last_post)
        for judged in judgement.columns
    )


def _end_of(day: date) -> datetime:
    return datetime.combine(day + timedelta(days=1), time(), SHANGHAI)


def _broken(rows: Iterable[BrokenTargetPage]) -> tuple[BrokenLink, ...]:
    pages: dict[str, list[str]] = defaultdict(list)
    for row in rows:
        pages[row.target].append(row.page)
    return tuple(BrokenLink(target, tuple(found)) for target, found in pages.items())


def national_result(session: Session, config: PortalConfig, site_id: int,
                    as_of: date, judgement: PortalJudgement | None = None) -> NationalResult:
    """The national items of the portal at `as_of` (reads only)."""
    judgement = judgement or judge_portal(session, config, site_id, as_of)
    links = broken_target_pages(session, site_id)
    facts = NationalFacts(
        probe=probe_window(session, config, site_id, as_of),
        home_newest_item=home_newest_item(session, site_id, _end_of(as_of)),
        columns=judged_columns(judgement),
        home_broken=_broken(row for row in links if row.on_home_page),
        other_broken=_broken(row for row in links if not row.on_home_page),
    )
    return national_indicators(facts, as_of, thresholds_from_config(config))


def item_document(item: NationalItem) -> dict[str, Any]:
    return {
        "key": item.key.value,
        "label": item.label,
        "value": item.value,
        "unit": item.unit,
        "threshold": item.threshold,
        "veto": item.veto,
        "warning": item.warning,
        "warned": item.warned,
        "behind": [dict(entry) for entry in item.behind],
        "note": item.note,
    }


def national_document(result: NationalResult) -> dict[str, Any]:
    """The `national --json` document of SPEC §5 (with `warning`, `warned` and `note`)."""
    return {"as_of": result.as_of.isoformat(), "veto": result.veto,
            "items": [item_document(item) for item in result.items]}


def value_words(item: NationalItem) -> str:
    if item.value is None:
        return _("未判定")
    return indicator_value(item.value, item.unit)


def threshold_words(item: NationalItem) -> str:
    if item.threshold is None:
        return _("不否决")
    if item.key is NationalKey.HOME_NOT_UPDATED:
        return _("超过{days}天").format(days=item.threshold)
    return "≥" + indicator_value(item.threshold, item.unit)


def _warning_key(key: NationalKey) -> str:
    return f"national:{key.value}"


def national_warnings(result: NationalResult, site_url: str, portal_read: bool
                      ) -> tuple[list[Finding], frozenset[tuple[ProblemType, str]]]:
    """The `national_warning` problems the items call for, and the keys judged: an item
    whose value is not known leaves its problem as it was. When the latest crawl read no
    column (`portal_read` false: the portal did not answer), only the probe's item is
    judged: nothing the crawl reads moves on a night it read nothing (SPEC §4.5)."""
    findings = []
    judged = set()
    for item in result.items:
        if item.value is None:
            continue
        if not portal_read and item.key is not NationalKey.SITE_UNAVAILABLE:
            continue
        judged.add((ProblemType.NATIONAL_WARNING, _warning_key(item.key)))
        if not item.warned:
            continue
        detail = encode({"key": item.key.value, "value": item.value, "unit": item.unit,
                         "veto": item.veto, "warning": item.warning,
                         "threshold": item.threshold})
        findings.append(Finding(ProblemType.NATIONAL_WARNING, _warning_key(item.key), None,
                                None, site_url, detail))
    return findings, frozenset(judged)


def behind_texts(item: NationalItem) -> tuple[str, ...]:
    """The columns or pages behind an item, as an officer reads them."""
    texts = []
    for entry in item.behind:
        if "column" in entry:
            texts.append(_("{unit}{column}（最近发布{last}）").format(
                unit=entry["unit"], column=entry["column"], last=entry["last_post"] or _("无")))
        elif "page" in entry:
            texts.append(_("{page}中的{target}").format(page=entry["page"],
                                                       target=entry["target"]))
        elif "newest_item" in entry:
            texts.append(_("首页最新信息发布于{day}").format(day=entry["newest_item"]))
    return tuple(texts)


def national_section(result: NationalResult) -> NationalSection:
    """The 国办指标 section of the quarterly report and the weekly digest, in the reader's
    language."""
    return NationalSection(result.as_of, result.veto, tuple(
        NationalLine(_(item.label), value_words(item), threshold_words(item), item.veto,
                     item.warned, behind_texts(item))
        for item in result.items))
