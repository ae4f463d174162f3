"""`monitor discover`: the portal's units and columns, guessed from its own navigation.

The walk (`crawler.discover`) reads the navigation pages; this module decides what they
are. A column is a page whose main block is a column list (the crawler's detection:
static rows, a Hanweb dataproxy list, a list fetched as JSON from an /api/ endpoint, a
list drawn by a script, or an empty column's 暂无信息) reached by a link whose text is
not a unit's name. Its unit comes, in this order, from its breadcrumb (当前位置), the
heading its link sits under on a hub page, or the unit page that links to it. Category
and cycle are guessed from the name with the office's usual defaults; every guess keeps
the evidence it was made on, for the draft's comments.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

from crawler.discover.page import ListKind, PageReport
from crawler.discover.run import run_walk
from crawler.discover.walk import DEFAULT_MAX_PAGES, Edge, Walk
from monitor.config import CrawlConfig, PortalConfig, SiteConfig
from monitor.domain import (
    GROUP_COUNTY_DEPARTMENTS,
    GROUP_TOWNSHIPS,
    Category,
    Cycle,
    ListStyle,
    Render,
)
from monitor.errors import DiscoverError
from monitor.i18n import _

REPORT_DEADLINE = "01-31"

# Name words → category (SPEC §4.1), the first match wins: a 政府信息公开年度报告 is a
# report, a 政府信息公开指南 a guide, before the 信息公开 they also contain.
_CATEGORY_WORDS: tuple[tuple[Category, tuple[str, ...]], ...] = (
    (Category.REPORT, ("年度报告", "年报")),
    (Category.GUIDE, ("公开指南",)),
    (Category.DUTIES, ("机构职能", "领导信息", "机构设置", "领导分工", "领导简介", "职能")),
    (Category.DYNAMICS, ("工作动态", "要闻", "乡镇动态", "部门动态", "动态")),
    (Category.NOTICE, ("通知公告", "公告", "通知")),
    (Category.POLICY, ("政策文件", "政策解读", "解读", "文件", "政策")),
)
_CYCLE_BY_CATEGORY = {Category.DYNAMICS: Cycle.WEEKLY, Category.REPORT: Cycle.YEARLY}

_UNIT_SUFFIX = re.compile(
    r"(?:局|委|委员会|办|办公室|镇|乡|街道|办事处|中心|院|所|大队|支队|站|馆|管委会|政府|"
    r"公司|集团|联合会|工商联|协会|部|厅|处|社|署|分局)$"
)
# Texts that end like a unit's name but name a part of the site or a grouping.
_NOT_UNIT_WORDS = re.compile(r"公开|首页|栏目|目录|专题|网站|导航|位置|信息|新闻|资讯")
_GROUPINGS = frozenset({"乡镇", "乡镇街道", "部门", "县直单位", "县直部门", "单位", "政府",
                        "人民政府", "市直单位", "区直单位"})
_TOWNSHIP_NAME = re.compile(r"(?:乡|镇|街道|街道办事处)(?:人民政府)?$")
_TOWNSHIP_GROUPING = re.compile(r"乡镇|街道")
_DEPARTMENT_GROUPING = re.compile(r"部门|县直|市直|区直|单位")
_TITLE_SEPARATORS = re.compile(r"\s*[_|｜\-—–]+\s*")
_MAX_UNIT_NAME = 20


@dataclass
class DraftColumn:
    name: str
    url: str
    category: Category
    cycle: Cycle
    deadline: str | None
    render: Render
    style: ListStyle | None  # the config's list.style, when the draft pins one
    found_on: str  # the page that links to it
    list_evidence: str
    unit_evidence: str
    category_reason: str
    cycle_reason: str
    known_as: str | None = None  # "unit / column" in the existing config


@dataclass
class DraftUnit:
    name: str
    group: str
    group_reason: str
    found: str
    aliases: list[str] = field(default_factory=list)
    columns: list[DraftColumn] = field(default_factory=list)


@dataclass(frozen=True)
class ConfiguredColumn:
    unit: str
    name: str
    url: str


@dataclass
class Discovery:
    site_name: str
    site_url: str
    pages_read: int
    budget_exhausted: bool
    units: list[DraftUnit]
    unassigned: list[DraftColumn]
    compared: bool = False  # an existing config was given
    missing: list[ConfiguredColumn] = field(default_factory=list)

    @property
    def columns(self) -> list[DraftColumn]:
        return [column for unit in self.units for column in unit.columns]

    @property
    def known(self) -> list[DraftColumn]:
        return [column for column in self.columns if column.known_as is not None]

    @property
    def additions(self) -> list[DraftColumn]:
        return [column for column in self.columns if column.known_as is None]


# --- names -----------------------------------------------------------------------------


def is_unit_name(text: str) -> bool:
    """Whether a link text, heading or breadcrumb part names a unit (县水利局, 青石镇)."""
    text = text.strip()
    if not 2 <= len(text) <= _MAX_UNIT_NAME or text in _GROUPINGS:
        return False
    return bool(_UNIT_SUFFIX.search(text)) and not _NOT_UNIT_WORDS.search(text)


def guess_category(name: str) -> tuple[Category, str]:
    for category, words in _CATEGORY_WORDS:
        for word in words:
            if word in name:
                return category, f"名称含“{word}”"
    return Category.DISCLOSURE, "名称不含动态、通知、政策等词，按其他信息公开"


def guess_cycle(category: Category) -> tuple[Cycle, str | None, str]:
    cycle = _CYCLE_BY_CATEGORY.get(category, Cycle.NONE)
    if cycle is Cycle.WEEKLY:
        return cycle, None, "动态信息默认每周至少更新一次"
    if cycle is Cycle.YEARLY:
        return cycle, REPORT_DEADLINE, f"年度报告默认每年发布，截止 {REPORT_DEADLINE}"
    return cycle, None, "此类栏目默认不设更新周期（只适用国家规定的时限）"


def guess_group(name: str, portal_grouping: str | None) -> tuple[str, str]:
    if portal_grouping is not None:
        if _TOWNSHIP_GROUPING.search(portal_grouping):
            return GROUP_TOWNSHIPS, f"网站将其列在“{portal_grouping}”下"
        if _DEPARTMENT_GROUPING.search(portal_grouping):
            return GROUP_COUNTY_DEPARTMENTS, f"网站将其列在“{portal_grouping}”下"
    if _TOWNSHIP_NAME.search(name):
        return GROUP_TOWNSHIPS, "名称以乡、镇或街道结尾"
    return GROUP_COUNTY_DEPARTMENTS, "名称不以乡、镇或街道结尾"


def site_name_from_title(title: str, fallback: str) -> str:
    parts = [part for part in _TITLE_SEPARATORS.split(title) if part and part != "首页"]
    return max(parts, key=len) if parts else fallback


def url_key(url: str) -> str:
    """A column URL as compared with the config's: `/x/`, `/x` and `/x/index.html` agree."""
    parts = urlsplit(url)
    path = re.sub(r"/(?:index|default)\.s?html?$", "/", parts.path).rstrip("/")
    query = f"?{parts.query}" if parts.query else ""
    return f"{parts.scheme}://{parts.netloc.lower()}{path}{query}"


