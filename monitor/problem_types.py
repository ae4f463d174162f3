"""Every problem type declared once (SPEC §4.7): its family, report section, Chinese wording,
alert label, severity and how it gets fixed.

Reports, alerts, exports, `monitor problems list` and docs/problems.md read this catalogue;
nothing else keeps a table keyed by problem type. Adding a type means: its `ProblemType`
member, its entry here, its detector and its test. `tests/monitor/test_problem_types.py`
fails when a type has no entry, so no type can vanish from a report or an alert unnoticed.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import IntEnum, StrEnum
from types import MappingProxyType

from monitor.domain import ProblemType
from monitor.i18n import N_


class Family(StrEnum):
    """What a problem is about, which is also who answers for it."""

    COLUMN = "column"  # a column's updates (the unit)
    LINK = "link"  # a link, image or attachment target (the unit whose page carries it)
    CONTENT = "content"  # what an article says (the unit)
    POST = "post"  # a post's date (the unit)
    CRAWL = "crawl"  # the monitor could not read (nobody is accused)
    PORTAL = "portal"  # the portal as a whole against the national indicators (the office)


class SectionKind(StrEnum):
    """The headings of the 月报's 存在问题, in the order the report gives them."""

    UPDATES = "updates"
    NATIONAL = "national"
    INDICATORS = "indicators"  # the portal nearing a national single-veto threshold
    LINKS = "links"
    BACKDATED = "backdated"
    UNDATED = "undated"
    PRIVACY = "privacy"
    HIDDEN = "hidden"
    EXPRESSION = "expression"
    UNREACHABLE = "unreachable"
    # Not a heading: targets a WAF stood in front of are given as a count of unverified
    # links, never listed as broken (SPEC §4.5).
    UNVERIFIED = "unverified"


class Severity(IntEnum):
    """Larger is worse: alerts list a unit's problems worst first."""

    NOTICE = 1
    WARNING = 2
    SERIOUS = 3
    URGENT = 4  # a leak or a hidden link harms people or the site now


class Fix(StrEnum):
    """What makes an open problem `fixed`."""

    PER_COLUMN = "per column"  # the column's next judgement no longer finds it
    PER_TARGET = "per target"  # the link target or page, checked again, is fine
    PER_RUN = "per run"  # a later crawl run that goes well
    PER_INDICATOR = "per indicator"  # the national item falls back below its warning level
    NEVER = "never"  # a past fact: it stays until an officer ignores it


@dataclass(frozen=True)
class ProblemKind:
    type: ProblemType
    family: Family
    section: SectionKind
    # The 月报's phrase ("4月29日县卫健委工作动态出现逾期"), a msgid: translated where shown.
    wording: str
    alert_label: str  # the short label an alert or a table gives it
    severity: Severity
    fix: Fix
    # For a problem that accuses a unit of something a visitor can see on a page: what
    # its screenshot's banner calls it (截图取证). None: no screenshot is taken.
    evidence_verdict: str | None = None
    # What the red frame around the problem's element says, where one is drawn.
    element_label: str | None = None


def _kind(type_: ProblemType, family: Family, section: SectionKind, wording: str,
          alert_label: str, severity: Severity, fix: Fix, evidence_verdict: str | None = None,
          element_label: str | None = None) -> tuple[ProblemType, ProblemKind]:
    return type_, ProblemKind(type_, family, section, wording, alert_label, severity, fix,
                              evidence_verdict, element_label)


_T, _F, _S, _V, _X = ProblemType, Family, SectionKind, Severity, Fix

