"""The Chinese words the pages show for the product's values (SPEC §9)."""

from __future__ import annotations

from monitor.domain import Category, ColumnStatus, Cycle, ProblemState, ProblemType
from monitor.problem_types import kind_of

STATUS_LABELS = {
    ColumnStatus.OK: "正常",
    ColumnStatus.DUE_SOON: "即将逾期",
    ColumnStatus.OVERDUE: "逾期",
    ColumnStatus.EMPTY: "空白",
    ColumnStatus.UNREACHABLE: "无法访问",
}
CATEGORY_LABELS = {
    Category.DYNAMICS: "工作动态",
    Category.NOTICE: "通知公告",
    Category.POLICY: "政策文件",
    Category.GUIDE: "公开指南",
    Category.DUTIES: "机构职能",
    Category.REPORT: "年度报告",
    Category.DISCLOSURE: "信息公开",
}
CYCLE_LABELS = {
    Cycle.WEEKLY: "每周", Cycle.MONTHLY: "每月", Cycle.QUARTERLY: "每季度",
    Cycle.YEARLY: "每年", Cycle.NONE: "不定期",
}
STATE_LABELS = {
    ProblemState.OPEN: "待整改",
    ProblemState.FIXED: "已整改",
    ProblemState.IGNORED: "已忽略",
}
ROLE_LABELS = {"office": "政务公开办", "unit": "单位"}
RUN_STATUS_LABELS = {"running": "进行中", "finished": "完成", "failed": "失败",
                     "interrupted": "中断"}


def type_label(problem_type: ProblemType | str) -> str:
    """The short label tables give a problem of this type (栏目逾期未更新 …), from the
    problem-type catalogue."""
    return kind_of(ProblemType(problem_type)).alert_label
