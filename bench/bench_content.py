"""Time the text checks (privacy leaks and wrong expressions) over 10,000 generated articles of
about 1,500 Chinese characters each, and the hidden-link check per page: over 1,000 generated
article pages and over the sample portal's article pages (what a crawl reads), each given as
the HTML text and as the document root the crawler has already parsed.

Run: .venv/bin/python bench/bench_content.py [--articles N] [--pages N] [--seed S]
The target is under 10 seconds for the text checks over 10,000 articles.
"""

from __future__ import annotations

import argparse
import random
import time
from collections.abc import Collection
from dataclasses import dataclass

from crawler.extract.html import parse_html
from monitor.content import check_article
from monitor.content.expressions import ExpressionDictionary
from monitor.content.hidden import find_hidden_links
from monitor.content.privacy import id_check_digit
from sampleportal import Truth, generate_portal
from sampleportal.clock import SimulatedClock
from sampleportal.model import Hosts
from sampleportal.site import Site

SITE = ["www.ruihe.gov.cn"]
SAMPLE_HOSTS = Hosts("http://127.0.0.1:8000", "http://127.0.0.1:8001", "http://127.0.0.1:8002")
ARTICLE_CHARS = 1500

UNITS = ["县水利局", "县自然资源局", "县农业农村局", "县市场监督管理局", "县应急管理局",
         "县卫生健康委员会", "县文化和旅游局", "县民政局", "县司法局", "县行政审批局",
         "正平镇", "大塘埠镇", "小江镇", "新田镇", "崇仙乡"]
ACTIONS = ["召开", "组织开展", "部署推进", "专题研究", "督导检查", "全面启动"]
TOPICS = ["防汛抗旱工作会议", "安全生产大检查", "政务公开标准化规范化建设", "乡村振兴重点工作",
          "食品安全专项整治", "社会救助政策宣传", "森林防火巡查", "营商环境优化提升",
          "耕地保护专项行动", "农村人居环境整治"]
SENTENCES = [
    "{date}，{unit}{action}{topic}，单位主要负责同志出席并讲话。",
    "会议传达学习了上级有关文件精神，通报了前一阶段工作进展情况，分析了当前存在的困难和问题。",
    "会议要求，各股室要进一步提高思想认识，压实工作责任，细化工作措施，确保各项任务按时完成。",
    "{unit}将以此次{topic}为契机，持续完善长效机制，切实把好事办实、把实事办好。",
    "截至{month}月底，全县累计排查各类隐患{n}处，已整改{m}处，整改率达到百分之九十以上。",
    "活动现场共发放宣传资料{n}余份，解答群众咨询{m}人次，受到群众广泛好评。",
    "下一步，{unit}将坚持问题导向，加强统筹协调，推动{topic}取得更大实效。",
    "工作人员深入田间地头和农户家中，面对面宣讲政策，手把手指导群众开展生产自救。",
    "此次检查覆盖全县{n}个村（社区），重点检查了制度落实、台账管理和应急值守等情况。",
    "会上，各乡（镇）和相关单位分别汇报了工作开展情况，并就下一步工作提出了意见建议。",
    "本项目总投资{n}万元，计划于{year}年{month}月底前完工，建成后将惠及群众{m}余人。",
    "咨询电话：0797-{tel}，办公地址：县政务服务中心{n}号窗口。",
]
# Rare lines that the checks should find, mixed in as on real portals.
RARE = [
    "经核实，申请人{name}（身份证号{id}）符合低保条件，现予以公示。",
    "如有异议，请联系经办人，联系电话{mobile}。",
    "补助资金已发放至户主本人银行卡号{card}。",
    "此项工作由县工商局牵头负责。",
    "县国土资源局、县环保局参加了会议。",
    "编号为{bogus}的档案已移交归档。",
]


@dataclass(frozen=True)
class Article:
    title: str
    text: str


def _valid_id(rng: random.Random) -> str:
    first17 = (f"3607{rng.randint(21, 33):02d}{rng.randint(1950, 2005)}"
               f"{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}{rng.randint(0, 999):03d}")
    return first17 + id_check_digit(first17)


def _luhn_card(rng: random.Random) -> str:
    body = "622202" + "".join(str(rng.randint(0, 9)) for _ in range(12))
    for check in "0123456789":
        digits = body + check
        total = sum(
            (int(c) * 2 - 9 if int(c) * 2 > 9 else int(c) * 2) if i % 2 else int(c)
            for i, c in enumerate(reversed(digits))
        )
        if total % 10 == 0:
            return digits
    raise AssertionError("one check digit always satisfies Luhn")


