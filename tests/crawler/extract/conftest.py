"""The project's own CMS pages (tests/fixtures/cmspages), modelled on the markup of real
government CMSs; see the README there."""

from __future__ import annotations

from pathlib import Path

import pytest

CMS_PAGES = Path(__file__).resolve().parents[2] / "fixtures" / "cmspages"


def cms_page(name: str) -> str:
    return (CMS_PAGES / name).read_text(encoding="utf-8")


@pytest.fixture
def trs_column_list() -> str:
    """A TRS WCM column list: table rows with MM-DD dates and a createPageHTML pager."""
    return cms_page("trs_wcm_column_list.html")


@pytest.fixture
def hanweb_article() -> str:
    """A Hanweb JCMS article: gov meta tags, ContentStart/ContentEnd markers."""
    return cms_page("hanweb_jcms_article.html")


@pytest.fixture
def trs_article() -> str:
    """A TRS portal article: the meta block twice, the body in .TRS_Editor."""
    return cms_page("trs_county_article.html")


@pytest.fixture
def gongbao_article() -> str:
    """A TRS 公报 article: no PubDate, firstpublishedtime, a header ending in </html>."""
    return cms_page("trs_gongbao_article.html")
