import codecs

from crawler.extract.encoding import decode_html, normalize_charset

TITLE = "县水利局工作动态"


def page(charset_meta: str | None, body: str = TITLE) -> str:
    meta = f'<meta charset="{charset_meta}">' if charset_meta else ""
    return f"<html><head>{meta}<title>{body}</title></head><body>{body}</body></html>"


def test_bom_wins_over_header_and_meta():
    body = codecs.BOM_UTF8 + page("gbk").encode("utf-8")
    text, encoding = decode_html(body, "text/html; charset=gbk")
    assert encoding == "utf-8" and TITLE in text


def test_header_charset_is_used_when_it_decodes_cleanly():
    text, encoding = decode_html(page(None).encode("gb18030"), "text/html; charset=GBK")
    assert encoding == "gb18030" and TITLE in text


def test_gb2312_and_gbk_labels_are_read_as_gb18030():
    assert normalize_charset("GB2312") == "gb18030"
    assert normalize_charset("x-gbk") == "gb18030"
    # 䶮 is outside GB2312 and GBK; a browser still shows it on a "gb2312" page.
    raw = page("gb2312", "䶮").encode("gb18030")
    text, encoding = decode_html(raw)
    assert encoding == "gb18030" and "䶮" in text


def test_meta_http_equiv_is_read_when_there_is_no_header():
    raw = ('<meta http-equiv="Content-Type" content="text/html; charset=gb2312">'
           f"<p>{TITLE}</p>").encode("gb18030")
    text, encoding = decode_html(raw, "text/html")
    assert encoding == "gb18030" and TITLE in text


def test_header_utf8_with_gbk_body_and_gbk_meta_follows_the_clean_meta():
    raw = page("gbk").encode("gb18030")
    text, encoding = decode_html(raw, "text/html; charset=utf-8")
    assert encoding == "gb18030" and TITLE in text


def test_header_gbk_with_utf8_body_and_utf8_meta_follows_the_clean_meta():
    raw = page("utf-8").encode("utf-8")
    text, encoding = decode_html(raw, "text/html; charset=gbk")
    assert encoding == "utf-8" and TITLE in text


def test_header_latin1_on_a_chinese_page_yields_to_the_meta():
    raw = page("utf-8").encode("utf-8")
    text, encoding = decode_html(raw, "text/html; charset=ISO-8859-1")
    assert encoding == "utf-8" and TITLE in text


def test_header_wins_when_the_meta_is_the_one_that_is_wrong():
    raw = page("gbk").encode("utf-8")
    text, encoding = decode_html(raw, "text/html; charset=utf-8")
    assert encoding == "utf-8" and TITLE in text


def test_header_gbk_and_meta_utf8_on_a_real_gbk_body_keep_the_header():
    raw = page("utf-8").encode("gb18030")
    text, encoding = decode_html(raw, "text/html; charset=gbk")
    assert encoding == "gb18030" and TITLE in text


def test_undeclared_pages_are_sniffed_utf8_then_gb18030():
    assert decode_html(page(None).encode("utf-8")).encoding == "utf-8"
    text, encoding = decode_html(page(None).encode("gb18030"))
    assert encoding == "gb18030" and TITLE in text


def test_bytes_invalid_everywhere_are_replaced_not_raised():
    raw = page("utf-8").encode("utf-8") + b"\xff\xfe\xff"
    text, encoding = decode_html(raw, "text/html; charset=utf-8")
    assert encoding == "utf-8" and "\ufffd" in text and TITLE in text


def test_unknown_charset_label_is_ignored():
    assert decode_html(page("no-such-charset").encode("utf-8")).encoding == "utf-8"
