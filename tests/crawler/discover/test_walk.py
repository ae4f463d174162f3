"""The discovery walk's scope and budget."""

from __future__ import annotations

from crawler.discover.walk import Walk


def test_scope_is_the_start_hosts_and_the_sites_sub_domains() -> None:
    walk = Walk(("http://www.ruihe.gov.cn/", "http://platform.example.org/ruihe/"))
    assert walk.in_scope("http://xxgk.ruihe.gov.cn/col/col1/index.html")
    assert walk.in_scope("http://platform.example.org/other/")
    assert not walk.in_scope("http://www.gov.cn/")
    assert not walk.in_scope("http://other.gov.cn/")
    assert not walk.in_scope("mailto:gkb@ruihe.gov.cn")


def test_an_address_site_is_only_its_own_host_and_port() -> None:
    walk = Walk(("http://127.0.0.1:8000/",))
    assert walk.in_scope("http://127.0.0.1:8000/slj/")
    assert not walk.in_scope("http://127.0.0.1:8001/")


def test_files_and_article_pages_are_never_read() -> None:
    walk = Walk(("http://www.ruihe.gov.cn/",))
    assert not walk.admit("http://www.ruihe.gov.cn/slj/gzdt/202404/t20240426_12.html", 1)
    assert not walk.admit("http://www.ruihe.gov.cn/art/2024/4/26/art_11_22.html", 1)
    assert not walk.admit("http://www.ruihe.gov.cn/uploads/plan.pdf", 1)
    assert walk.admit("http://www.ruihe.gov.cn/slj/gzdt/", 1)
    assert not walk.admit("http://www.ruihe.gov.cn/slj/gzdt/", 1)  # once


def test_the_page_budget_and_depth_stop_the_walk() -> None:
    walk = Walk(("http://www.ruihe.gov.cn/",), max_pages=2, max_depth=2)
    assert not walk.admit("http://www.ruihe.gov.cn/a/", 3)
    assert walk.admit("http://www.ruihe.gov.cn/a/", 1)
    assert walk.admit("http://www.ruihe.gov.cn/b/", 1)
    assert not walk.budget_exhausted
    assert not walk.admit("http://www.ruihe.gov.cn/c/", 1)
    assert walk.budget_exhausted
