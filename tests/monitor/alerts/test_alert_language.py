"""The weekly alerts in the reader's language (SPEC §9): the same week's e-mail to a unit,
digest to the office and chat messages, in Chinese by default and in English with
MONITOR_LANG=en. The names of the site, units and columns come from the config and stay as
written; everything our own texts say follows the language.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from monitor import i18n
from monitor.alerts.chatcompose import compose_chat_due_soon, compose_chat_weekly
from monitor.alerts.compose import ComposedMessage, compose_due_soon, compose_weekly
from monitor.alerts.facts import (
    ColumnLag,
    CrawlState,
    MailNotDelivered,
    PageProblem,
    UnitFacts,
    WeekFacts,
)
from monitor.alerts.templates import AlertTemplates
from monitor.config import ChatConfig
from monitor.domain import ColumnStatus, Cycle, ProblemType
from monitor.problem_details import detail_text, encode
from monitor.rules.national import NationalItem, NationalKey, NationalResult
from monitor.services.national import national_section

MONDAY = date(2024, 5, 13)
SITE = "瑞河县人民政府门户网站"
# What the config names: the only Chinese an English alert may hold.
CONFIG_NAMES = (SITE, "县水利局", "县民政局", "县直单位", "工作动态", "通知公告", "机构职能",
                "政策文件")
CJK = re.compile(r"[\u3400-\u9fff\u3000-\u303f\uff00-\uffef]")
URL_OR_ADDRESS = re.compile(r"(?:https?|dingtalk|wecombot)://\S+|[\w.+-]+@[\w.-]+")
ENGLISH_WORD = re.compile(r"[A-Za-z]{2,}")
# Latin letters the Chinese texts write too.
CHINESE_ALLOWED = {"HTTP"}


def week_facts() -> WeekFacts:
    """A week with something in every part of the messages."""
    never = ColumnLag("机构职能", "http://127.0.0.1:8000/jgzn/", Cycle.YEARLY,
                      ColumnStatus.EMPTY, None, None)
    missing = ColumnLag("工作动态", "http://127.0.0.1:8000/gzdt/", Cycle.WEEKLY,
                        ColumnStatus.OVERDUE, date(2024, 4, 19), date(2024, 4, 28))
    late = ColumnLag("通知公告", "http://127.0.0.1:8000/tzgg/", Cycle.MONTHLY,
                     ColumnStatus.OVERDUE, date(2024, 5, 8), date(2024, 4, 30))
    soon = ColumnLag("政策文件", "http://127.0.0.1:8000/zcwj/", Cycle.QUARTERLY,
                     ColumnStatus.DUE_SOON, date(2024, 3, 1), date(2024, 5, 16))
    down = dataclass_copy(missing, status=ColumnStatus.UNREACHABLE)
    dead = PageProblem(ProblemType.BROKEN_LINK, "http://127.0.0.1:8000/gzdt/2.html",
                       "http://old.example.gov.cn/",
                       detail_text(ProblemType.BROKEN_LINK, encode({"http_status": 404})),
                       MONDAY, None, date(2024, 5, 7))
    hidden = PageProblem(ProblemType.HIDDEN_LINK, "http://127.0.0.1:8000/gzdt/3.html",
                         "http://spam.example.com/", "", MONDAY)
    water = UnitFacts(
        unit_id=1, name="县水利局", group="县直单位", contacts=("slj@example.gov.cn",),
        overdue=(never, missing, late), due_soon=(soon,),
        missed_this_month=(date(2024, 5, 6),),
        missed_this_quarter=(date(2024, 4, 29), date(2024, 5, 6)),
        dead_targets=(dead,), unreachable=(down,), urgent=(hidden,),
        chat=("dingtalk://${TOKEN}",))
    civil = UnitFacts(
        unit_id=2, name="县民政局", group="县直单位", contacts=(), overdue=(missing,),
        due_soon=(), missed_this_month=(), missed_this_quarter=(), dead_targets=())
    national = national_section(NationalResult(MONDAY, (
        NationalItem(NationalKey.BLANK_COLUMNS, 5, "columns", 5, 2, True, True,
                     ({"unit": "县水利局", "column": "机构职能", "last_post": None},)),
        NationalItem(NationalKey.HOME_NOT_UPDATED, 3, "days", 14, 10, False, False, ()),
        NationalItem(NationalKey.SITE_UNAVAILABLE, None, "%", 5, 3, False, False, ()),
    )))
    return WeekFacts(
        SITE, MONDAY, (water, civil), rectify_by=date(2024, 5, 20), site_wide=(dead,),
        last_crawl=CrawlState(MONDAY, "finished", 40, 2, None),
        undelivered=(MailNotDelivered("slj@example.gov.cn", "weekly", date(2024, 5, 6),
                                      True, "550 5.1.1"),),  # the server's own words
        national=national)


def dataclass_copy(lag: ColumnLag, **changes: object) -> ColumnLag:
    return ColumnLag(**{**lag.__dict__, **changes})


def all_messages() -> list[ComposedMessage]:
    facts, templates = week_facts(), AlertTemplates()
    chat = ChatConfig(office=["wecombot://${OFFICE_KEY}"], link_base="https://jc.example.gov.cn/")
    return (compose_weekly(facts, ["gkb@example.gov.cn"], templates)
            + compose_due_soon(facts, templates)
            + compose_chat_weekly(facts, chat, templates)
            + compose_chat_due_soon(facts, chat, templates))


def readable(message: ComposedMessage) -> str:
    """What a person reads of a message: subject, text and the HTML part's text."""
    body = re.split(r"<body[^>]*>", message.body_html, maxsplit=1)[-1]
    html_text = re.sub(r"<[^>]+>", " ", body)
    return "\n".join((message.subject, message.body_text, html_text))


