"""A real SMTP server on loopback, and a portal database as it stands on a Monday morning.

The week: as of Monday 2024-05-13 08:30 (Asia/Shanghai), after the 劳动节 holiday
(1-5 May off, Saturday 11 May a make-up working day).
- 县水利局: its weekly 工作动态 last posted on 19 April (overdue), a broken link and a
  dead image open; weekly rule missed the week of 6 May (this month) and the weeks of
  22 April, 29 April and 6 May (this quarter).
- 县应急管理局: a monthly 通知公告 overdue; its configured name carries a CR LF and a
  Bcc header, as a hostile or careless edit could.
- 县卫生健康委员会: up to date, but one broken attachment is open.
- 青石镇: up to date; its overdue problem was ignored by an officer. No mail.
"""

from __future__ import annotations

import socket
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session
from sqlalchemy import Engine, select
from typer.testing import CliRunner, Result

from monitor.cli import app
from monitor.clock import SHANGHAI
from monitor.config import load_config
from storage.models import Column, ColumnCrawl, CrawlRun, Post, Problem, Site, Unit
from storage.session import create_db_engine, session_factory
from storage.sync import sync_config
from tests.conftest import one_site

AS_OF = "2024-05-13T08:30:00+08:00"
WEEK = date(2024, 5, 13)
BASE = "http://127.0.0.1:8000/"
HOSTILE_NAME = "县应急管理局\r\nBcc: evil@example.com"

CONFIG = """\
site: {{name: 瑞河县人民政府门户网站, url: "http://127.0.0.1:8000/"}}
email:
  smtp: {{host: 127.0.0.1, port: {port}}}
  sender: 政务公开办 <gkb@example.gov.cn>
  office: [gkb@example.gov.cn]
units:
  - name: 县水利局
    group: 县直单位
    contacts: [slj@example.gov.cn, slj2@example.gov.cn]
    columns:
      - {{name: 工作动态, url: "{base}slj/gzdt/", category: dynamics, cycle: weekly}}
  - name: "{hostile}"
    group: 县直单位
    contacts: [yjj@example.gov.cn]
    columns:
      - {{name: 通知公告, url: "{base}yjj/tzgg/", category: notice, cycle: monthly}}
  - name: 县卫生健康委员会
    group: 县直单位
    contacts: [wjw@example.gov.cn]
    columns:
      - {{name: 工作动态, url: "{base}wjw/gzdt/", category: dynamics, cycle: weekly}}
  - name: 青石镇
    group: 乡镇
    contacts: [qsz@example.gov.cn]
    columns:
      - {{name: 乡镇动态, url: "{base}qsz/xzdt/", category: dynamics, cycle: weekly}}
"""

POST_DATES = {
    "slj/gzdt/": ["2024-04-02", "2024-04-10", "2024-04-19"],
    "yjj/tzgg/": ["2024-03-20"],
    "wjw/gzdt/": ["2024-04-03", "2024-04-12", "2024-04-16", "2024-04-24", "2024-04-29",
                  "2024-05-08"],
    "qsz/xzdt/": ["2024-04-02", "2024-04-09", "2024-04-17", "2024-04-23", "2024-04-28",
                  "2024-05-07"],
}


@dataclass
class Mailbox:
    """What the SMTP server accepted: (envelope sender, recipients, raw message)."""

    received: list[tuple[str, list[str], bytes]] = field(default_factory=list)
    refuse_with: str | None = None

    async def handle_DATA(self, server: SMTP, session: Session,  # noqa: N802
                          envelope: Envelope) -> str:
        if self.refuse_with is not None:
            return self.refuse_with
        self.received.append((str(envelope.mail_from), list(envelope.rcpt_tos),
                              bytes(envelope.original_content or b"")))
        return "250 OK"


@dataclass
class SmtpServer:
    port: int
    mailbox: Mailbox
    controller: Controller | None = None

    def start(self) -> None:
        self.controller = Controller(self.mailbox, hostname="127.0.0.1", port=self.port)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def smtp_server() -> Iterator[SmtpServer]:
    """Not started: each test starts it when the server is meant to be up."""
    server = SmtpServer(free_port(), Mailbox())
    yield server
    server.stop()