# --- classification --------------------------------------------------------------------


@dataclass(frozen=True)
class _UnitSighting:
    name: str
    how: str  # where the name was read, in the draft's words ("取自…")
    grouping: str | None = None
    variants: tuple[str, ...] = ()


class _Classifier:
    def __init__(self, walk: Walk):
        self.walk = walk
        self.reports: dict[str, PageReport] = {
            url: visit.report for url, visit in walk.visits.items() if visit.report is not None
        }
        self.incoming: dict[str, list[Edge]] = {}
        for edge in walk.edges:
            if edge.target != edge.source:
                self.incoming.setdefault(edge.target, []).append(edge)
        self.starts = set(walk.start_urls)

    def is_column_page(self, url: str) -> bool:
        report = self.reports.get(url)
        return report is not None and report.list_kind is not ListKind.NONE

    def first_edge(self, url: str) -> Edge | None:
        """The link a page is best known by: from a navigation page rather than from a
        sibling column's sidebar, the first one met breadth first."""
        edges = self.incoming.get(url, [])
        from_navigation = [edge for edge in edges if not self.is_column_page(edge.source)]
        chosen = from_navigation or edges
        return chosen[0] if chosen else None

    def unit_of_page(self, url: str) -> _UnitSighting | None:
        """The unit a navigation page belongs to (a unit's home or 信息公开 page)."""
        report = self.reports.get(url)
        edge = self.first_edge(url)
        names: list[str] = []
        if report is not None:
            names += [crumb for crumb in report.crumbs if is_unit_name(crumb)][-1:]
        if edge is not None and is_unit_name(edge.text):
            names.append(edge.text)
        if not names:
            return None
        grouping = self._grouping_of(edge) if edge is not None else None
        return _UnitSighting(max(names, key=len), f"取自单位页面 {url}", grouping, tuple(names))

    def _grouping_of(self, edge: Edge) -> str | None:
        source = self.reports.get(edge.source)
        texts = [edge.heading or ""]
        if source is not None:
            texts += [source.crumbs[-1] if source.crumbs else "", source.title]
        for text in texts:
            if text and (_TOWNSHIP_GROUPING.search(text) or _DEPARTMENT_GROUPING.search(text)):
                if not is_unit_name(text):
                    return text.split("_")[0]
        return None

    def unit_of_column(self, url: str, name: str, edge: Edge) -> _UnitSighting | None:
        report = self.reports[url]
        crumbs = list(report.crumbs)
        if crumbs and (crumbs[-1] == name or name in crumbs[-1] or crumbs[-1] in name):
            crumbs = crumbs[:-1]
        sightings: list[_UnitSighting] = []
        from_crumbs = [crumb for crumb in crumbs if is_unit_name(crumb)]
        if from_crumbs:
            sightings.append(_UnitSighting(from_crumbs[-1], "取自栏目页的面包屑（当前位置）"))
        if edge.heading is not None and is_unit_name(edge.heading):
            how = f"取自 {edge.source} 上的标题“{edge.heading}”"
            sightings.append(_UnitSighting(edge.heading, how, self._grouping_of(edge)))
        page_unit = self.unit_of_page(edge.source) if edge.source not in self.starts else None
        if page_unit is not None:
            sightings.append(page_unit)
        if not sightings:
            return None
        variants = tuple(dict.fromkeys(
            variant for sighting in sightings for variant in (sighting.name, *sighting.variants)))
        grouping = next((s.grouping for s in sightings if s.grouping is not None), None)
        first = sightings[0]
        return _UnitSighting(first.name, first.how, grouping, variants)


