"""An alert's .eml file is named by week and unit, in characters every file system takes."""

from __future__ import annotations

from datetime import date

import pytest

from monitor.alerts.compose import DIGEST, DUE_SOON, WEEKLY, ComposedMessage
from monitor.alerts.service import eml_file_name


def message(kind: str, unit_name: str | None, week: date = date(2024, 4, 22)) -> ComposedMessage:
    return ComposedMessage(kind, f"{kind}:x", 7 if unit_name else None, week, ("a@b.cn",),
                           "主题", "正文", "<p>正文</p>", unit_name)


@pytest.mark.parametrize(("kind", "unit", "expected"), [
    (WEEKLY, "县水利局", "2024-W17_县水利局.eml"),
    (DIGEST, None, "2024-W17_办公室汇总.eml"),
    (DUE_SOON, "县水利局", "2024-W17_县水利局_即将逾期提醒.eml"),
    # No separator, space or reserved character survives: the file stays in its directory.
    (WEEKLY, "../县 水利局/二科:*?", "2024-W17_.._县_水利局_二科_.eml"),
])
def test_the_file_is_named_by_iso_week_and_unit(kind: str, unit: str | None,
                                                expected: str) -> None:
    assert eml_file_name(message(kind, unit)) == expected


def test_the_iso_year_of_a_week_that_starts_in_december_is_the_next_one() -> None:
    assert eml_file_name(message(WEEKLY, "青石镇", date(2024, 12, 30))) == "2025-W01_青石镇.eml"
