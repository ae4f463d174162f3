"""Markdown for reading (CommonMark with pipe tables).

Every ASCII punctuation character that Markdown or inline HTML could give a meaning to is
backslash-escaped, so a crawled title like `<script>` or `a|b` reads as typed and cannot
break a table or inject markup.
"""

from __future__ import annotations

import re
from pathlib import Path

from reports.model import MonthlyReport, QuarterlyReport
from reports.outline import (
    AnnexList,
    Block,
    Heading,
    ItemList,
    Masthead,
    Note,
    Paragraph,
    Table,
    Title,
    cell_text,
    outline,
)
from reports.text import one_line
from reports.wording import annex_indent, annex_lead, masthead_gap

_SPECIAL = re.compile(r"([\\`*_{}\[\]<>()#+!|~&\"'$-])")
_ORDERED_LIST_START = re.compile(r"^(\d+)([.)])")


def escape(text: str) -> str:
    return _SPECIAL.sub(r"\\\1", one_line(text))


def escape_line_start(text: str) -> str:
    """Also guards "1." at the start of a line, which would begin an ordered list."""
    return _ORDERED_LIST_START.sub(r"\1\\\2", escape(text))


def _table(block: Table) -> list[str]:
    lines = [f"## {escape(block.label)} {escape(block.caption)}", ""]
    lines.append("| " + " | ".join(escape(h) for h in block.header) + " |")
    lines.append("|" + "|".join(" --- " for _ in block.header) + "|")
    lines += ["| " + " | ".join(escape(cell_text(v)) for v in row) + " |" for row in block.rows]
    lines.append("")
    lines += [escape(note) + "  " for note in block.notes]
    return lines


def _items(block: ItemList) -> list[str]:
    lines = []
    for item in block.items:
        links = "".join(f"；{escape(label)}：{escape(url)}" for label, url in item.links)
        lines.append(f"- {escape(item.text)}{links}")
    return lines


def _block(block: Block) -> list[str]:
    if isinstance(block, Title):
        return [f"# {escape(block.text)}"]
    if isinstance(block, Masthead):
        line = masthead_gap().join(escape(p) for p in (block.issue_no, block.date_text) if p)
        return [f"**{escape(block.issuer)}**", "", *([line, ""] if line else []), "---"]
    if isinstance(block, Heading):
        return [f"### {escape(block.text)}"]
    if isinstance(block, Paragraph):
        if block.lead:
            # Emphasis cannot end in a space: an English lead's trailing space goes after it.
            lead = block.lead.rstrip()
            gap = block.lead[len(lead):]
            return [f"**{escape(lead)}**{gap}{escape(block.text)}"]
        return [escape_line_start(block.text)]
    if isinstance(block, Note):
        return [f"> {escape(block.text)}"]
    if isinstance(block, ItemList):
        return _items(block)
    if isinstance(block, AnnexList):
        joint = "  \n" + annex_indent()
        return [annex_lead() + joint.join(escape(line) for line in block.lines())]
    return _table(block)


def render_markdown(blocks: list[Block]) -> str:
    lines: list[str] = []
    for block in blocks:
        lines += _block(block)
        lines.append("")
    return "\n".join(lines)


def write_markdown(report: MonthlyReport | QuarterlyReport, path: Path) -> Path:
    path.write_text(render_markdown(outline(report)), encoding="utf-8")
    return path
