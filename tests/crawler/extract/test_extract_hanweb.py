from datetime import date

from crawler.extract.hanweb import (
    find_hanweb_query,
    hanweb_requests,
    inline_datastore,
    parse_datastore,
)

COLUMN_URL = "http://127.0.0.1:8000/col/col3171/index.html"

# A column page in the shape JCMS produces: an inline first window and the jpage call.
COLUMN_PAGE = """<html><body>
<div class="bt">工作动态</div>
<div id="div3171">
<script type="text/xml"><datastore>
<nextgroup><![CDATA[<a href="/module/web/jpage/dataproxy.jsp?page=1&amp;webid=12&amp;path=/&amp;columnid=3171&amp;unitid=9044&amp;webname=%E7%91%9E%E6%B2%B3%E5%8E%BF&amp;permissiontype=0"></a>]]></nextgroup>
<recordset>
<record><![CDATA[<li><a href="/art/2024/5/6/art_3171_88.html" title="瑞河县水利局召开汛期安全生产专题会议" target="_blank">瑞河县水利局召开汛期安全生产专题...</a><span class="date">2024-05-06</span></li>]]></record>
<record><![CDATA[<li><a href="/art/2024/4/30/art_3171_87.html" target="_blank">县水利局开展水库大坝巡查</a><span class="date">2024-04-30</span></li>]]></record>
</recordset></datastore></script>
</div>
<script type="text/javascript" src="/module/web/jpage/jpage.js"></script>
<script type="text/javascript">
$(document).ready(function(){
  $("#div3171").jpage({
    dataStore: dataStore, perPage: 15, totalRecord: 112, groupSize: 5,
    proxyUrl: "/module/web/jpage/dataproxy.jsp",
    ajaxParam: {col: 1, appid: 1, webid: 12, path: '/', columnid: 3171,
                sourceContentType: 1, unitid: 9044, webname: '瑞河县人民政府', permissiontype: 0}
  });
});
</script></body></html>"""

ANSWER = """<?xml version="1.0" encoding="UTF-8"?>
<datastore>
<totalrecord>112</totalrecord>
<recordset>
<record><![CDATA[
<li><a href="/art/2024/3/1/art_3171_50.html" target="_blank">县水利局部署春季河湖清四乱工作</a><span>2024-03-01</span></li>
]]></record>
<record><![CDATA[
<li><a href="http://127.0.0.1:8000/art/2024/2/27/art_3171_49.html">县水利局召开年度工作会议</a><span>2024-02-27</span></li>
]]></record>
</recordset>
</datastore>"""


def test_column_page_declares_proxy_page_size_total_and_form_fields():
    query = find_hanweb_query(COLUMN_PAGE, COLUMN_URL)
    assert query.proxy_url == "http://127.0.0.1:8000/module/web/jpage/dataproxy.jsp"
    assert query.per_page == 15
    assert query.total_records == 112
    assert query.field("columnid") == "3171"
    assert query.field("unitid") == "9044"
    assert query.field("col") == "1"
    assert query.field("appid") == "1"
    assert query.field("sourceContentType") == "1"
    assert query.field("path") == "/"
    assert query.field("permissiontype") == "0"
    assert query.field("page") is None


def test_windows_of_45_records_cover_the_whole_column():
    query = find_hanweb_query(COLUMN_PAGE, COLUMN_URL)
    calls = hanweb_requests(query)
    assert [(c.start_record, c.end_record) for c in calls] == [(1, 45), (46, 90), (91, 112)]
    assert calls[1].url == ("http://127.0.0.1:8000/module/web/jpage/dataproxy.jsp"
                            "?startrecord=46&endrecord=90&perpage=15")
    assert ("columnid", "3171") in calls[1].form
    assert "columnid=3171" in calls[1].get_url


def test_window_count_can_be_capped():
    query = find_hanweb_query(COLUMN_PAGE, COLUMN_URL)
    calls = hanweb_requests(query, records_per_call=20, max_records=50)
    assert [(c.start_record, c.end_record) for c in calls] == [(1, 20), (21, 40), (41, 50)]


def test_fields_can_come_from_the_proxy_url_alone():
    page = ('<script>var url = "/module/web/jpage/dataproxy.jsp?columnid=55&amp;unitid=7'
            '&amp;webid=2&amp;startrecord=1";</script>')
    query = find_hanweb_query(page, COLUMN_URL)
    assert dict(query.fields) == {"columnid": "55", "unitid": "7", "webid": "2"}
    assert query.total_records is None
    assert len(hanweb_requests(query)) == 1


def test_answer_records_become_list_items():
    answer = parse_datastore(ANSWER, COLUMN_URL)
    assert answer.total_records == 112
    assert [item.url for item in answer.items] == [
        "http://127.0.0.1:8000/art/2024/3/1/art_3171_50.html",
        "http://127.0.0.1:8000/art/2024/2/27/art_3171_49.html",
    ]
    assert answer.items[0].title == "县水利局部署春季河湖清四乱工作"
    assert answer.items[1].date == date(2024, 2, 27)


def test_inline_datastore_in_the_column_page():
    first = inline_datastore(COLUMN_PAGE, COLUMN_URL)
    assert [item.title for item in first.items] == [
        "瑞河县水利局召开汛期安全生产专题会议", "县水利局开展水库大坝巡查"]
    assert first.items[0].date == date(2024, 5, 6)


def test_page_without_dataproxy_is_not_hanweb():
    assert find_hanweb_query("<html><body><ul><li>x</li></ul></body></html>", COLUMN_URL) is None
    assert inline_datastore("<html></html>", COLUMN_URL) is None