CATALOGUE: MappingProxyType[ProblemType, ProblemKind] = MappingProxyType(dict([
    _kind(_T.OVERDUE_COLUMN, _F.COLUMN, _S.UPDATES, N_("出现逾期"), N_("栏目逾期未更新"),
          _V.SERIOUS, _X.PER_COLUMN, "栏目逾期未更新"),
    _kind(_T.DUE_SOON_COLUMN, _F.COLUMN, _S.UPDATES, N_("即将逾期"), N_("栏目即将到期"),
          _V.NOTICE, _X.PER_COLUMN),
    _kind(_T.EMPTY_COLUMN, _F.COLUMN, _S.UPDATES, N_("栏目尚无任何信息"), N_("栏目从未发布"),
          _V.SERIOUS, _X.PER_COLUMN, "空白栏目（从未发布信息）"),
    _kind(_T.STALE_NATIONAL, _F.COLUMN, _S.NATIONAL, N_("超过国家规定的更新时限未更新"),
          N_("超过国家规定时限未更新"), _V.SERIOUS, _X.PER_COLUMN),
    _kind(_T.BROKEN_LINK, _F.LINK, _S.LINKS, N_("出现不可用链接"), N_("错链/断链"),
          _V.WARNING, _X.PER_TARGET, "链接无法访问（错链）", "无法访问的链接"),
    _kind(_T.DEAD_IMAGE, _F.LINK, _S.LINKS, N_("照片不能显示"), N_("图片无法显示"),
          _V.WARNING, _X.PER_TARGET, "图片无法显示", "无法显示的图片"),
    _kind(_T.BROKEN_ATTACHMENT, _F.LINK, _S.LINKS, N_("附件无法下载"), N_("附件无法下载"),
          _V.WARNING, _X.PER_TARGET, "附件无法下载", "无法下载的附件"),
    _kind(_T.BLOCKED, _F.LINK, _S.UNVERIFIED, N_("链接因访问防护未能核实"), N_("访问防护未能核实"),
          _V.NOTICE, _X.PER_TARGET),
    _kind(_T.UNREACHABLE_COLUMN, _F.CRAWL, _S.UNREACHABLE, N_("栏目无法访问"), N_("栏目无法访问"),
          _V.NOTICE, _X.PER_COLUMN),
    _kind(_T.UNDATED_POST, _F.POST, _S.UNDATED, N_("发布的信息未标注发布日期"),
          N_("信息未标注日期"),
          _V.WARNING, _X.PER_TARGET),
    _kind(_T.BACKDATED_POST, _F.POST, _S.BACKDATED, N_("发布的信息标注日期早于实际发布时间"),
          N_("标注日期早于实际发布"), _V.WARNING, _X.NEVER),
    _kind(_T.PRIVACY_LEAK, _F.CONTENT, _S.PRIVACY, N_("发布的信息疑似含有个人隐私"),
          N_("疑似泄露个人隐私"), _V.URGENT, _X.PER_TARGET,
          "疑似泄露个人隐私（号码已按数据库方式遮盖）"),
    _kind(_T.HIDDEN_LINK, _F.CONTENT, _S.HIDDEN, N_("页面中发现疑似暗链"), N_("疑似暗链"),
          _V.URGENT, _X.PER_TARGET, "疑似暗链（隐藏的站外链接，取证时已显示并框出）",
          "被隐藏的内容（访客不可见）"),
    _kind(_T.WRONG_EXPRESSION, _F.CONTENT, _S.EXPRESSION, N_("出现表述错误"), N_("表述错误"),
          _V.WARNING, _X.PER_TARGET),
    _kind(_T.SITE_UNREACHABLE, _F.CRAWL, _S.UNREACHABLE, N_("网站无法访问"), N_("网站无法访问"),
          _V.SERIOUS, _X.PER_RUN),
    # The portal nearing (or past) a national single-veto threshold: the office's to act on.
    _kind(_T.NATIONAL_WARNING, _F.PORTAL, _S.INDICATORS, N_("国办指标达到预警线"),
          N_("国办指标预警"), _V.SERIOUS, _X.PER_INDICATOR),
]))


def kind_of(problem_type: ProblemType) -> ProblemKind:
    return CATALOGUE[problem_type]


def types_of(family: Family) -> tuple[ProblemType, ...]:
    """The types of one family, in declaration order."""
    return tuple(kind.type for kind in CATALOGUE.values() if kind.family is family)


def accusing_types() -> frozenset[ProblemType]:
    """The types whose problems get a screenshot (截图取证)."""
    return frozenset(kind.type for kind in CATALOGUE.values()
                     if kind.evidence_verdict is not None)


def target_is_address(problem_type: ProblemType) -> bool:
    """Whether a problem's `target` is an address (a link, an image, a hidden link) rather
    than what was found on the page (a masked number, a wrong phrase)."""
    return kind_of(problem_type).family is Family.LINK or problem_type is ProblemType.HIDDEN_LINK


def missing_types() -> list[ProblemType]:
    """Problem types without an entry: a test keeps this empty."""
    return [problem_type for problem_type in ProblemType if problem_type not in CATALOGUE]
