"""Locating the saved real pages in the shared folder beside the repository."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

# tests/crawler/extract/conftest.py -> parents[3] is the repository root.
REALPAGES = Path(__file__).resolve().parents[3] / ".." / "shared" / "realpages"


def real_page(name: str) -> str:
    """The text of a saved real page; skips the test when the folder is absent, except
    under CI, where a missing fixture is a failure."""
    path = REALPAGES / name
    if not path.is_file():
        reason = f"real page fixture not found: {path}"
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    return path.read_text(encoding="utf-8")


@pytest.fixture
def zhangshu_list() -> str:
    return real_page("trs_wcm_list_zhangshu_gov_cn_zhxx_EXCERPT.html")


@pytest.fixture
def hanweb_article() -> str:
    return real_page("hanweb_article_fgw_zj_gov_cn.html")


@pytest.fixture
def shanxi_article() -> str:
    return real_page("shanxi_gov_article.html")


@pytest.fixture
def gongbao_article() -> str:
    return real_page("trs_govcn_gongbao_article.html")
