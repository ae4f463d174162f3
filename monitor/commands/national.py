"""`monitor national`: the portal against the 2019 national indicators (SPEC §4.8, §5)."""

from __future__ import annotations

import typer
from rich.table import Table

from monitor.commands.check import AsOfOption, print_table
from monitor.commands.console import SafeTable, out, print_json
from monitor.commands.options import ConfigOption, DbOption, JsonOption, resolve
from monitor.rules.national import NationalItem, NationalResult
from monitor.services.dates import optional_day
from monitor.services.facts import recorded_site_id
from monitor.services.national import (
    behind_texts,
    national_document,
    national_result,
    threshold_words,
    value_words,
)
from storage import migrations

# How many columns or pages a table row names before it says how many more there are.
BEHIND_SHOWN = 5


HELP = N_("The portal against the national indicators' single-veto items (国办秘函〔2019〕19号).")


def national(
    ctx: typer.Context,
    as_of: AsOfOption = None,
    config: ConfigOption = None,
    db: DbOption = None,
    json: JsonOption = False,
) -> None:
    application = resolve(ctx, config, db)
    portal = application.config
    day = optional_day(as_of, "--as-of") or application.clock.today()
    migrations.require_current(application.engine)
    with application.sessions() as session:
        result = national_result(session, portal, recorded_site_id(session, portal), day)
    if json:
        print_json(national_document(result))
        return
    print_table(national_table(result))
    verdict = "存在单项否决项，网站不合格" if result.veto else "未触及单项否决项"
    out.print(f"结论：{verdict}")


def national_table(result: NationalResult) -> Table:
    table = SafeTable(title=f"国办指标单项否决项（截至{result.as_of}）")
    table.add_column("指标")
    table.add_column("数值", justify="right")
    table.add_column("否决标准", justify="right")
    table.add_column("否决")
    table.add_column("预警")
    table.add_column("涉及栏目或页面")
    for item in result.items:
        table.add_row(item.label, value_words(item), threshold_words(item),
                      "是" if item.veto else "否", "是" if item.warned else "否",
                      behind_words(item))
    return table


def behind_words(item: NationalItem) -> str:
    """The columns or pages behind an item, the first few by name."""
    names = behind_texts(item)
    shown = "；".join(names[:BEHIND_SHOWN])
    if len(names) > BEHIND_SHOWN:
        shown += f"；等{len(names)}处"
    if item.note:
        shown = f"{shown}（{item.note}）" if shown else item.note
    return shown
