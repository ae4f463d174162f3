from __future__ import annotations

from datetime import date

from monitor.alerts.compose import compose_due_soon, compose_weekly, one_line
from monitor.alerts.facts import ColumnLag, DeadTarget, UnitFacts, WeekFacts
from monitor.alerts.templates import AlertTemplates
from monitor.domain import ColumnStatus, Cycle, ProblemType

TEMPLATES = AlertTemplates()
AS_OF = date(2024, 5, 15)  # a Wednesday


def lag(name: str, status: ColumnStatus = ColumnStatus.OVERDUE) -> ColumnLag:
    return ColumnLag(name, f"http://127.0.0.1:8000/{name}/", Cycle.WEEKLY, status,
                     date(2024, 4, 19), date(2024, 4, 28))


def unit(unit_id: int, name: str, contacts: tuple[str, ...] = ("u@example.gov.cn",),
         overdue: int = 0, due_soon: int = 0, missed_month: int = 0, dead: int = 0) -> UnitFacts:
    return UnitFacts(
        unit_id=unit_id, name=name, group="县直单位", contacts=contacts,
        overdue=tuple(lag(f"c{i}") for i in range(overdue)),
        due_soon=tuple(lag(f"d{i}", ColumnStatus.DUE_SOON) for i in range(due_soon)),
        missed_this_month=tuple(date(2024, 5, 6) for _ in range(missed_month)),
        missed_this_quarter=tuple(date(2024, 4, 22) for _ in range(missed_month)),
        dead_targets=tuple(DeadTarget(ProblemType.BROKEN_LINK, "http://p/", f"http://t/{i}",
                                      "HTTP 404", date(2024, 5, 1)) for i in range(dead)))


def test_the_week_is_the_monday_of_the_as_of_day() -> None:
    assert WeekFacts("site", AS_OF, ()).week == date(2024, 5, 13)


def test_units_with_nothing_to_say_get_no_mail_and_no_digest_is_sent() -> None:
    facts = WeekFacts("瑞河县", AS_OF, (unit(1, "县水利局"), unit(2, "青石镇")))
    assert compose_weekly(facts, ["gkb@example.gov.cn"], TEMPLATES) == []


def test_weeks_missed_earlier_in_the_quarter_alone_are_not_behind() -> None:
    caught_up = unit(1, "县水利局")
    caught_up = UnitFacts(**{**caught_up.__dict__, "missed_this_quarter": (date(2024, 4, 22),)})
    assert not caught_up.behind


def test_digest_lists_units_by_severity_and_names_those_without_contacts() -> None:
    facts = WeekFacts("瑞河县人民政府门户网站", AS_OF, (
        unit(1, "县卫健委", dead=3),
        unit(2, "县水利局", overdue=2, missed_month=1),
        unit(3, "县民政局", overdue=2, missed_month=2, contacts=()),
        unit(4, "青石镇", due_soon=1),
    ))
    messages = compose_weekly(facts, ["gkb@example.gov.cn"], TEMPLATES)
    assert [(m.kind, m.unit_id) for m in messages] == [
        ("weekly", 2), ("weekly", 1), ("weekly", 4), ("digest", None)]
    digest = messages[-1]
    assert digest.dedupe_key == "digest:2024-05-13"
    assert digest.recipients == ("gkb@example.gov.cn",)
    lines = [line for line in digest.body_text.splitlines() if line[:2] in ("1.", "2.", "3.", "4.")]
    assert [line.split("（")[0] for line in lines] == [
        "1. 县民政局", "2. 县水利局", "3. 县卫健委", "4. 青石镇"]
    assert "未配置联系人，本周提醒未能发送" in lines[0]
    assert "未配置联系人" in digest.body_html


def test_dedupe_keys_name_kind_week_and_unit() -> None:
    facts = WeekFacts("瑞河县", AS_OF, (unit(7, "县水利局", overdue=1, due_soon=1),))
    weekly = compose_weekly(facts, [], TEMPLATES)
    due = compose_due_soon(facts, TEMPLATES)
    assert [m.dedupe_key for m in weekly] == ["weekly:2024-05-13:unit:7"]
    assert [m.dedupe_key for m in due] == ["due_soon:2024-05-13:unit:7"]


def test_html_part_escapes_crawled_text_and_subject_is_one_line() -> None:
    hostile = unit(1, "县水利局\n<script>x</script>", overdue=1)
    facts = WeekFacts("瑞河县", AS_OF, (hostile,))
    [message] = compose_weekly(facts, [], TEMPLATES)
    assert "<script>" not in message.body_html
    assert "&lt;script&gt;" in message.body_html
    assert "\n" not in message.subject
    assert message.subject.startswith("【政务公开周提醒】县水利局 <script>x</script>：")


def test_one_line_removes_every_line_break() -> None:
    assert one_line("a\r\nBcc: x@y.z\u2028b\tc") == "a Bcc: x@y.z b c"