def _fill(template: str, rng: random.Random) -> str:
    return template.format(
        date=f"{rng.randint(1, 12)}月{rng.randint(1, 28)}日", unit=rng.choice(UNITS),
        action=rng.choice(ACTIONS), topic=rng.choice(TOPICS), month=rng.randint(1, 12),
        year=rng.randint(2023, 2026), n=rng.randint(10, 5000), m=rng.randint(10, 5000),
        tel=rng.randint(7000000, 7999999), name=rng.choice("王李张刘陈杨黄赵") + "某",
        id=_valid_id(rng), mobile=f"1{rng.choice('3456789')}{rng.randint(0, 10**9 - 1):09d}",
        card=_luhn_card(rng), bogus=rng.randint(10**11, 10**12 - 1),
    )


def generate_articles(count: int, seed: int) -> list[Article]:
    rng = random.Random(seed)
    articles = []
    for _ in range(count):
        title = f"{rng.choice(UNITS)}{rng.choice(ACTIONS)}{rng.choice(TOPICS)}"
        parts: list[str] = []
        length = 0
        while length < ARTICLE_CHARS:
            pool = RARE if rng.random() < 0.01 else SENTENCES
            sentence = _fill(rng.choice(pool), rng)
            parts.append(sentence)
            length += len(sentence)
            if rng.random() < 0.2:
                parts.append("\n")
        articles.append(Article(title, "".join(parts)))
    return articles


def _page_html(article: Article, index: int) -> str:
    paragraphs = "".join(f"<p>{line}</p>" for line in article.text.split("\n"))
    spam = (f"<div class='c1'><a href='http://spam.example.com/{index}'>x</a></div>"
            if index % 20 == 0 else "")
    return (f"<html><head><style>.c1{{display:none}} .nav a{{color:#333}}</style></head><body>"
            f"<div class='nav'><a href='/'>首页</a><a href='/xxgk/'>信息公开</a></div>"
            f"<h1>{article.title}</h1><div class='article'>{paragraphs}</div>{spam}"
            f"<div class='foot'><a href='http://www.gov.cn/'>中国政府网</a></div></body></html>")


def _portal_pages(limit: int) -> list[tuple[str, str]]:
    """(URL, HTML) of the sample portal's live article pages, rendered without a server."""
    portal = generate_portal(1)
    site = Site(portal, SAMPLE_HOSTS, SimulatedClock(portal.default_now))
    pages = []
    for post in Truth(portal).posts(portal.default_now)[:limit]:
        response = site.respond("GET", post.path, {})
        charset = "gbk" if "gbk" in (response.content_type or "").lower() else "utf-8"
        pages.append((SAMPLE_HOSTS.site_url(post.path), response.body.decode(charset)))
    return pages


def _time_hidden_links(label: str, pages: list[tuple[str, str]], site: Collection[str]) -> None:
    started = time.perf_counter()
    found = sum(len(find_hidden_links(html, url, site)) for url, html in pages)
    from_text = time.perf_counter() - started
    roots = [(url, parse_html(html)) for url, html in pages]
    started = time.perf_counter()
    found_in_roots = sum(len(find_hidden_links(root, url, site)) for url, root in roots)
    from_root = time.perf_counter() - started
    assert found_in_roots == found
    print(f"hidden links, {label}: {len(pages)} pages, "
          f"{from_text / len(pages) * 1000:.2f} ms/page from the text, "
          f"{from_root / len(pages) * 1000:.2f} ms/page from the parsed root, {found} findings")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--pages", type=int, default=1_000)
    parser.add_argument("--seed", type=int, default=2024)
    args = parser.parse_args()

    dictionary = ExpressionDictionary.load_default()
    articles = generate_articles(args.articles, args.seed)
    chars = sum(len(a.title) + len(a.text) for a in articles)

    started = time.perf_counter()
    findings = sum(
        len(check_article(a.title, a.text, "", "http://www.ruihe.gov.cn/a.html", SITE, dictionary))
        for a in articles
    )
    elapsed = time.perf_counter() - started
    print(f"text checks: {len(articles)} articles, {chars / len(articles):.0f} chars each, "
          f"{elapsed:.2f} s, {len(articles) / elapsed:.0f} articles/s, {findings} findings")

    generated = [(f"http://www.ruihe.gov.cn/a{i}.html", _page_html(a, i))
                 for i, a in enumerate(articles[: args.pages])]
    _time_hidden_links("generated article pages", generated, SITE)
    _time_hidden_links("sample portal article pages", _portal_pages(args.pages),
                       [SAMPLE_HOSTS.site])


if __name__ == "__main__":
    main()
