"""Problem details: facts stored, words chosen when read, in Chinese or English (SPEC §9)."""

from __future__ import annotations

import re

import pytest

from monitor.domain import ProblemType
from monitor.problem_details import decode, detail_text, encode, missing_renderers, note_text

T = ProblemType

# One stored detail per problem type, with what the office reads and what MONITOR_LANG=en
# reads.
CASES = [
    (T.BROKEN_LINK, {"reason": "http_404", "http_status": 404, "redirects": 2, "pages": 1},
     "页面不存在（HTTP 404，经2次跳转）", "Page not found (HTTP 404, after 2 redirects)"),
    (T.BROKEN_LINK, {"reason": "http_404", "http_status": 404, "redirects": 0, "pages": 922,
                     "site_wide": "home"},
     "页面不存在（HTTP 404）；全站链接（位于首页，共922个页面）",
     "Page not found (HTTP 404); site-wide link (on the home page, 922 pages)"),
    (T.BROKEN_LINK, {"reason": "redirect_loop", "http_status": None, "redirects": 0,
                     "pages": 2},
     "循环跳转；共2个页面", "redirect loop; on 2 pages"),
    (T.DEAD_IMAGE, {"reason": "not_image", "http_status": 200, "redirects": 0, "pages": 1},
     "不是图片", "not an image"),
    (T.BROKEN_ATTACHMENT, {"reason": "http_503", "http_status": 503, "redirects": 0,
                           "pages": 1},
     "服务器出错（HTTP 503）", "Server error (HTTP 503)"),
    (T.BLOCKED, {"reason": "waf_challenge", "http_status": 412, "redirects": 0, "pages": 1},
     "无法核实：被访问防护拦截（HTTP 412）",
     "could not be verified: stopped by a firewall (HTTP 412)"),
    (T.OVERDUE_COLUMN, {"cycle": "weekly", "due": "2024-04-28", "last_post": "2024-04-19"},
     "每周更新栏目，应于2024-04-28前更新，最近发布2024-04-19",
     "Weekly column, due by 2024-04-28, last post 2024-04-19"),
    (T.DUE_SOON_COLUMN, {"cycle": "monthly", "due": "2024-05-31", "last_post": None},
     "每月更新栏目，尚未更新，应于2024-05-31前更新，最近发布无",
     "Monthly column, not yet updated, due by 2024-05-31, last post none"),
    (T.EMPTY_COLUMN, {}, "栏目从未发布信息", "the column has never posted anything"),
    (T.STALE_NATIONAL, {"category": "dynamics", "limit": 14, "last_post": None,
                        "has_posts": False},
     "栏目无任何信息；动态类栏目应在14天内更新",
     "the column has no posts; news columns must be updated within 14 days"),
    (T.STALE_NATIONAL, {"category": "notice", "limit": 183, "last_post": "2023-10-01",
                        "age": 222, "has_posts": True},
     "最近发布2023-10-01，已222天未更新（通知公告类栏目不超过183天）",
     "last post 2023-10-01, not updated for 222 days (notices columns: at most 183 days)"),
    (T.UNREACHABLE_COLUMN, {"outcome": "unreachable", "reason": "timeout"},
     "最近一次抓取无法访问栏目：访问超时", "the last crawl could not open the column: timed out"),
    (T.UNDATED_POST, {"title": "关于防汛的通知"}, "列表和正文均未标注发布日期：关于防汛的通知",
     "no publication date in the list or the article: 关于防汛的通知"),
    (T.BACKDATED_POST, {"claimed": "2024-04-25", "first_seen": "2024-05-01", "days_late": 6},
     "标注日期2024-04-25，首次发现于2024-05-01（晚6天）",
     "dated 2024-04-25, first seen 2024-05-01 (6 days later)"),
    (T.PRIVACY_LEAK, {"where": "text", "kind": "mobile", "masked": "139****2468",
                      "context": "联系电话139****2468", "occurrences": 2},
     "正文疑似泄露手机号码 139****2468：“联系电话139****2468”（共2处）",
     "the text may disclose a mobile number 139****2468: \"联系电话139****2468\" (2 times)"),
    (T.HIDDEN_LINK, {"target": "http://spam.example.com/", "text": "",
                     "hiding": {"method": "display_none", "source": "inline",
                                "enclosing": "div"}},
     "暗链：隐藏的站外链接 http://spam.example.com/（隐藏方式：外层元素设为不显示，由行内样式设置）",
     "hidden link: a hidden off-site link http://spam.example.com/ (hidden how: an enclosing "
     "element is not displayed, set by an inline style)"),
    (T.WRONG_EXPRESSION, {"where": "title", "wrong": "安监局", "right": "应急管理局",
                          "category": "outdated_institution", "sentence": "县安监局召开会议"},
     "标题表述错误：“安监局”应为“应急管理局”（机构名称已调整）：县安监局召开会议",
     "wrong expression in the title: \"安监局\" should be \"应急管理局\" (institution renamed): "
     "县安监局召开会议"),
    (T.SITE_UNREACHABLE, {"night": "2024-05-08", "host": "http://img.example.gov.cn",
                          "checked": 12},
     "2024-05-08抓取时网站服务器http://img.example.gov.cn无应答：所查12个链接均无应答；"
     "这些链接当晚未检查，不据此判定错链",
     "the server http://img.example.gov.cn did not answer the crawl of 2024-05-08: none of "
     "the 12 links checked answered; those links were not checked that night and are not "
     "called broken"),
    (T.SITE_UNREACHABLE, {"first_day": "2024-05-06", "last_day": "2024-05-12", "probes": 140,
                          "failures": 14},
     "2024-05-06至2024-05-12共监测140次，14次未能在规定时间内打开（10.00%）",
     "140 probes from 2024-05-06 to 2024-05-12, 14 did not open in time (10.00%)"),
    (T.NATIONAL_WARNING, {"key": "blank_columns", "value": 2, "unit": "columns", "veto": False,
                          "warning": 2, "threshold": 5},
     "空白栏目：2个，已达到预警线（预警线2，否决标准≥5个）",
     "blank columns: 2, at the warning level (warning level 2, veto at ≥5)"),
    (T.NATIONAL_WARNING, {"key": "home_not_updated", "value": 16, "unit": "days",
                          "veto": True, "warning": 10, "threshold": 14},
     "首页不更新：16天，已达到单项否决标准（预警线10，否决标准超过14天）",
     "home page not updated: 16 days, past the veto threshold (warning level 10, veto at "
     "more than 14 days)"),
]
IDS = [f"{case[0].value}-{n}" for n, case in enumerate(CASES)]

