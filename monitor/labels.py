"""What a person reads for the product's values (SPEC §9): each value's label, declared
once here with `N_` and translated where it is shown.

The command line's tables and exports say 逾期, not `overdue`. JSON keeps the values
themselves (SPEC §5), for programs. Problem types are named by their catalogue
(`monitor.problem_types`), which also words them for reports and alerts.
"""

from __future__ import annotations

from enum import StrEnum
from types import MappingProxyType

from monitor.domain import (
    Category,
    ColumnStatus,
    CrawlOutcome,
    Cycle,
    DateSource,
    LinkKind,
    LinkStatus,
    ProblemState,
    ProblemType,
)
from monitor.i18n import N_, _
from monitor.problem_types import kind_of

# Keyed by enum, then member: members of different enums can share a value ("ok").
LABELS: MappingProxyType[type[StrEnum], dict[StrEnum, str]] = MappingProxyType({
    ColumnStatus: {
        ColumnStatus.OK: N_("正常"),
        ColumnStatus.DUE_SOON: N_("即将逾期"),
        ColumnStatus.OVERDUE: N_("逾期"),
        ColumnStatus.EMPTY: N_("空白"),
        ColumnStatus.UNREACHABLE: N_("无法访问"),
    },
    Category: {
        Category.DYNAMICS: N_("动态信息"),
        Category.NOTICE: N_("通知公告"),
        Category.POLICY: N_("政策文件"),
        Category.GUIDE: N_("办事指南"),
        Category.DUTIES: N_("机构职能"),
        Category.REPORT: N_("年度报告"),
        Category.DISCLOSURE: N_("信息公开"),
    },
    Cycle: {
        Cycle.WEEKLY: N_("每周"),
        Cycle.MONTHLY: N_("每月"),
        Cycle.QUARTERLY: N_("每季度"),
        Cycle.YEARLY: N_("每年"),
        Cycle.NONE: N_("不定期"),
    },
    ProblemState: {
        ProblemState.OPEN: N_("未整改"),
        ProblemState.FIXED: N_("已整改"),
        ProblemState.IGNORED: N_("已忽略"),
    },
    LinkStatus: {
        LinkStatus.PENDING: N_("待检查"),
        LinkStatus.OK: N_("正常"),
        LinkStatus.BROKEN: N_("无法访问"),
        LinkStatus.BLOCKED: N_("访问防护未能核实"),
        LinkStatus.UNCHECKED: N_("未检查"),
    },
    LinkKind: {
        LinkKind.A: N_("链接"),
        LinkKind.IMG: N_("图片"),
        LinkKind.ATTACHMENT: N_("附件"),
    },
    CrawlOutcome: {
        CrawlOutcome.OK: N_("已读取"),
        CrawlOutcome.UNREACHABLE: N_("无法访问"),
        CrawlOutcome.BLOCKED: N_("被访问防护拦截"),
        CrawlOutcome.ERROR: N_("读取出错"),
        CrawlOutcome.SITE_UNREACHABLE: N_("网站无响应"),
        CrawlOutcome.NOT_REACHED: N_("本次未读到"),
    },
    DateSource: {
        DateSource.LIST: N_("列表页"),
        DateSource.META: N_("页面元数据"),
        DateSource.VISIBLE: N_("正文"),
    },
})


def label(value: StrEnum | str, kind: type[StrEnum] | None = None) -> str:
    """The label of `value` (an enum member, or its string with `kind`) in the active
    language; a value without a label is shown as it is."""
    member = value
    if kind is not None and not isinstance(value, kind):
        try:
            member = kind(value)
        except ValueError:
            return str(value)
    if not isinstance(member, StrEnum):
        return str(value)
    text = LABELS.get(type(member), {}).get(member)
    return str(value) if text is None else _(text)


def problem_label(problem_type: ProblemType | str) -> str:
    """A problem type's short name (错链/断链), as tables and alerts give it."""
    return _(kind_of(ProblemType(problem_type)).alert_label)


def yes_no(flag: bool) -> str:
    return _("是") if flag else _("否")
