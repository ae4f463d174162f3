"""`monitor national`: the portal against the 2019 national indicators (SPEC §4.8, §5)."""

from __future__ import annotations

import typer
from rich.table import Table

from monitor.app import App
from monitor.commands.check import AsOfOption, print_table
from monitor.commands.console import SafeTable, out, print_json
from monitor.commands.options import (
    AllOption,
    ConfigOption,
    DbOption,
    JsonOption,
    PortalOption,
    portal_heading,
    resolve_each,
)
from monitor.i18n import N_, _
from monitor.labels import yes_no
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
    portal: PortalOption = None,
    every: AllOption = False,
    json: JsonOption = False,
) -> None:
    documents = {}
    for name, application in resolve_each(ctx, config, db, portal, every):
        if every and not json:
            portal_heading(name)
        documents[name] = portal_national(application, as_of, json)
    if json:
        print_json(documents if every else next(iter(documents.values())))


def portal_national(application: App, as_of: str | None, json: bool) -> dict[str, object]:
    """Judge one portal, print its table (unless `json`), give its JSON document."""
    portal = application.config
    day = optional_day(as_of, "--as-of") or application.clock.today()
    migrations.require_current(application.engine)
    with application.sessions() as session:
        result = national_result(session, portal, recorded_site_id(session, portal), day)
    if not json:
        print_table(national_table(result))
        verdict = _("存在单项否决项，网站不合格") if result.veto else _("未触及单项否决项")
        out.print(_("结论：{verdict}").format(verdict=verdict))
    return national_document(result)


def national_table(result: NationalResult) -> Table:
    table = SafeTable(title=_("国办指标单项否决项（截至{day}）").format(day=result.as_of))
    table.add_column(_("指标"))
    table.add_column(_("数值"), justify="right")
    table.add_column(_("否决标准"), justify="right")
    table.add_column(_("否决"))
    table.add_column(_("预警"))
    table.add_column(_("涉及栏目或页面"))
    for item in result.items:
        table.add_row(_(item.label), value_words(item), threshold_words(item),
                      yes_no(item.veto), yes_no(item.warned), behind_words(item))
    return table


def behind_words(item: NationalItem) -> str:
    """The columns or pages behind an item, the first few by name."""
    names = behind_texts(item)
    shown = _("；").join(names[:BEHIND_SHOWN])
    if len(names) > BEHIND_SHOWN:
        shown += _("；等{count}处").format(count=len(names))
    if item.note:
        shown = f"{shown}（{item.note}）" if shown else item.note
    return shown
