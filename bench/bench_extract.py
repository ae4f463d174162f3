"""Throughput of list and article extraction on synthetic pages.

Run: .venv/bin/python bench/bench_extract.py [--pages 2000]
Both extractors run once per fetched page of a crawl of ~100,000 articles, so they must
stay far above network speed on one core.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable

from crawler.extract.article import extract_article
from crawler.extract.listing import extract_list
from crawler.extract.pagination import extract_pagination

_MENU = "".join(f'<li><a href="/c{i}/">栏目{i}</a></li>' for i in range(30))
_FOOTER = "".join(f'<a href="http://www.site{i}.gov.cn/">友情链接单位{i}</a>' for i in range(40))


def list_page(n: int) -> str:
    rows = "".join(
        f'<li><a href="./2024{n % 12 + 1:02d}/t2024_{n}_{i}.html" title="关于第{n}批第{i}项'
        f'重点工作推进情况的通报及后续安排">关于第{n}批第{i}项重点工作推进情况...</a>'
        f"<span>[{n % 12 + 1:02d}-{i + 1:02d}]</span></li>"
        for i in range(20)
    )
    return (
        f"<html><head><meta charset='utf-8'><title>工作动态</title></head><body>"
        f"<ul class='nav'>{_MENU}</ul><div class='crumb'>当前位置：<a href='/'>首页</a></div>"
        f"<div class='list'><ul>{rows}</ul></div>"
        f"<script>createPageHTML(40, {n % 40}, \"index\", \"html\");</script>"
        f"<div class='footer'>{_FOOTER}</div></body></html>"
    )


def article_page(n: int) -> str:
    paragraphs = "".join(
        f"<p>第{n}号文件第{i}段：县水利局按照年度工作安排，扎实推进河湖长制、防汛抗旱、"
        f"农村饮水安全等重点工作，取得阶段性成效。</p>"
        for i in range(25)
    )
    files = "".join(f'<a href="./P0202404{i}.pdf">附件{i}</a><img src="./W0{i}.jpg">'
                    for i in range(5))
    return (
        "<html><head><meta charset='utf-8'>"
        f'<meta name="SiteName" content="瑞河县人民政府"><meta name="ArticleTitle" '
        f'content="第{n}号工作通报"><meta name="PubDate" content="2024-04-29 10:30">'
        f"<title>第{n}号工作通报</title></head><body><ul class='nav'>{_MENU}</ul>"
        f"<div class='TRS_Editor'>{paragraphs}{files}</div>"
        f"<div class='footer'>{_FOOTER}</div></body></html>"
    )


def measure(label: str, pages: list[str], work: Callable[[str, str], object]) -> None:
    url = "http://127.0.0.1:8000/slj/gzdt/index.html"
    started = time.perf_counter()
    for markup in pages:
        work(markup, url)
    elapsed = time.perf_counter() - started
    size = sum(len(markup) for markup in pages) / len(pages) / 1024
    print(f"{label:<22} {len(pages):>6} pages  {elapsed:7.2f} s  "
          f"{len(pages) / elapsed:8.0f} pages/s  (~{size:.0f} KiB of text each)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=2000)
    count = parser.parse_args().pages
    lists = [list_page(n) for n in range(count)]
    articles = [article_page(n) for n in range(count)]
    measure("list extraction", lists, extract_list)
    measure("pagination", lists, extract_pagination)
    measure("article extraction", articles, extract_article)


if __name__ == "__main__":
    main()
