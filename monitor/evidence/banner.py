"""The banner drawn on every screenshot: what the monitor accuses, where, and when.

A screenshot leaves the office (it is sent to the unit, pasted into the 月报), so it must
say on itself what it shows: the page, the unit, the moment (Asia/Shanghai) and the verdict.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from monitor.calendar import LOCAL_ZONE
from monitor.domain import ProblemType

VERDICTS: dict[ProblemType, str] = {
    ProblemType.BROKEN_LINK: "链接无法访问（错链）",
    ProblemType.DEAD_IMAGE: "图片无法显示",
    ProblemType.BROKEN_ATTACHMENT: "附件无法下载",
    ProblemType.PRIVACY_LEAK: "疑似泄露个人隐私（号码已按数据库方式遮盖）",
    ProblemType.HIDDEN_LINK: "疑似暗链（隐藏的站外链接，取证时已显示并框出）",
    ProblemType.OVERDUE_COLUMN: "栏目逾期未更新",
    ProblemType.EMPTY_COLUMN: "空白栏目（从未发布信息）",
}

# What the red frame around the located element says.
ELEMENT_LABELS: dict[ProblemType, str] = {
    ProblemType.BROKEN_LINK: "无法访问的链接",
    ProblemType.DEAD_IMAGE: "无法显示的图片",
    ProblemType.BROKEN_ATTACHMENT: "无法下载的附件",
    ProblemType.HIDDEN_LINK: "被隐藏的内容（访客不可见）",
}

TRUNCATED_CAPTION = "截断：页面过长，以下内容未截取"
_DETAIL_LIMIT = 160


@dataclass(frozen=True)
class EvidenceSubject:
    """The problem a capture is evidence of, as the banner names it."""

    problem_id: int
    type: ProblemType
    unit: str | None
    column: str | None
    url: str
    target: str | None
    detail: str


def local_time_text(moment: datetime) -> str:
    local = moment.astimezone(LOCAL_ZONE)
    return f"{local:%Y年%m月%d日 %H:%M:%S}（北京时间）"


def banner_lines(subject: EvidenceSubject, site_name: str, captured_at: datetime,
                 version: str) -> tuple[str, ...]:
    """The banner's lines, first the verdict; every line is Chinese for the officer."""
    detail = subject.detail if len(subject.detail) <= _DETAIL_LIMIT else (
        subject.detail[:_DETAIL_LIMIT] + "…")
    where = f"单位：{subject.unit or site_name}"
    if subject.column:
        where += f"　栏目：{subject.column}"
    lines = [f"监测取证　{VERDICTS[subject.type]}", f"问题：{detail}", where,
             f"页面：{subject.url}"]
    if subject.target and subject.target != subject.url and subject.type is not (
            ProblemType.PRIVACY_LEAK):
        lines.append(f"目标：{subject.target}")
    lines.append(f"截图时间：{local_time_text(captured_at)}　问题编号：{subject.problem_id}"
                 f"　portal-monitor {version}")
    return tuple(lines)
