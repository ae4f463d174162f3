"""Link problems: which verdicts accuse whom, and their life across checks (SPEC §4.7)."""

from __future__ import annotations

from sqlalchemy import select

from monitor.domain import LinkKind, LinkStatus, ProblemState, ProblemType
from monitor.problem_details import detail_text
from monitor.services.link_problems import (
    BadTarget,
    Carrier,
    is_site_wide,
    link_findings,
    problem_type_for,
    refresh_link_problems,
)
from storage.models import LinkRef, LinkTarget, Page, Problem
from storage.problem_store import KEY_LENGTH, bounded_key

TARGET = "http://127.0.0.1:8000/xxgk/old.html"


def carrier(page: str, unit_id: int | None = 1, column_id: int | None = 10,
            in_template: bool = False, is_home: bool = False) -> Carrier:
    return Carrier(f"http://127.0.0.1:8000/{page}", unit_id, column_id, in_template, is_home)


def bad(*carriers: Carrier, kind: LinkKind = LinkKind.A, status: LinkStatus = LinkStatus.BROKEN,
        reason: str | None = "http_404", http_status: int | None = 404,
        on_home: bool = False) -> BadTarget:
    return BadTarget(TARGET, kind, status, reason, http_status, 0, on_home, carriers)


# -- pure decisions ------------------------------------------------------------------------

def test_each_kind_of_broken_target_has_its_problem_type():
    assert problem_type_for(LinkKind.A, LinkStatus.BROKEN) is ProblemType.BROKEN_LINK
    assert problem_type_for(LinkKind.IMG, LinkStatus.BROKEN) is ProblemType.DEAD_IMAGE
    assert problem_type_for(LinkKind.ATTACHMENT, LinkStatus.BROKEN) is \
        ProblemType.BROKEN_ATTACHMENT
    assert problem_type_for(LinkKind.IMG, LinkStatus.BLOCKED) is ProblemType.BLOCKED


def test_ok_pending_and_unchecked_targets_are_never_problems():
    for status in (LinkStatus.OK, LinkStatus.PENDING, LinkStatus.UNCHECKED):
        assert problem_type_for(LinkKind.A, status) is None
        assert link_findings([bad(carrier("a.html"), status=status)]) == []


def _text(finding) -> str:
    return detail_text(finding.type, finding.detail)


def test_details_keep_the_verdicts_facts():
    [finding] = link_findings([BadTarget(TARGET, LinkKind.A, LinkStatus.BROKEN, "http_404",
                                         404, 2, False, (carrier("a.html"),))])
    assert finding.detail == \
        '{"http_status":404,"pages":1,"reason":"http_404","redirects":2}'
    assert _text(finding) == "页面不存在（HTTP 404，经2次跳转）"


def test_a_blocked_target_is_unverifiable_never_broken():
    [finding] = link_findings([bad(carrier("a.html"), status=LinkStatus.BLOCKED,
                                   reason="waf_challenge", http_status=412)])
    assert _text(finding) == "无法核实：被访问防护拦截（HTTP 412）"


def test_a_target_on_pages_of_one_unit_is_one_problem_naming_the_first_page():
    [finding] = link_findings([bad(carrier("b.html"), carrier("a.html", column_id=11))])
    assert (finding.type, finding.unit_id, finding.target) == \
        (ProblemType.BROKEN_LINK, 1, TARGET)
    assert finding.url.endswith("/a.html") and finding.column_id == 11
    assert _text(finding) == "页面不存在（HTTP 404）；共2个页面"


def test_a_target_on_articles_of_two_units_is_one_problem_per_unit():
    findings = link_findings([bad(carrier("a.html", 1), carrier("b.html", 2))])
    assert sorted(f.unit_id for f in findings) == [1, 2]
    assert len({f.key for f in findings}) == 2


def test_a_home_page_target_is_one_site_wide_problem_without_unit():
    target = bad(carrier("index.html", None, None, is_home=True),
                 carrier("a.html", 1, in_template=True), carrier("b.html", 2, in_template=True),
                 on_home=True)
    assert is_site_wide(target)
    [finding] = link_findings([target])
    assert (finding.unit_id, finding.column_id, finding.key) == (None, None, TARGET)
    assert finding.url.endswith("/index.html")
    assert _text(finding) == "页面不存在（HTTP 404）；全站链接（位于首页，共3个页面）"


