"""The banner drawn on every screenshot: what the monitor accuses, where, and when.

A screenshot leaves the office (it is sent to the unit, pasted into the 月报), so it must
say on itself what it shows: the page, the unit, the moment (Asia/Shanghai) and the verdict.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from monitor.calendar import LOCAL_ZONE
from monitor.domain import ProblemType
from monitor.problem_types import kind_of

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
    lines = [f"监测取证　{kind_of(subject.type).evidence_verdict}", f"问题：{detail}", where,
             f"页面：{subject.url}"]
    if subject.target and subject.target != subject.url and subject.type is not (
            ProblemType.PRIVACY_LEAK):
        lines.append(f"目标：{subject.target}")
    lines.append(f"截图时间：{local_time_text(captured_at)}　问题编号：{subject.problem_id}"
                 f"　portal-monitor {version}")
    return tuple(lines)
