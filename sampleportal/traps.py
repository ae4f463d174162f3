"""Link-checker traps: targets that misbehave the way real portals' targets do.

Each `Trap` says where it lives (the site itself, the host playing an external site,
the refused port, or nowhere for `mailto:` and friends), what a correct checker must
conclude (`expected`, `reason`) and whether the link is hidden. The server answers trap
paths through `TrapResponder`, which keeps the little state some traps need.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from enum import StrEnum

from monitor.domain import LinkKind, LinkStatus
from sampleportal.model import Hosts
from sampleportal.responses import Response, html, not_found, redirect


class Where(StrEnum):
    SITE = "site"
    EXTERNAL = "external"
    REFUSED = "refused"
    SCHEME = "scheme"  # javascript:, mailto:, tel:, #fragment: never requested


@dataclass(frozen=True)
class Trap:
    key: str
    where: Where
    href: str  # a path on its host, or the literal href for SCHEME traps
    kind: LinkKind
    expected: LinkStatus
    reason: str = ""
    hidden: bool = False
    text: str = "相关链接"

    def url(self, hosts: Hosts) -> str:
        base = {Where.SITE: hosts.site, Where.EXTERNAL: hosts.external,
                Where.REFUSED: hosts.refused, Where.SCHEME: ""}[self.where]
        return base + self.href


OK, BROKEN, BLOCKED, UNCHECKED = (
    LinkStatus.OK, LinkStatus.BROKEN, LinkStatus.BLOCKED, LinkStatus.UNCHECKED,
)
A, IMG, FILE = LinkKind.A, LinkKind.IMG, LinkKind.ATTACHMENT

TRAPS: tuple[Trap, ...] = (
    Trap("missing_page", Where.SITE, "/xxgk/2023/old_notice_0915.html", A, BROKEN, "HTTP 404",
         text="原通知"),
    Trap("missing_image", Where.SITE, "/uploads/image/2024/W020240301_banner.jpg", IMG, BROKEN,
         "HTTP 404"),
    Trap("missing_attachment", Where.SITE, "/uploads/file/2023/11/2023年度工作计划.xls", FILE,
         BROKEN, "HTTP 404", text="2023年度工作计划.xls"),
    Trap("html_image", Where.SITE, "/uploads/image/2024/W020240412_photo.jpg", IMG, BROKEN,
         "not an image"),
    Trap("empty_image", Where.SITE, "/uploads/image/2024/W020240415_chart.png", IMG, BROKEN,
         "empty image"),
    Trap("head_405", Where.SITE, "/uploads/file/2024/03/实施细则.pdf", FILE, OK,
         "HEAD 405, GET 200", text="实施细则.pdf"),
    Trap("rate_limited", Where.SITE, "/xxgk/hot/rate.html", A, OK, "429 then 200",
         text="热点解读"),
    Trap("redirect_good", Where.SITE, "/zwgk/jump/a.html", A, OK, "302, 301, 200",
         text="办事指南"),
    Trap("redirect_bad", Where.SITE, "/zwgk/move/a.html", A, BROKEN, "redirect to HTTP 404",
         text="原栏目"),
    Trap("redirect_loop", Where.SITE, "/zwgk/loop/a.html", A, BROKEN, "redirect loop",
         text="专题专栏"),
    Trap("soft_404", Where.SITE, "/xxgk/col/removed.html", A, BROKEN, "soft 404",
         text="往期回顾"),
    Trap("refused", Where.REFUSED, "/index.html", A, BROKEN, "connection refused",
         text="县档案馆"),
    Trap("slow", Where.SITE, "/xxgk/slow/statistics.html", A, OK, "slow but within timeout",
         text="统计数据"),
    Trap("waf", Where.EXTERNAL, "/zwfw/bszn/index.html", A, BLOCKED, "WAF challenge (412)",
         text="政务服务网"),
    Trap("chinese_path", Where.SITE, "/xxgk/政策解读/解读材料.html", A, OK, "",
         text="解读材料"),
    Trap("external_ok", Where.EXTERNAL, "/", A, OK, "", text="中国政府网"),
    Trap("external_missing", Where.EXTERNAL, "/news/2019/closed.html", A, BROKEN, "HTTP 404",
         text="省政府网站旧版"),
    Trap("javascript", Where.SCHEME, "javascript:void(0);", A, UNCHECKED, "javascript:",
         text="打印本页"),
    Trap("mailto", Where.SCHEME, "mailto:zwgk@example.gov.cn", A, UNCHECKED, "mailto:",
         text="联系我们"),
    Trap("tel", Where.SCHEME, "tel:0790-1234567", A, UNCHECKED, "tel:", text="0790-1234567"),
    Trap("fragment", Where.SCHEME, "#top", A, UNCHECKED, "fragment", text="返回顶部"),
    Trap("hidden_link", Where.EXTERNAL, "/bet/index.html", A, OK, "", hidden=True,
         text="娱乐平台"),
)
# Carried by every page (site-wide footer), so it must be checked once, not once per page.
FOOTER_BROKEN = Trap("footer_broken", Where.SITE, "/jiucuo/index.html", A, BROKEN, "HTTP 404",
                     text="网站纠错")
SITEMAP = Trap("sitemap", Where.SITE, "/sitemap.html", A, OK, "", text="网站地图")
TRAPS_BY_KEY = {trap.key: trap for trap in (*TRAPS, FOOTER_BROKEN, SITEMAP)}

SLOW_SECONDS = 1.5
RETRY_AFTER_SECONDS = 1


def id_check_digit(first17: str) -> str:
    """The GB 11643-1999 check character of an 18-character 居民身份证号码."""
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    total = sum(int(digit) * weight for digit, weight in zip(first17, weights, strict=True))
    return "10X98765432"[total % 11]


_ID_BODY = "36098119850317201"
VALID_ID = _ID_BODY + id_check_digit(_ID_BODY)
# Same digits with a wrong check character: not a real ID, must not be flagged.
INVALID_ID = _ID_BODY + ("0" if id_check_digit(_ID_BODY) != "0" else "1")
MOBILE = "13979012468"

WAF_BODY = (
    "<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; charset=utf-8\">"
    "<script type=\"text/javascript\">$_ts=window['$_ts'];if(!$_ts)$_ts={};$_ts.nsd=30214;"
    "$_ts.cd=\"qhxrcrAlrGqqEaZkDqAlrsqtlGVmqgW3qa3tqsWtqsWtKqAc\";</script>"
    "<script type=\"text/javascript\" charset=\"utf-8\" src=\"/zwfw/bszn/xyKP1t.b2c6a1.js\" "
    "r=\"m\"></script></head><body></body></html>"
)
SOFT_404_BODY = (
    "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>提示信息</title></head><body>"
    "<div class=\"error\"><h2>页面不存在</h2><p>抱歉，您访问的页面不存在或已删除，"
    "<a href=\"/\">返回首页</a></p></div></body></html>"
)


def _plain_page(title: str) -> Response:
    return html(
        f"<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>{title}</title></head>"
        f"<body><h1>{title}</h1><p>{title}相关内容。</p></body></html>"
    )


class TrapResponder:
    """Answers trap paths. Thread-safe: the rate-limited trap alternates 429 and 200."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._rate_hits = 0

    def site(self, path: str, method: str) -> Response | None:
        handler = _SITE_ROUTES.get(path)
        if handler is not None:
            return handler(method)
        if path == "/xxgk/hot/rate.html":
            return self._rate_limited()
        return None

    def external(self, path: str, method: str) -> Response:
        if path in ("/", "/index.html"):
            return _plain_page("外部网站首页")
        if path == "/zwfw/bszn/index.html":
            return Response(412, WAF_BODY.encode("utf-8"))
        if path == "/bet/index.html":
            return _plain_page("娱乐平台")
        return not_found()

    def _rate_limited(self) -> Response:
        with self._lock:
            self._rate_hits += 1
            limited = self._rate_hits % 2 == 1
        if limited:
            return Response(429, b"Too Many Requests", "text/plain",
                            (("Retry-After", str(RETRY_AFTER_SECONDS)),))
        return _plain_page("热点解读")


