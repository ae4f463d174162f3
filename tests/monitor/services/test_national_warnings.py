"""Which national items raise a `national_warning`, and which are left as they were."""

from __future__ import annotations

from datetime import date

from monitor.domain import ColumnStatus, Cycle, ProblemType
from monitor.problem_details import detail_text
from monitor.rules.national import (
    BrokenLink,
    JudgedColumn,
    NationalFacts,
    NationalThresholds,
    ProbeWindow,
    national_indicators,
)
from monitor.services.national import national_warnings

AS_OF = date(2024, 5, 10)
SITE = "http://portal.example/"


def result(failures: int = 5, blank: int = 2):
    columns = tuple(JudgedColumn("县水利局", f"空{n}", Cycle.WEEKLY, ColumnStatus.EMPTY, False,
                                 None) for n in range(blank))
    columns += (JudgedColumn("县水利局", "动态", Cycle.WEEKLY, ColumnStatus.OK, False, AS_OF),)
    facts = NationalFacts(ProbeWindow(140, failures, ()), None, columns,
                          (BrokenLink("http://x/a", (SITE,)),), ())
    return national_indicators(facts, AS_OF, NationalThresholds())


def keys(findings) -> set[str]:
    return {finding.key for finding in findings}


def test_items_at_their_warning_level_open_a_warning_each() -> None:
    findings, judged = national_warnings(result(), SITE, portal_read=True)
    assert keys(findings) == {"national:site_unavailable", "national:blank_columns",
                              "national:home_broken_links"}
    assert {finding.type for finding in findings} == {ProblemType.NATIONAL_WARNING}
    blank = next(finding for finding in findings if finding.key == "national:blank_columns")
    assert detail_text(blank.type, blank.detail) == \
        "空白栏目：2个，已达到预警线（预警线2，否决标准≥5个）"
    assert (blank.unit_id, blank.column_id, blank.url) == (None, None, SITE)


def test_items_below_their_level_are_judged_so_their_warning_is_fixed() -> None:
    findings, judged = national_warnings(result(failures=0, blank=1), SITE, portal_read=True)
    assert keys(findings) == {"national:home_broken_links"}
    assert (ProblemType.NATIONAL_WARNING, "national:blank_columns") in judged
    assert (ProblemType.NATIONAL_WARNING, "national:site_unavailable") in judged


def test_an_item_not_known_is_not_judged() -> None:
    _, judged = national_warnings(result(), SITE, portal_read=True)
    assert (ProblemType.NATIONAL_WARNING, "national:home_not_updated") not in judged


def test_a_night_the_crawl_read_nothing_judges_only_the_probes() -> None:
    findings, judged = national_warnings(result(), SITE, portal_read=False)
    assert keys(findings) == {"national:site_unavailable"}
    assert judged == {(ProblemType.NATIONAL_WARNING, "national:site_unavailable")}