@pytest.fixture
def portal_week(database_url: str, tmp_path: Path, smtp_server: SmtpServer) -> Path:
    """The config file of the week described above, with its database filled."""
    path = tmp_path / "portal.yaml"
    path.write_text(CONFIG.format(port=smtp_server.port, base=BASE,
                                  hostile=HOSTILE_NAME.replace("\r", "\\r").replace("\n", "\\n")),
                    encoding="utf-8")
    config = load_config(path)
    engine = create_db_engine(database_url)
    crawled = datetime(2024, 3, 1, 2, 0, tzinfo=SHANGHAI)
    now = datetime(2024, 5, 13, 2, 0, tzinfo=SHANGHAI)
    with session_factory(engine).begin() as session:
        sync_config(session, config)
        columns = {column.url.removeprefix(BASE): column
                   for column in session.scalars(select(Column))}
        units = {unit.name: unit for unit in session.scalars(select(Unit))}
        # Last night's crawl read every column: the judgement stands on current facts.
        run = CrawlRun(site_id=next(iter(columns.values())).site_id, started_at=now,
                       finished_at=now, status="finished")
        session.add(run)
        session.flush()
        for suffix, days in POST_DATES.items():
            column = columns[suffix]
            column.first_crawled_at = crawled
            session.add(ColumnCrawl(run_id=run.id, column_id=column.id, outcome="ok",
                                    finished_at=now))
            for day in days:
                session.add(Post(column_id=column.id, url=f"{BASE}{suffix}{day}.html",
                                 title=f"{day} 工作信息", date=date.fromisoformat(day),
                                 date_source="list", first_seen=crawled, last_seen=now,
                                 seen_on_first_crawl=True))

        def problem(kind: str, unit: str, column: str | None, state: str = "open",
                    url: str | None = None, target: str | None = None,
                    detail: str = "") -> None:
            column_row = columns[column] if column else None
            session.add(Problem(
                site_id=one_site(session),
                # Column problems keyed as the rules key them, so a refresh finds them again.
                type=kind, key=(f"column:{column_row.id}" if column_row and target is None
                                else f"{kind}:{url or column}:{target}"),
                unit_id=units[unit].id,
                column_id=column_row.id if column_row else None,
                url=url or (column_row.url if column_row else None), target=target,
                detail=detail, state=state, first_seen=now, last_seen=now))

        problem("overdue_column", "县水利局", "slj/gzdt/")
        problem("broken_link", "县水利局", "slj/gzdt/", url=f"{BASE}slj/gzdt/2024-04-19.html",
                target="http://old.example.gov.cn/zt/", detail="HTTP 404")
        problem("dead_image", "县水利局", "slj/gzdt/", url=f"{BASE}slj/gzdt/2024-04-10.html",
                target=f"{BASE}images/a.jpg", detail="not an image")
        problem("overdue_column", HOSTILE_NAME, "yjj/tzgg/")
        problem("broken_attachment", "县卫生健康委员会", "wjw/gzdt/",
                url=f"{BASE}wjw/gzdt/2024-05-08.html", target=f"{BASE}files/plan.docx",
                detail="HTTP 500")
        problem("overdue_column", "青石镇", "qsz/xzdt/", state="ignored")
    engine.dispose()
    return path


@pytest.fixture
def monitor(monkeypatch: pytest.MonkeyPatch, database_url: str,
            portal_week: Path) -> Callable[..., Result]:
    """`monitor ARGS --config … --db …` in-process at the time `now` (default: AS_OF)."""
    for name in ("MONITOR_CONFIG", "MONITOR_DB", "MONITOR_NOW"):
        monkeypatch.delenv(name, raising=False)

    def run(*args: str, now: str = AS_OF) -> Result:
        return CliRunner().invoke(
            app, ["--config", str(portal_week), "--db", database_url, *args],
            env={"MONITOR_NOW": now}, catch_exceptions=False)

    return run


def outbox_site(engine: Engine) -> int:
    """The portal whose outbox a test fills: the one recorded, else one made for it."""
    with session_factory(engine).begin() as session:
        site_id = session.scalar(select(Site.id))
        if site_id is None:
            site = Site(name="瑞河县人民政府门户网站", url=BASE)
            session.add(site)
            session.flush()
            site_id = site.id
        return site_id