def _head_405(method: str) -> Response:
    if method == "HEAD":
        return Response(405, b"", "text/plain", (("Allow", "GET, POST"),))
    return Response(200, MINIMAL_PDF, "application/pdf")


MINIMAL_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)

_SITE_ROUTES = {
    "/uploads/image/2024/W020240412_photo.jpg": lambda method: _plain_page("图片新闻"),
    "/uploads/image/2024/W020240415_chart.png": lambda method: Response(200, b"", "image/png"),
    "/uploads/file/2024/03/实施细则.pdf": _head_405,
    "/zwgk/jump/a.html": lambda method: redirect("/zwgk/jump/b.html", 302),
    "/zwgk/jump/b.html": lambda method: redirect("/zwgk/jump/final.html", 301),
    "/zwgk/jump/final.html": lambda method: _plain_page("办事指南"),
    "/zwgk/move/a.html": lambda method: redirect("/zwgk/move/b.html", 302),
    "/zwgk/move/b.html": lambda method: redirect("/zwgk/move/gone.html", 302),
    "/zwgk/loop/a.html": lambda method: redirect("/zwgk/loop/b.html", 302),
    "/zwgk/loop/b.html": lambda method: redirect("/zwgk/loop/a.html", 302),
    "/xxgk/col/removed.html": lambda method: html(SOFT_404_BODY),
    "/xxgk/slow/statistics.html": lambda method: Response(
        200, _plain_page("统计数据").body, delay_seconds=SLOW_SECONDS),
    "/xxgk/政策解读/解读材料.html": lambda method: _plain_page("解读材料"),
    "/sitemap.html": lambda method: _plain_page("网站地图"),
}
