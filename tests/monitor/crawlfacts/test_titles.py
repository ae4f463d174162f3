"""A list title cut short is completed from the article's title, and only then."""

import pytest

from monitor.crawlfacts.titles import completed_title

FULL = "县财政局：债务风险防控工作取得阶段性成效"


@pytest.mark.parametrize("listed", [
    "县财政局：债务风险防控工作取得阶…",
    "县财政局：债务风险防控工作取得阶...",
    "县财政局：债务风险防控工作取得阶……",
    "县财政局：债务风险防控工作取得阶⋯",
    "县财政局：债务风险防控工作取得阶",  # cut without a mark: a beginning of the title
    "县财政局： 债务风险防控工作取得阶…",
])
def test_a_cut_list_title_takes_the_articles_whole_title(listed: str) -> None:
    assert completed_title(listed, FULL) == FULL


@pytest.mark.parametrize(("listed", "article"), [
    (FULL, FULL),  # not cut
    ("县财政局：债务风险防控工作取得阶…", "瑞河县人民政府门户网站"),  # the page's h1 is the site
    ("关于印发实施方案的通知", "关于印发实施方案的通知（修订）"[:5]),  # the article's is shorter
    ("...", FULL),
    ("县水利局召开防汛工作会议", FULL),
])
def test_a_list_title_the_article_does_not_continue_is_kept(listed: str, article: str) -> None:
    assert completed_title(listed, article) is None