def classify(walk: Walk, site_url: str) -> Discovery:
    """The draft the walk supports: units with their columns, and the list pages that
    could not be given a unit."""
    classifier = _Classifier(walk)
    units: dict[str, DraftUnit] = {}
    names: dict[str, str] = {}  # every variant → the unit's draft name
    unassigned: list[DraftColumn] = []
    seen_urls: set[str] = set()
    for url, report in classifier.reports.items():
        if url in classifier.starts or report.list_kind is ListKind.NONE:
            continue
        edge = classifier.first_edge(url)
        if edge is None or is_unit_name(edge.text) or url_key(url) in seen_urls:
            continue
        name = edge.text or (report.crumbs[-1] if report.crumbs else "")
        if not name:
            continue
        seen_urls.add(url_key(url))
        sighting = classifier.unit_of_column(url, name, edge)
        column = _draft_column(name, url, report, edge, sighting)
        if sighting is None:
            unassigned.append(column)
            continue
        unit = _unit_for(units, names, sighting)
        unit.columns.append(column)
    home = classifier.reports.get(walk.start_urls[0])
    site_name = site_name_from_title(home.title if home else "", urlsplit(site_url).netloc)
    return Discovery(site_name, site_url, walk.pages_read, walk.budget_exhausted,
                     list(units.values()), unassigned)


def _unit_for(units: dict[str, DraftUnit], names: dict[str, str],
              sighting: _UnitSighting) -> DraftUnit:
    variants = sighting.variants or (sighting.name,)
    known = next((names[variant] for variant in variants if variant in names), None)
    if known is None:
        name = max(variants, key=len)
        group, reason = guess_group(name, sighting.grouping)
        units[name] = DraftUnit(name, group, reason, sighting.how)
        known = name
    unit = units[known]
    for variant in variants:
        names.setdefault(variant, known)
        if variant != unit.name and variant not in unit.aliases and names[variant] == known:
            unit.aliases.append(variant)
    return unit


