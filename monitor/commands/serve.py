"""`monitor serve`: the web dashboard (SPEC §8), run by uvicorn in the foreground."""

from __future__ import annotations

from typing import Annotated

import typer
import uvicorn

from monitor.commands.console import err
from monitor.commands.language import paragraphs
from monitor.commands.options import ConfigOption, DbOption, PortalOption, resolve
from monitor.i18n import N_, _
from monitor.web.app import create_app, warm_up
from storage import migrations

HostOption = Annotated[
    str, typer.Option("--host", metavar=N_("ADDRESS"),
                      help=N_("Address to listen on (keep 127.0.0.1 behind a proxy)."))
]
PortOption = Annotated[int, typer.Option("--port", min=1, max=65535, metavar=N_("PORT"),
                                         help=N_("Port to listen on."))]


HELP = paragraphs(
    N_("Serve the dashboard: 总览, 单位, 问题, 报告, 采集记录 and the JSON API, behind a "
       "login."),
    N_("Add users first with 'monitor users add'. X-Forwarded-* headers are believed only "
       "from the addresses in web.trusted_proxies."))


def serve(
    ctx: typer.Context,
    host: HostOption = "127.0.0.1",
    port: PortOption = 8080,
    config: ConfigOption = None,
    db: DbOption = None,
    portal: PortalOption = None,
) -> None:
    application = resolve(ctx, config, db, portal)
    migrations.require_current(application.engine)
    web = create_app(application)
    warm_up(web)
    err.print(_("dashboard on {url} (Ctrl-C stops it)").format(url=f"http://{host}:{port}/"),
              markup=False)
    # The app applies the proxy headers itself, from web.trusted_proxies only.
    uvicorn.run(web, host=host, port=port, proxy_headers=False, server_header=False,
                log_level="warning")
