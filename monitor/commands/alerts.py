"""`monitor alerts …`: weekly staleness alerts, due-soon reminders, the outbox."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from monitor.alerts.compose import ComposedMessage
from monitor.alerts.outbox import Delivery, OutboxStatus, outbox_status
from monitor.alerts.service import (
    Outcome,
    due_soon_messages,
    queue_and_send,
    send_due,
    weekly_messages,
    write_eml,
)
from monitor.alerts.templates import AlertTemplates
from monitor.app import App
from monitor.clock import to_local
from monitor.commands.console import SafeTable, out, print_json
from monitor.commands.each_portal import run_for_each
from monitor.commands.options import (
    AllPortalsOption,
    ConfigOption,
    DbOption,
    JsonOption,
    PortalOption,
    resolve,
    resolve_each,
)
from monitor.errors import AlertError
from monitor.i18n import N_, _
from storage import migrations
from storage.queries import site_id_of

app = typer.Typer(help=N_("Alerts to units and the office, by e-mail and in chat groups."),
                  no_args_is_help=True)

DryRunOption = Annotated[
    bool, typer.Option("--dry-run",
                       help=N_("Compose the messages but neither queue nor send them."))
]
OutOption = Annotated[
    Path | None,
    typer.Option("--out", metavar=N_("DIR"),
                 help=N_("With --dry-run: write each e-mail as an .eml file here, and each chat "
                         "message as a .txt file of its text."),
                 show_default=False),
]


@app.command("weekly", help=N_("Send this week's alert to every unit that is behind, and "
                                "the digest to the office."))
def weekly(ctx: typer.Context, dry_run: DryRunOption = False, out_dir: OutOption = None,
           config: ConfigOption = None, db: DbOption = None,
           portal: PortalOption = None, json: JsonOption = False) -> None:
    application = resolve(ctx, config, db, portal)
    messages = weekly_messages(application, AlertTemplates())
    _run(application, messages, dry_run, out_dir, json)


@app.command("due-soon", help=N_("Remind units whose columns are due this week (the "
                                  "scheduler runs it on Thursday)."))
def due_soon(ctx: typer.Context, dry_run: DryRunOption = False, out_dir: OutOption = None,
             config: ConfigOption = None, db: DbOption = None,
             portal: PortalOption = None, json: JsonOption = False) -> None:
    application = resolve(ctx, config, db, portal)
    messages = due_soon_messages(application, AlertTemplates())
    _run(application, messages, dry_run, out_dir, json)


@app.command("send", help=N_("Send the messages waiting in the outbox whose retry time has come."))
def send(ctx: typer.Context, config: ConfigOption = None, db: DbOption = None,
         portal: PortalOption = None, every: AllPortalsOption = False,
         json: JsonOption = False) -> None:
    portals = resolve_each(ctx, config, db, portal, every)
    if every:
        run_for_each(portals, ["alerts", "send"], _delivery_line, json)
        return
    [(_name, application)] = portals
    delivery = send_due(application)
    if json:
        print_json(_delivery_json(delivery))
    else:
        out.print(_delivery_line(_delivery_json(delivery)))
        _print_undelivered(delivery)
    _fail_if_waiting(delivery)


def _delivery_line(document: dict[str, Any]) -> str:
    """A delivery in one line, from its `--json` document."""
    return _("{sent} sent, {failed} not accepted").format(sent=document["sent"],
                                                          failed=document["failed"])


@app.command("status", help=N_("Show the outbox: messages sent, and those waiting with their "
                                "last error."))
def status(ctx: typer.Context, config: ConfigOption = None, db: DbOption = None,
           portal: PortalOption = None,
           json: JsonOption = False) -> None:
    application = resolve(ctx, config, db, portal)
    migrations.require_current(application.engine)
    with application.sessions() as session:
        site_id = site_id_of(session, application.config.site.url)
        # A portal never recorded has queued nothing.
        state = (OutboxStatus(0, (), None) if site_id is None
                 else outbox_status(session, site_id))
    if json:
        print_json(_status_json(state))
        return
    if state.waiting:
        out.print(waiting_table(state))
    if state.undelivered:
        out.print(undelivered_table(state))
    last = to_local(state.last_sent_at).strftime("%Y-%m-%d %H:%M") if state.last_sent_at else "—"
    line = _("{sent} sent (last {last}), {waiting} waiting").format(
        sent=state.sent, last=last, waiting=len(state.waiting))
    if state.undelivered:
        line += _(", {count} recipient(s) not reached").format(count=len(state.undelivered))
    out.print(line)


def _run(application: App, messages: list[ComposedMessage], dry_run: bool,
         out_dir: Path | None, json: bool) -> None:
    if out_dir is not None and not dry_run:
        raise AlertError(_("--out writes .eml files instead of sending: use it with --dry-run"))
    if dry_run:
        paths = write_eml(application, messages, out_dir) if out_dir is not None else []
        if json:
            print_json({"dry_run": True, "messages": [_message_json(m) for m in messages],
                        "files": [str(path) for path in paths]})
            return
        for message in messages:
            out.print(_("{kind}: {recipients}: {subject}").format(
                kind=_kind(message.kind), recipients=", ".join(message.recipients),
                subject=message.subject), markup=False)
        if out_dir is None:
            out.print(_("dry run: {count} messages composed; nothing sent")
                      .format(count=len(messages)), markup=False)
        else:
            out.print(_("dry run: {count} messages composed, written to {dir}; nothing sent")
                      .format(count=len(messages), dir=out_dir), markup=False)
        return
    outcome = queue_and_send(application, messages)
    if json:
        print_json(_outcome_json(outcome))
    else:
        out.print(_("{composed} messages for this week: {new} new, {before} already queued "
                    "before; {sent} sent now, {failed} not accepted").format(
            composed=outcome.composed, new=outcome.queued.added,
            before=outcome.queued.already_queued, sent=outcome.delivery.sent,
            failed=outcome.delivery.failed))
        _print_undelivered(outcome.delivery)
    _fail_if_waiting(outcome.delivery)


def _print_undelivered(delivery: Delivery) -> None:
    for line in delivery.undelivered:
        out.print(_("not delivered: {line}").format(line=line), markup=False)


def _fail_if_waiting(delivery: Delivery) -> None:
    if delivery.undelivered and not delivery.failed:
        raise AlertError(
            _("{count} recipient(s) refused for good or not confirmed by the SMTP server or a "
              "chat robot; they are not retried (see `monitor alerts status`)").format(
                count=len(delivery.undelivered)))
    if delivery.failed:
        raise AlertError(
            _("{count} message(s) not accepted by the SMTP server or a chat robot ({errors}); "
              "they wait in the "
              "outbox and are retried by `monitor alerts send` and the scheduler's outbox "
              "job").format(count=delivery.failed,
                            errors="; ".join(delivery.errors) or _("server unreachable")))


def waiting_table(state: OutboxStatus) -> Table:
    table = SafeTable(title=_("Waiting in the outbox"))
    for heading in (_("id"), _("kind"), _("week"), _("to"), _("subject"), _("attempts"),
                    _("last error"), _("retry")):
        table.add_column(heading)
    for message in state.waiting:
        retry = (to_local(message.next_attempt_at).strftime("%Y-%m-%d %H:%M")
                 if message.next_attempt_at else _("next run"))
        table.add_row(str(message.id), _kind(message.kind), message.week.isoformat(),
                      ", ".join(message.recipients), message.subject, str(message.attempts),
                      message.last_error or "", retry)
    return table


def undelivered_table(state: OutboxStatus) -> Table:
    table = SafeTable(title=_("Not delivered (not retried)"))
    for heading in (_("id"), _("kind"), _("week"), _("to"), _("outcome"), _("reply"), _("at")):
        table.add_column(heading)
    for item in state.undelivered:
        table.add_row(str(item.message_id), _kind(item.kind), item.week.isoformat(),
                      item.recipient, _("refused") if item.refused else _("uncertain"),
                      item.reply,
                      to_local(item.at).strftime("%Y-%m-%d %H:%M"))
    return table


# The kinds of message the outbox holds, as the office calls them.
MESSAGE_KINDS = {"weekly": N_("weekly alert"), "digest": N_("office digest"),
                 "due_soon": N_("due-soon reminder")}


def _kind(kind: str) -> str:
    text = MESSAGE_KINDS.get(kind)
    return kind if text is None else _(text)


def _message_json(message: ComposedMessage) -> dict[str, object]:
    return {"kind": message.kind, "key": message.dedupe_key, "week": message.week.isoformat(),
            "channel": message.channel, "recipients": list(message.recipients),
            "subject": message.subject}


def _delivery_json(delivery: Delivery) -> dict[str, object]:
    return {"sent": delivery.sent, "failed": delivery.failed, "errors": list(delivery.errors),
            "undelivered": list(delivery.undelivered)}


def _outcome_json(outcome: Outcome) -> dict[str, object]:
    return {"composed": outcome.composed, "queued": outcome.queued.added,
            "already_queued": outcome.queued.already_queued,
            **_delivery_json(outcome.delivery)}


def _status_json(state: OutboxStatus) -> dict[str, object]:
    return {
        "sent": state.sent,
        "last_sent_at": to_local(state.last_sent_at).isoformat() if state.last_sent_at else None,
        "waiting": [{"id": m.id, "kind": m.kind, "week": m.week.isoformat(),
                     "recipients": list(m.recipients), "subject": m.subject,
                     "attempts": m.attempts, "last_error": m.last_error,
                     "next_attempt_at": (to_local(m.next_attempt_at).isoformat()
                                         if m.next_attempt_at else None)}
                    for m in state.waiting],
        "undelivered": [{"id": u.message_id, "kind": u.kind, "week": u.week.isoformat(),
                         "recipient": u.recipient,
                         "outcome": "refused" if u.refused else "uncertain", "reply": u.reply,
                         "at": to_local(u.at).isoformat()}
                        for u in state.undelivered],
    }