def test_every_kind_of_message_is_composed() -> None:
    kinds = {(message.kind, message.channel.partition(":")[0]) for message in all_messages()}
    assert kinds == {("weekly", "email"), ("digest", "email"), ("due_soon", "email"),
                     ("weekly", "dingtalk"), ("digest", "wecombot"), ("due_soon", "dingtalk")}


def test_by_default_the_alerts_are_chinese_without_an_english_word() -> None:
    for message in all_messages():
        text = URL_OR_ADDRESS.sub(" ", readable(message))
        words = set(ENGLISH_WORD.findall(text)) - CHINESE_ALLOWED
        assert not words, (message.kind, message.channel, words)


def test_by_default_the_dates_and_the_national_lines_are_as_the_office_writes_them() -> None:
    [water, digest] = compose_weekly(week_facts(), ["gkb@example.gov.cn"], AlertTemplates())
    assert water.subject == ("【政务公开周提醒】县水利局：1处疑似泄露隐私或暗链，2个栏目逾期未更新"
                             "（2024年5月6日—5月12日）")
    assert "   未达标周次：2024年4月29日—5月5日、2024年5月6日—5月12日\n" in water.body_text
    assert ("   - 空白栏目：5个（否决标准≥5个），单项否决；涉及县水利局机构职能（最近发布无）"
            in digest.body_text)
    assert "   - 其余各项正常：首页不更新（3天）、站点无法访问（未判定）" in digest.body_text


@pytest.mark.usefixtures("english")
def test_in_english_no_chinese_remains_but_the_configs_names() -> None:
    for message in all_messages():
        text = readable(message)
        for name in CONFIG_NAMES:
            text = text.replace(name, " ")
        assert not CJK.findall(text), (message.kind, message.channel, CJK.findall(text),
                                       message.body_text)


@pytest.mark.usefixtures("english")
def test_in_english_the_weeks_and_days_read_as_english_dates() -> None:
    [water, digest] = compose_weekly(week_facts(), ["gkb@example.gov.cn"], AlertTemplates())
    assert water.subject == ("[Open Government Weekly Reminder] 县水利局: 1 suspected privacy "
                             "leak or hidden link, 2 columns overdue (6–12 May 2024)")
    assert "   Weeks missed: 29 April – 5 May 2024, 6–12 May 2024\n" in water.body_text
    assert "please rectify by 20 May" in water.body_text
    assert '<html lang="en">' in water.body_html
    assert digest.subject == ("[Open Government Weekly Digest] national indicators failed "
                              "(single veto), crawl incomplete, 2 units behind on updates or "
                              "with problems (6–12 May 2024)")
    assert ("   - blank columns: 5 (veto threshold: ≥5), vetoes the site; concerns 县水利局 机构职能 "
            "(last post none)") in digest.body_text
    assert ("   - all other items normal: home page not updated (3 days), site unavailable "
            "(not judged)") in digest.body_text


@pytest.mark.usefixtures("english")
def test_in_english_a_chat_message_ends_with_its_english_link_line() -> None:
    chat = [message for message in all_messages() if message.channel != "email"]
    assert chat[0].subject == "[Open Government Weekly Reminder] 县水利局 (6–12 May 2024)"
    assert chat[0].body_text.endswith(
        "Please rectify by 20 May.\nDetails: https://jc.example.gov.cn/units/"
        "%E5%8E%BF%E6%B0%B4%E5%88%A9%E5%B1%80")
    assert "2 units need to be urged to rectify (asked to rectify by 20 May):" in chat[1].body_text


def test_an_offices_own_templates_without_gettext_render_as_written(tmp_path: Path) -> None:
    for part, text in {
        "subject": "{{ unit.name }}：{{ reviewed_week|week_range }}",
        "txt": "截至{{ as_of|cn_date }}，{{ unit.name }}请于{{ rectify_by|month_day }}前整改。",
        "html": "<p>{{ unit.name }}：{{ as_of|cn_date }}</p>",
    }.items():
        (tmp_path / f"alert_unit.{part}.j2").write_text(text, encoding="utf-8")
    facts = week_facts()
    [message] = compose_weekly(facts, [], AlertTemplates(tmp_path))
    assert message.subject == "县水利局：2024年5月6日—5月12日"
    assert message.body_text == "截至2024年5月13日，县水利局请于5月20日前整改。"
    assert message.body_html == "<p>县水利局：2024年5月13日</p>"


def test_an_offices_own_template_may_word_its_texts_through_the_catalogues(tmp_path: Path) -> None:
    (tmp_path / "alert_unit.chat.j2").write_text(
        '{{ _("请及时整改。") }} {{ ngettext("%(num)d周", "%(num)d周", 2) }}', encoding="utf-8")
    templates = AlertTemplates(tmp_path)

    def chat_text() -> str:
        return compose_chat_weekly(week_facts(), ChatConfig(), templates)[0].body_text

    assert chat_text() == "请及时整改。 2周"
    with i18n.speaking("en"):
        assert chat_text() == "Please rectify promptly. 2 weeks"
