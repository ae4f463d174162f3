import warnings
from datetime import date

import pytest

from crawler.extract.html import parse_html
from monitor.content import ContentFinding, check_article
from monitor.content.expressions import ExpressionDictionary
from monitor.domain import ProblemType

PAGE = "http://www.ruihe.gov.cn/slj/gzdt/art_7.html"
SITE = ["www.ruihe.gov.cn"]
ID_NUMBER = "360722197702280095"
MOBILE = "13812345678"


@pytest.fixture(scope="module")
def dictionary() -> ExpressionDictionary:
    return ExpressionDictionary.load_default()


def _check(title: str, text: str, html: str, dictionary) -> list[ContentFinding]:
    return check_article(title, text, html, PAGE, SITE, dictionary)


def test_each_kind_of_problem_becomes_a_finding(dictionary):
    html = "<p>正文</p><div style='display:none'><a href='http://spam.example.com/'>彩票</a></div>"
    text = f"经县环保局审核，低保对象王某（身份证号{ID_NUMBER}，电话{MOBILE}）名单如下。"
    findings = _check("县环保局开展检查", text, html, dictionary)
    assert [(f.problem_type, f.where) for f in findings] == [
        (ProblemType.PRIVACY_LEAK, "text"),
        (ProblemType.PRIVACY_LEAK, "text"),
        (ProblemType.HIDDEN_LINK, "html"),
        (ProblemType.WRONG_EXPRESSION, "title"),
    ]
    assert findings[-1].occurrences == 2  # once in the title, once in the text


def test_keys_are_stable_and_carry_no_full_number(dictionary):
    text = f"身份证号{ID_NUMBER}，电话{MOBILE}"
    first = _check("", text, "", dictionary)
    again = _check("", "另起一段。" + text, "", dictionary)
    assert [f.key for f in first] == [f.key for f in again] == [
        "privacy_leak:id_card:36**************95",
        "privacy_leak:mobile:138****5678",
    ]
    for finding in first:
        for field in (finding.key, finding.target, finding.detail):
            assert ID_NUMBER not in field and MOBILE not in field


def test_detail_is_a_chinese_report_line(dictionary):
    [privacy] = _check(f"联系人电话{MOBILE}", "", "", dictionary)
    assert privacy.detail.startswith("标题疑似泄露手机号码 138****5678：")
    [expression] = _check("", "县安监局召开会议。", "", dictionary)
    assert expression.detail == "正文表述错误：“安监局”应为“应急管理局”（机构名称已调整）：县安监局召开会议。"
    html = "<span style='font-size:0'><a href='http://spam.example.com/x'>药</a></span>"
    [hidden] = _check("", "", html, dictionary)
    assert hidden.target == "http://spam.example.com/x"
    assert hidden.key == "hidden_link:http://spam.example.com/x"
    assert "http://spam.example.com/x" in hidden.detail and "字号设为零" in hidden.detail


def test_same_hidden_target_twice_is_one_finding(dictionary):
    html = ("<div style='display:none'><a href='http://spam.example.com/'>a</a>"
            "<a href='http://spam.example.com/'>b</a></div>")
    [finding] = _check("", "", html, dictionary)
    assert finding.occurrences == 2


def test_clean_article_has_no_findings(dictionary):
    html = "<p>县自然资源局召开会议。</p><a href='http://www.gov.cn/'>中国政府网</a>"
    text = "县自然资源局召开会议，联系电话0797-7177965，文号2024138123456780号。"
    assert _check("县自然资源局召开会议", text, html, dictionary) == []


def test_publication_date_keeps_old_names_in_old_posts_unreported(dictionary):
    assert _check("", "县安监局召开会议。", "", dictionary) != []
    assert check_article("", "县安监局召开会议。", "", PAGE, SITE, dictionary,
                         published=date(2018, 5, 2)) == []


def test_parsed_root_from_the_crawler_gives_the_same_findings_as_the_text(dictionary):
    html = ("<p>正文</p><div style='display:none'><a href='http://spam.example.com/'>彩票</a>"
            "</div><span style='font-size:0'><a href='http://spam.example.com/x'>药</a></span>")
    text = f"低保对象王某（电话{MOBILE}）。"
    from_text = _check("县环保局开展检查", text, html, dictionary)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # lxml warns when an element's truth is asked
        from_root = _check("县环保局开展检查", text, parse_html(html), dictionary)
        assert _check("", "", parse_html(""), dictionary) == []
    assert from_root == from_text
    assert [f.problem_type for f in from_root].count(ProblemType.HIDDEN_LINK) == 2