def test_a_template_link_of_several_units_is_site_wide_but_one_units_template_is_not():
    several = bad(carrier("a.html", 1, in_template=True), carrier("b.html", 2, in_template=True))
    one = bad(carrier("a.html", 1, in_template=True), carrier("c.html", 1, in_template=True))
    assert is_site_wide(several) and not is_site_wide(one)
    [finding] = link_findings([several])
    assert finding.unit_id is None and "页面模板" in _text(finding)


def test_overlong_keys_are_bounded_and_stay_distinct():
    long_a, long_b = "x" * 2000 + "a", "x" * 2000 + "b"
    assert len(bounded_key(long_a)) == KEY_LENGTH
    assert bounded_key(long_a) != bounded_key(long_b)
    assert bounded_key("short") == "short"


# -- life in storage -----------------------------------------------------------------------

def _target_on_page(portal, status: str, reason: str | None) -> LinkTarget:
    session, found = portal.session, portal.at("2024-04-30 02:00")
    page = Page(site_id=portal.site_id, url="http://127.0.0.1:8000/slj/a.html", fetched_at=found)
    target = LinkTarget(site_id=portal.site_id, url=TARGET, kind="a", internal=True, status=status, reason=reason,
                        first_seen=found)
    session.add_all([page, target])
    session.flush()
    session.add(LinkRef(page_id=page.id, target_id=target.id))
    session.flush()
    return target


def _link_problem(session) -> Problem:
    return session.scalars(select(Problem).where(Problem.target == TARGET)).one()


def test_a_broken_target_opens_a_problem_that_a_passing_check_fixes(portal):
    session = portal.session
    target = _target_on_page(portal, "broken", "http_404")
    refresh_link_problems(session, portal.site_id, portal.at("2024-05-01 02:00"))
    problem = _link_problem(session)
    assert (problem.state, detail_text(problem.type, problem.detail)) == \
        (ProblemState.OPEN.value, "页面不存在（HTTP 404）")
    target.status, target.reason = "ok", None
    counts = refresh_link_problems(session, portal.site_id, portal.at("2024-05-02 02:00"))
    assert counts.fixed == 1 and _link_problem(session).state == ProblemState.FIXED.value


def test_a_target_broken_again_after_a_fix_is_reopened_as_recurring(portal):
    session = portal.session
    target = _target_on_page(portal, "broken", "http_404")
    refresh_link_problems(session, portal.site_id, portal.at("2024-05-01 02:00"))
    target.status = "ok"
    refresh_link_problems(session, portal.site_id, portal.at("2024-05-02 02:00"))
    target.status, target.reason = "broken", "timeout"
    counts = refresh_link_problems(session, portal.site_id, portal.at("2024-05-03 02:00"))
    problem = _link_problem(session)
    assert counts.reopened == 1
    assert (problem.state, problem.recurring) == (ProblemState.OPEN.value, True)
    assert detail_text(problem.type, problem.detail) == "访问超时"


def test_an_ignored_link_problem_stays_ignored_while_the_target_is_broken(portal):
    session = portal.session
    _target_on_page(portal, "blocked", "waf_challenge")
    refresh_link_problems(session, portal.site_id, portal.at("2024-05-01 02:00"))
    problem = _link_problem(session)
    assert problem.type == ProblemType.BLOCKED.value
    problem.state = ProblemState.IGNORED.value
    refresh_link_problems(session, portal.site_id, portal.at("2024-05-02 02:00"))
    assert _link_problem(session).state == ProblemState.IGNORED.value


def test_rule_problems_are_not_touched_by_the_link_refresh(portal):
    session = portal.session
    rule = Problem(site_id=portal.site_id, type=ProblemType.OVERDUE_COLUMN.value, key="column:1", state="open",
                   first_seen=portal.at("2024-05-01 02:00"),
                   last_seen=portal.at("2024-05-01 02:00"), detail="")
    session.add(rule)
    session.flush()
    refresh_link_problems(session, portal.site_id, portal.at("2024-05-02 02:00"))
    assert rule.state == ProblemState.OPEN.value
