"""The discovery as a config draft (YAML with the evidence in comments) and as data.

The YAML is written by hand, not dumped, so that every unit and column carries its
comment; strings are written as JSON strings, which YAML reads as double-quoted
scalars. The draft passes `monitor config check` as it is: the office's own figures
(`annual_target`, `contacts`) are left as marked placeholders that validate.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from monitor.services.discover import Discovery, DraftColumn, DraftUnit

PLACEHOLDER = "待填"


def _q(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def _comment(text: str) -> str:
    """One comment line: `text` keeps its indentation, its inner line breaks become spaces."""
    indent = text[: len(text) - len(text.lstrip())]
    return indent + " ".join(text.split())


def draft_yaml(discovery: Discovery, today: date) -> str:
    lines = [
        f"# 配置草稿：由 monitor discover 于 {today.isoformat()} 从 {discovery.site_url} 生成。",
        f"# 读取 {discovery.pages_read} 个页面，发现 {len(discovery.units)} 个单位、"
        f"{len(discovery.columns)} 个栏目。",
        "# 单位分组、栏目类别和更新周期都是按名称猜测的，每项上方的注释写明了依据，请逐项核对。",
        f"# annual_target（年度任务数）和 contacts（接收提醒的邮箱）是占位，标有“{PLACEHOLDER}”，"
        "请填写。",
        "# 改完后运行 monitor config check 检查，再运行 monitor crawl 采集。",
    ]
    if discovery.budget_exhausted:
        lines.append("# 注意：页面数达到上限，走访未完成，可能还有栏目未发现"
                     "（可加大 --max-pages）。")
    lines += [
        "site:",
        f"  name: {_q(discovery.site_name)}   # 取自首页标题",
        f"  url: {_q(discovery.site_url)}",
        "units:",
    ]
    for unit in discovery.units:
        lines += _unit_lines(unit, discovery.compared)
    if discovery.unassigned:
        lines.append("# 以下列表页未能确定所属单位，未写入草稿；如需监测，请归入相应单位：")
        for column in discovery.unassigned:
            lines.append(_comment(f"#   {column.name}: {column.url}（{column.found_on}）"))
    if discovery.missing:
        lines.append("# 现有配置中的以下栏目本次未发现（可能已改版或超出走访范围）：")
        for configured in discovery.missing:
            lines.append(_comment(f"#   {configured.unit} / {configured.name}: {configured.url}"))
    return "\n".join(lines) + "\n"


def _unit_lines(unit: DraftUnit, compared: bool) -> list[str]:
    lines = [
        _comment(f"  # {unit.name}：名称{unit.found}；分组 {unit.group}：{unit.group_reason}"),
        f"  - name: {_q(unit.name)}",
        f"    group: {_q(unit.group)}",
        f"    aliases: [{', '.join(_q(alias) for alias in unit.aliases)}]",
        f"    annual_target: null   # {PLACEHOLDER}：年度任务数",
        f"    contacts: []   # {PLACEHOLDER}：接收本单位每周提醒的邮箱，如 [\"dw@example.gov.cn\"]",
        "    columns:",
    ]
    for column in unit.columns:
        lines += _column_lines(column, compared)
    return lines


def _column_lines(column: DraftColumn, compared: bool) -> list[str]:
    status = ""
    if compared:
        status = (f"；已在现有配置中（{column.known_as}）" if column.known_as is not None
                  else "；新增栏目")
    lines = [
        _comment(f"      # {column.name}：{column.found_on}；{column.list_evidence}；"
                 f"{column.unit_evidence}{status}"),
        _comment(f"      #   类别 {column.category.value}：{column.category_reason}；"
                 f"周期 {column.cycle.value}：{column.cycle_reason}"),
        f"      - name: {_q(column.name)}",
        f"        url: {_q(column.url)}",
        f"        category: {column.category.value}",
        f"        cycle: {column.cycle.value}",
    ]
    if column.deadline is not None:
        lines.append(f"        deadline: {_q(column.deadline)}")
    lines.append(f"        render: {column.render.value}")
    if column.style is not None:
        lines += ["        list:", f"          style: {column.style.value}"]
    return lines


def draft_data(discovery: Discovery) -> dict[str, Any]:
    """The same draft as data (`--json`)."""
    document: dict[str, Any] = {
        "site": {"name": discovery.site_name, "url": discovery.site_url},
        "pages_read": discovery.pages_read,
        "complete": not discovery.budget_exhausted,
        "units": [_unit_data(unit) for unit in discovery.units],
        "unassigned": [_column_data(column) for column in discovery.unassigned],
    }
    if discovery.compared:
        document["known"] = [column.url for column in discovery.known]
        document["additions"] = [column.url for column in discovery.additions]
        document["missing"] = [
            {"unit": item.unit, "column": item.name, "url": item.url}
            for item in discovery.missing
        ]
    return document


def _unit_data(unit: DraftUnit) -> dict[str, Any]:
    return {
        "name": unit.name, "group": unit.group, "aliases": unit.aliases,
        "annual_target": None, "contacts": [],
        "evidence": {"found": unit.found, "group": unit.group_reason},
        "columns": [_column_data(column) for column in unit.columns],
    }


def _column_data(column: DraftColumn) -> dict[str, Any]:
    return {
        "name": column.name, "url": column.url, "category": column.category.value,
        "cycle": column.cycle.value, "deadline": column.deadline,
        "render": column.render.value,
        "list": {"style": column.style.value} if column.style is not None else None,
        "known": column.known_as is not None,
        "known_as": column.known_as,
        "evidence": {"found_on": column.found_on, "list": column.list_evidence,
                     "unit": column.unit_evidence, "category": column.category_reason,
                     "cycle": column.cycle_reason},
    }