_LIST_EVIDENCE = {
    ListKind.HANWEB: "大汉 JCMS 列表（dataproxy 接口加载）",
    ListKind.JSONAPI: "页面没有列表行，由脚本从 JSON 接口 {source} 加载：直接读取该接口，"
                      "无需浏览器",
    ListKind.SCRIPT: "页面没有列表行，由脚本加载数据：需浏览器渲染",
    ListKind.EMPTY: "页面显示“暂无信息”（空栏目）",
}
# The list.style a draft column is pinned to. Only an /api/ list's: its detection rests
# on the page's HTML listing nothing and falls back to the browser on an answer that is
# not a list, so a page that changes would be read another way in silence; pinned, the
# column fails where the office sees it.
_PINNED_STYLE = {ListKind.JSONAPI: ListStyle.JSONAPI}


def _draft_column(name: str, url: str, report: PageReport, edge: Edge,
                  sighting: _UnitSighting | None) -> DraftColumn:
    category, category_reason = guess_category(name)
    cycle, deadline, cycle_reason = guess_cycle(category)
    if report.list_kind is ListKind.STATIC:
        evidence = f"列表页，第一页 {report.posts} 条，其中 {report.dated} 条带日期"
    else:
        evidence = _LIST_EVIDENCE[report.list_kind].format(source=report.list_source)
    where = f"链接见 {edge.source}" + (f"（“{edge.heading}”之下）" if edge.heading else "")
    return DraftColumn(
        name=name, url=url, category=category, cycle=cycle, deadline=deadline,
        render=Render.BROWSER if report.list_kind is ListKind.SCRIPT else Render.STATIC,
        style=_PINNED_STYLE.get(report.list_kind),
        found_on=where, list_evidence=evidence,
        unit_evidence=f"单位{sighting.how}" if sighting is not None else "未能确定单位",
        category_reason=category_reason, cycle_reason=cycle_reason,
    )


# --- the existing config ---------------------------------------------------------------


def compare_with(discovery: Discovery, config: PortalConfig) -> None:
    """Mark the columns the config already has; list the configured ones not found."""
    configured = {
        url_key(str(column.url)): ConfiguredColumn(unit.name, column.name, str(column.url))
        for unit in config.units for column in unit.columns
    }
    found = set()
    for column in discovery.columns:
        known = configured.get(url_key(column.url))
        if known is not None:
            column.known_as = f"{known.unit} / {known.name}"
            found.add(url_key(column.url))
    discovery.compared = True
    discovery.missing = [column for key, column in configured.items() if key not in found]


# --- the whole job ---------------------------------------------------------------------


def discover_portal(
    url: str,
    existing: PortalConfig | None = None,
    also: tuple[str, ...] = (),
    max_pages: int = DEFAULT_MAX_PAGES,
    obey_robots: bool = True,
    progress: Any = None,
) -> Discovery:
    """Walk the portal from `url` (and the `also` entries) and draft its config; with
    `existing`, its crawl politeness is used and its columns are marked known."""
    url, also = start_url(url), tuple(start_url(entry) for entry in also)
    walk = Walk((url, *also), max_pages=max_pages)
    run_walk(walk, _walk_config(url, existing), obey_robots, progress)
    home = walk.visits[url]
    if home.report is None:
        raise DiscoverError(_("the home page {url} could not be read ({reason})").format(
            url=url, reason=home.error or _("no answer")))
    discovery = classify(walk, url)
    if existing is not None:
        compare_with(discovery, existing)
    if not discovery.units:
        raise DiscoverError(_(
            "no column found from {url} ({pages} pages read): give the 信息公开 directory "
            "with --also, or raise --max-pages").format(url=url, pages=walk.pages_read))
    return discovery


def _walk_config(url: str, existing: PortalConfig | None) -> PortalConfig:
    """The politeness to walk with: the existing config's, else the defaults, for `url`."""
    crawl = existing.crawl if existing is not None else CrawlConfig()
    contact = existing.site.contact if existing is not None else None
    # Built without validation: only the site's URL and the crawl settings are read.
    site = SiteConfig.model_construct(name=url, url=url, contact=contact)
    return PortalConfig.model_construct(site=site, crawl=crawl, units=[])


def start_url(url: str) -> str:
    """`url` as an entry page: a bare host gets its root path (http://host → http://host/).
    Raises DiscoverError for anything but an http(s) URL."""
    url = url.strip()
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise DiscoverError(_("'{url}' is not an http(s) URL").format(url=url))
    return url + "/" if not parts.path else url
