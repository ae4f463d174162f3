"""Pieces every CMS style shares: the site-wide header and footer, and the article page.

Article pages carry the standard gov meta block (SiteName, SiteIDCode, ColumnName,
ArticleTitle, PubDate, ContentSource ...). Styles differ in how they spell it (case,
empty values, seconds in PubDate), as real portals do; `MetaFlavour` captures that.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from html import escape

from monitor.domain import LinkKind
from sampleportal.model import ArticleDate, Column, Hosts, Portal, Post, Unit
from sampleportal.texts import body_paragraphs
from sampleportal.traps import (
    FOOTER_BROKEN,
    INVALID_ID,
    MOBILE,
    SITEMAP,
    TRAPS_BY_KEY,
    VALID_ID,
)

SITE_ID_CODE = "3609810001"


@dataclass(frozen=True)
class Context:
    """What rendering needs besides the post: the portal, where it answers, and now."""

    portal: Portal
    hosts: Hosts
    now: datetime


@dataclass(frozen=True)
class MetaFlavour:
    upper: bool = False  # <META NAME="PubDate" CONTENT=...>
    lower_names: bool = False  # name="pubdate", name="sitename"
    empty_site_id: bool = False
    empty_source: bool = False


def header(ctx: Context) -> str:
    return (
        '<div class="header"><div class="logo">' + escape(ctx.portal.site_name) + "</div>"
        '<ul class="nav"><li><a href="/">首页</a></li><li><a href="/zwgk/index.html">政务公开</a>'
        '</li><li><a href="/sitemap.html">网站地图</a></li></ul></div>'
    )


def footer(ctx: Context) -> str:
    external = ctx.hosts.external + "/"
    return (
        '<div class="footer"><p>'
        f'<a href="{SITEMAP.href}">{SITEMAP.text}</a> | '
        f'<a href="{FOOTER_BROKEN.href}">{FOOTER_BROKEN.text}</a> | '
        f'<a href="mailto:zwgk@example.gov.cn">联系我们</a> | '
        f'<a href="{external}" target="_blank">中国政府网</a></p>'
        f"<p>主办：{ctx.portal.county}人民政府办公室 网站标识码：{SITE_ID_CODE} "
        "赣ICP备00000000号</p></div>"
    )


def shown_time(post: Post) -> str:
    """The PubDate / 发布时间 text: the claimed date at the time of day it went up."""
    clock = post.published_at.strftime("%H:%M")
    seconds = f":{post.id % 60:02d}" if post.with_seconds else ""
    return f"{post.claimed.isoformat()} {clock}{seconds}"


def _meta(name: str, content: str, flavour: MetaFlavour) -> str:
    if flavour.upper:
        return f'<META NAME="{name}" CONTENT="{escape(content)}">'
    shown = name.lower() if flavour.lower_names and name != "ArticleTitle" else name
    return f'<meta name="{shown}" content="{escape(content)}">'


def meta_block(ctx: Context, unit: Unit, column: Column, post: Post, flavour: MetaFlavour) -> str:
    pub = shown_time(post) if post.article_date is ArticleDate.BOTH else ""
    pairs = (
        ("SiteName", ctx.portal.site_name),
        ("SiteDomain", ctx.hosts.site.split("//", 1)[1]),
        ("SiteIDCode", "" if flavour.empty_site_id else SITE_ID_CODE),
        ("ColumnName", column.name),
        ("ColumnType", column.category.value),
        ("ArticleTitle", post.title),
        ("PubDate", pub),
        ("ContentSource", "" if flavour.empty_source else unit.name),
        ("Keywords", column.name),
    )
    return "\n".join(_meta(name, content, flavour) for name, content in pairs)


def info_line(unit: Unit, post: Post) -> str:
    source = f"<span>来源：{escape(unit.name)}</span>"
    if post.article_date is ArticleDate.NOWHERE:
        return f'<div class="info">{source}<span>浏览次数：{post.id % 500 + 12}</span></div>'
    return f'<div class="info"><span>发布时间：{shown_time(post)}</span>{source}</div>'


def body_html(ctx: Context, unit: Unit, post: Post) -> str:
    parts = [f"<p>{escape(text)}</p>" for text in body_paragraphs(unit.name, post.title)]
    month = post.claimed.strftime("%Y%m")
    stem = f"{post.claimed:%Y%m%d}{post.id:06d}"
    if post.has_image:
        parts.insert(1, f'<p style="text-align:center"><img src="/uploads/image/{month}/W0{stem}'
                        '.png" alt="工作现场"></p>')
    if post.has_attachment:
        href = f"{ctx.hosts.files}/uploads/file/{month}/P0{stem}.pdf"
        parts.append(f'<p>附件：<a href="{href}">附件1.pdf</a></p>')
    if post.leaks_privacy:
        parts.append(
            f"<p>经核实，申请人李某（身份证号：{VALID_ID}，联系电话：{MOBILE}）反映的问题已办结；"
            f"登记编号{INVALID_ID}的材料已归档。</p>"
        )
    parts.extend(trap_html(ctx, key) for key in post.trap_keys)
    return "\n".join(parts)


def trap_html(ctx: Context, key: str) -> str:
    trap = TRAPS_BY_KEY[key]
    url = escape(trap.url(ctx.hosts))
    if trap.kind is LinkKind.IMG:
        return f'<p><img src="{url}" alt="{escape(trap.text)}"></p>'
    link = f'<a href="{url}" target="_blank">{escape(trap.text)}</a>'
    if trap.hidden:
        return f'<div style="display:none">{link}</div>'
    return f"<p>相关链接：{link}</p>"


def article_page(
    ctx: Context, unit: Unit, column: Column, post: Post, flavour: MetaFlavour,
    charset: str = "utf-8",
) -> str:
    return (
        "<!DOCTYPE html>\n<html>\n<head>\n"
        f'<meta http-equiv="Content-Type" content="text/html; charset={charset}">\n'
        f"{meta_block(ctx, unit, column, post, flavour)}\n"
        f"<title>{escape(post.title)}_{escape(ctx.portal.site_name)}</title>\n</head>\n<body>\n"
        f"{header(ctx)}\n"
        f'<div class="position">当前位置：<a href="/">首页</a> &gt; {escape(unit.name)} &gt; '
        f'<a href="{column.list_path}">{escape(column.name)}</a></div>\n'
        f'<div class="article"><h1 class="title">{escape(post.title)}</h1>\n'
        f"{info_line(unit, post)}\n<!--ContentStart-->"
        f'<div class="content">\n{body_html(ctx, unit, post)}\n</div><!--ContentEnd-->\n'
        f"</div>\n{footer(ctx)}\n</body>\n</html>\n"
    )


def page_count(total: int, per_page: int) -> int:
    return max(1, -(-total // per_page))


def page_slice(items: list, page_index: int, per_page: int) -> list:
    return items[page_index * per_page:(page_index + 1) * per_page]


def list_page(ctx: Context, title: str, unit: Unit, body: str, head_extra: str = "",
              charset: str = "utf-8") -> str:
    return (
        "<!DOCTYPE html>\n<html>\n<head>\n"
        f'<meta http-equiv="Content-Type" content="text/html; charset={charset}">\n'
        f"<title>{escape(title)}_{escape(unit.name)}_{escape(ctx.portal.site_name)}</title>\n"
        f"{head_extra}</head>\n<body>\n{header(ctx)}\n"
        f'<div class="position">当前位置：<a href="/">首页</a> &gt; {escape(unit.name)} &gt; '
        f"{escape(title)}</div>\n{body}\n{footer(ctx)}\n</body>\n</html>\n"
    )
