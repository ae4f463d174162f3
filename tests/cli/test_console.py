"""Every `SafeTable` fits the terminal: long cells fold, nothing is cut off."""

from __future__ import annotations

import io

import pytest
from rich.cells import cell_len

from monitor.commands.console import SafeTable, _SafeConsole

LONG_URL = "http://127.0.0.1:8000/xxgk/" + "c" * 90 + ".html"
LONG_TITLE = "瑞河县" + "关于进一步做好政务公开工作的通知" * 4


def wide_table() -> SafeTable:
    table = SafeTable("单位", title="栏目")
    table.add_column("标题")
    table.add_column("url")
    table.add_row("县水利局", LONG_TITLE, LONG_URL)
    return table


def printed(monkeypatch: pytest.MonkeyPatch, columns: str | None) -> list[str]:
    if columns is None:
        monkeypatch.delenv("COLUMNS", raising=False)
    else:
        monkeypatch.setenv("COLUMNS", columns)
    buffer = io.StringIO()
    _SafeConsole(file=buffer, highlight=False, soft_wrap=True).print(wide_table())
    return buffer.getvalue().splitlines()


@pytest.mark.parametrize("columns", ["100", "60"])
def test_a_table_folds_its_long_cells_to_the_terminal_width(
    monkeypatch: pytest.MonkeyPatch, columns: str
) -> None:
    lines = printed(monkeypatch, columns)
    assert max(cell_len(line) for line in lines) <= int(columns)
    column = ["".join(line.split("│")[n].strip() for line in lines if line.startswith("│"))
              for n in (2, 3)]
    assert column == [LONG_TITLE, LONG_URL]


def test_into_a_pipe_without_columns_a_table_keeps_its_natural_width(
    monkeypatch: pytest.MonkeyPatch
) -> None:
    lines = printed(monkeypatch, None)
    assert any(LONG_URL in line and LONG_TITLE in line for line in lines)
