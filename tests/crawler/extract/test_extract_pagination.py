from crawler.extract.pagination import extract_pagination

BASE = "http://www.example.gov.cn/zwgk/zhxx/"


def test_trs_list_pager_call_gives_all_14_pages_and_skips_the_definition(trs_column_list):
    pager = extract_pagination(trs_column_list, BASE)
    assert pager.page_count == 14
    assert pager.current_page == 1
    assert pager.next_url == BASE + "index_1.html"
    assert pager.all_page_urls[0] == BASE + "index.html"
    assert pager.all_page_urls[-1] == BASE + "index_13.html"
    assert len(pager.all_page_urls) == 14


def test_trs_call_on_a_middle_page_points_to_the_following_page():
    markup = '<script>createPageHTML(5, 2, "index", "shtml");</script>'
    pager = extract_pagination(markup, BASE + "index_2.shtml")
    assert pager.next_url == BASE + "index_3.shtml" and pager.current_page == 3


def test_trs_call_on_the_last_page_has_no_next():
    markup = '<script>createPageHTML(3, 2, "index", "html");</script>'
    assert extract_pagination(markup, BASE + "index_2.html").next_url is None


def test_six_argument_trs_call_uses_a_one_based_current_page():
    markup = "<script>createPageHTML('page_div', 27, 1, 'fg', 'shtml', 530);</script>"
    pager = extract_pagination(markup, BASE + "fg.shtml")
    assert pager.page_count == 27
    assert pager.next_url == BASE + "fg_1.shtml"
    assert pager.all_page_urls[26] == BASE + "fg_26.shtml"


def test_count_page_variable_with_a_variable_call():
    markup = ("<script>var countPage = 4; var currentPage = 0;"
              'createPageHTML(countPage, currentPage, "list", "htm");</script>')
    pager = extract_pagination(markup, BASE)
    assert pager.page_count == 4 and pager.next_url == BASE + "list_1.htm"


def test_next_page_link_text():
    markup = ('<div class="page"><a href="?page=1">首页</a><span>1</span>'
              '<a href="?page=2">2</a><a href="?page=2">下一页</a>'
              '<a href="?page=7">尾页</a></div>')
    pager = extract_pagination(markup, BASE + "list.jsp")
    assert pager.next_url == BASE + "list.jsp?page=2"
    assert pager.page_count == 7


def test_page_number_links_without_a_next_link():
    markup = '<p><a href="list_1.htm">1</a> <a href="list_2.htm">2</a> <a href="list_3.htm">3</a></p>'
    pager = extract_pagination(markup, BASE + "list_1.htm")
    assert pager.next_url == BASE + "list_2.htm"


def test_query_page_numbers_follow_the_current_page():
    markup = '<a href="news.php?page=2">2</a><a href="news.php?page=3">3</a>'
    pager = extract_pagination(markup, BASE + "news.php?page=2")
    assert pager.next_url == BASE + "news.php?page=3"


def test_single_page_list_has_no_next():
    pager = extract_pagination("<ul><li><a href='a.html'>县局召开会议</a></li></ul>", BASE)
    assert pager.next_url is None and pager.page_count is None


def test_javascript_next_link_is_ignored():
    pager = extract_pagination('<a href="javascript:goPage(2)">下一页</a>', BASE)
    assert pager.next_url is None
