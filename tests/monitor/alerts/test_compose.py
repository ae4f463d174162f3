from __future__ import annotations

import dataclasses
from datetime import date

from monitor.alerts.compose import compose_due_soon, compose_weekly, one_line
from monitor.alerts.facts import ColumnLag, CrawlState, PageProblem, UnitFacts, WeekFacts
from monitor.alerts.templates import AlertTemplates
from monitor.domain import ColumnStatus, Cycle, ProblemType
from reports.model import NationalLine, NationalSection

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
        dead_targets=tuple(PageProblem(ProblemType.BROKEN_LINK, "http://p/", f"http://t/{i}",
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


MONDAY = date(2024, 5, 13)


def lateness_unit() -> UnitFacts:
    never = ColumnLag("机构职能", "http://127.0.0.1:8000/jgzn/", Cycle.YEARLY,
                      ColumnStatus.EMPTY, None, None)
    missing = ColumnLag("工作动态", "http://127.0.0.1:8000/gzdt/", Cycle.WEEKLY,
                        ColumnStatus.OVERDUE, date(2024, 4, 19), date(2024, 4, 28))
    late = ColumnLag("通知公告", "http://127.0.0.1:8000/tzgg/", Cycle.MONTHLY,
                     ColumnStatus.OVERDUE, date(2024, 5, 8), date(2024, 4, 30))
    leak = PageProblem(ProblemType.PRIVACY_LEAK, "http://127.0.0.1:8000/gzdt/1.html", "",
                       "正文疑似泄露身份证号 1101**********1234", date(2024, 5, 13),
                       "关于低保对象的公示", date(2024, 5, 9))
    dead = PageProblem(ProblemType.BROKEN_LINK, "http://127.0.0.1:8000/gzdt/2.html",
                       "http://old.example.gov.cn/", "页面不存在（HTTP 404）", date(2024, 5, 13),
                       "防汛工作部署会召开", date(2024, 5, 7))
    return UnitFacts(unit_id=1, name="县水利局", group="县直单位", contacts=("s@example.gov.cn",),
                     overdue=(never, missing, late), due_soon=(), missed_this_month=(),
                     missed_this_quarter=(), dead_targets=(dead,), urgent=(leak,))


def test_a_units_alert_puts_privacy_leaks_first_then_separates_the_overdue_columns() -> None:
    facts = WeekFacts("瑞河县人民政府门户网站", MONDAY, (lateness_unit(),),
                      rectify_by=date(2024, 5, 20))
    [message] = compose_weekly(facts, [], TEMPLATES)
    text = message.body_text
    order = [text.index(heading) for heading in (
        "【请立即处理：疑似泄露个人隐私】1处", "【栏目从未发布】1个", "【逾期未发布】1个",
        "【逾期发布（已补发）】1个", "【错链、断链及无法显示的图片】1个")]
    assert order == sorted(order)
    assert ("1. 疑似泄露个人隐私：《关于低保对象的公示》（2024年5月9日发布）\n"
            "   页面：http://127.0.0.1:8000/gzdt/1.html\n"
            "   正文疑似泄露身份证号 1101**********1234；发现日期：2024年5月13日") in text
    assert "1. 机构职能（每年更新）：至今没有任何信息" in text
    assert "应更新日期：2024年4月30日；补发日期：2024年5月8日" in text
    assert "所在文章：《防汛工作部署会召开》（2024年5月7日发布）" in text
    assert "请于5月20日前整改" in text and "请于5月20日前整改" in message.body_html
    # Posted late is done: the subject counts the two columns still to be updated.
    assert message.subject == (
        "【政务公开周提醒】县水利局：1处疑似泄露隐私或暗链，2个栏目逾期未更新"
        "（2024年5月6日—5月12日）")


def test_a_privacy_leak_alone_is_reason_enough_to_write_to_the_unit() -> None:
    leak_only = UnitFacts(**{**lateness_unit().__dict__, "overdue": (), "dead_targets": ()})
    assert leak_only.behind
    [message] = compose_weekly(WeekFacts("瑞河县", MONDAY, (leak_only,)), [], TEMPLATES)
    assert message.subject == "【政务公开周提醒】县水利局：1处疑似泄露隐私或暗链，请立即处理（2024年5月6日—5月12日）"


def test_the_digest_says_the_crawl_failed_and_lists_unreachable_and_site_wide_problems() -> None:
    down = ColumnLag("工作动态", "http://127.0.0.1:8000/gzdt/", Cycle.WEEKLY,
                     ColumnStatus.UNREACHABLE, date(2024, 5, 8), date(2024, 5, 12))
    quiet = UnitFacts(**{**unit(1, "县水利局").__dict__, "unreachable": (down,)})
    footer = PageProblem(ProblemType.BROKEN_LINK, "http://127.0.0.1:8000/", "http://gone.example/",
                         "拒绝连接", date(2024, 5, 13))
    facts = WeekFacts("瑞河县人民政府门户网站", MONDAY, (quiet,), site_wide=(footer,),
                      last_crawl=CrawlState(MONDAY, "finished", 40, 10, None))
    [digest] = compose_weekly(facts, ["gkb@example.gov.cn"], TEMPLATES)
    assert digest.kind == "digest"
    assert digest.subject.startswith("【政务公开周报】采集未完成，0个单位")
    assert "2024年5月13日的采集未完成：40个栏目读取成功，10个栏目读取失败" in digest.body_text
    assert "【无法访问的栏目】1个（不计入单位逾期）\n   - 县水利局：工作动态" in digest.body_text
    assert "【全站问题】1个" in digest.body_text
    assert "错链/断链：http://gone.example/" in digest.body_text


def national(veto: bool, warned: bool) -> NationalSection:
    return NationalSection(AS_OF, veto, (
        NationalLine("站点无法访问", "未判定", "≥5%", False, False, ()),
        NationalLine("空白栏目", "5个" if veto else "2个", "≥5个", veto, warned,
                     ("县水利局通知公告（最近发布无）",)),
    ))


def test_a_national_veto_alone_sends_the_digest_and_is_named_in_its_subject() -> None:
    facts = WeekFacts("瑞河县", AS_OF, (unit(1, "县水利局"),), national=national(True, True))
    [digest] = compose_weekly(facts, ["gkb@example.gov.cn"], TEMPLATES)
    assert digest.subject.startswith("【政务公开周报】国办指标存在单项否决项，0个单位")
    assert ("   - 空白栏目：5个（否决标准≥5个），单项否决；涉及县水利局通知公告（最近发布无）"
            in digest.body_text)
    assert "<strong>空白栏目：5个（否决标准≥5个），单项否决</strong>" in digest.body_html


def test_an_early_warning_alone_sends_the_digest_without_a_veto_in_its_subject() -> None:
    facts = WeekFacts("瑞河县", AS_OF, (unit(1, "县水利局"),), national=national(False, True))
    [digest] = compose_weekly(facts, ["gkb@example.gov.cn"], TEMPLATES)
    assert "国办指标" not in digest.subject
    assert "网站未触及单项否决项" in digest.body_text
    assert "   - 其余各项正常：站点无法访问（未判定）" in digest.body_text


def test_national_items_all_normal_send_no_digest_on_their_own() -> None:
    facts = WeekFacts("瑞河县", AS_OF, (unit(1, "县水利局"),), national=national(False, False))
    assert compose_weekly(facts, ["gkb@example.gov.cn"], TEMPLATES) == []


def test_a_privacy_leaks_masked_number_is_labelled_as_the_number_found() -> None:
    leak = PageProblem(ProblemType.PRIVACY_LEAK, "http://127.0.0.1:8000/gzdt/1.html",
                       "139****2468", "正文疑似泄露手机号码 139****2468", date(2024, 5, 13))
    hidden = PageProblem(ProblemType.HIDDEN_LINK, "http://127.0.0.1:8000/gzdt/2.html",
                         "http://spam.example.com/", "暗链", date(2024, 5, 13))
    facts = WeekFacts("瑞河县人民政府门户网站", MONDAY,
                      (dataclasses.replace(unit(1, "县水利局"), urgent=(leak, hidden)),))
    [message] = compose_weekly(facts, [], TEMPLATES)
    assert "；号码：139****2468；" in message.body_text
    assert "链接：139****2468" not in message.body_text
    assert "；链接：http://spam.example.com/；" in message.body_text
    assert "号码：139****2468" in message.body_html