_ENGLISH_WORD = re.compile(r"[A-Za-z]{2,}")


@pytest.mark.parametrize(("problem_type", "facts", "chinese", "_english"), CASES, ids=IDS)
def test_details_read_in_plain_chinese(problem_type, facts, chinese, _english):
    text = detail_text(problem_type, encode(facts))
    assert text == chinese
    words = set(_ENGLISH_WORD.findall(re.sub(r"https?://\S+?(?=[（），]|$)", "", text)))
    assert words <= {"HTTP"}


@pytest.mark.parametrize(("problem_type", "facts", "_chinese", "english_text"), CASES,
                         ids=IDS)
def test_details_read_in_english_with_monitor_lang_en(english, problem_type, facts, _chinese,
                                                      english_text):
    assert detail_text(problem_type, encode(facts)) == english_text


def test_every_problem_type_stores_facts():
    assert missing_renderers() == []
    assert {case[0] for case in CASES} == set(ProblemType)


def test_a_detail_stored_as_a_sentence_reads_as_written():
    assert decode("页面不存在") is None
    assert detail_text(T.BROKEN_LINK, "HTTP 404") == "HTTP 404"
    assert detail_text(T.BROKEN_LINK, "{not json") == "{not json"


def test_the_same_facts_are_stored_as_the_same_text():
    assert encode({"b": 1, "a": "页"}) == encode({"a": "页", "b": 1}) == '{"a":"页","b":1}'


@pytest.mark.parametrize(("note", "chinese", "english_text"), [
    ("found", "发现问题", "found"),
    ("no longer found", "复查未再发现，视为已整改", "no longer found, taken as fixed"),
    ("reopened by an officer (was ignored)", "工作人员重新打开（原为已忽略）",
     "reopened by an officer (was ignored)"),
    ("found again after being fixed: 页面", "整改后再次发现：页面",
     "found again after being fixed: 页面"),
    ("误报，已与单位核实", "误报，已与单位核实", "误报，已与单位核实"),
])
def test_history_notes_read_in_the_active_language(note, chinese, english_text, request):
    assert note_text(note) == chinese
    request.getfixturevalue("english")
    assert note_text(note) == english_text
