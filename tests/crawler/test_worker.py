"""`python -m crawler.worker`: one crawl worker process, run as `crawler.pool` runs it —
its assignment on stdin, against a tiny portal on 127.0.0.1 and a migrated database —
and judged by its exit status, the lines it writes and the rows it leaves."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
import yaml
from sqlalchemy import Engine, select

from crawler.shards import COUNTS_PREFIX, PROGRESS_PREFIX, Assignment, counts_from_json
from monitor.config import PortalConfig
from monitor.crawlfacts.links import LinkTarget as CheckTarget
from monitor.domain import LinkKind
from storage.crawl_store import RunCounts, start_run
from storage.models import Column, ColumnCrawl, LinkTarget, Page, Post
from storage.session import session_factory
from storage.sync import sync_config
from tests.conftest import one_site

NOW = datetime.fromisoformat("2024-05-10T02:00:00+08:00")
WORKER = [sys.executable, "-m", "crawler.worker"]

HOME = """<html><head><title>瑞河县人民政府门户网站</title></head><body>
<ul class="news"><li><a href="/slj/gzdt/1.html">县水利局召开防汛工作会议</a>
<span>2024-05-08</span></li></ul></body></html>"""
LIST = """<html><head><title>工作动态</title></head><body><ul class="list">
<li><a href="/slj/gzdt/1.html">县水利局召开防汛工作会议</a><span>2024-05-08</span></li>
<li><a href="/slj/gzdt/2.html">县水利局开展河道巡查</a><span>2024-05-06</span></li>
</ul></body></html>"""
ARTICLE = """<html><head><meta name="PubDate" content="{day} 09:30">
<title>{title}</title></head><body><h1>{title}</h1><div class="TRS_Editor">
<p>{title}。县水利局组织各乡镇水利站负责人参加会议，部署下一阶段工作。</p>
<p><a href="/files/{number}.pdf">附件{number}</a> <a href="/files/missing.pdf">旧附件</a></p>
</div></body></html>"""
ARTICLES = {1: ("县水利局召开防汛工作会议", "2024-05-08"), 2: ("县水利局开展河道巡查", "2024-05-06")}


@dataclass
class Portal:
    """The tiny portal: what it serves, what it was asked, and articles that can be held."""

    url: str = ""
    requests: list[str] = field(default_factory=list)
    # While set, article pages are not answered (released when the test ends).
    hold_articles: bool = False
    release: threading.Event = field(default_factory=threading.Event)


def _page(portal: Portal, path: str) -> tuple[int, str, bytes]:
    if path == "/":
        return 200, "text/html; charset=utf-8", HOME.encode()
    if path == "/slj/gzdt/":
        return 200, "text/html; charset=utf-8", LIST.encode()
    for number, (title, day) in ARTICLES.items():
        if path == f"/slj/gzdt/{number}.html":
            if portal.hold_articles:
                portal.release.wait(30)
            body = ARTICLE.format(title=title, day=day, number=number)
            return 200, "text/html; charset=utf-8", body.encode()
        if path == f"/files/{number}.pdf":
            return 200, "application/pdf", b"%PDF-1.4\n%%EOF\n"
    return 404, "text/html; charset=utf-8", b"<html><body>404 Not Found</body></html>"


@pytest.fixture
def portal() -> Iterator[Portal]:
    state = Portal()

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802
            state.requests.append(self.path)
            status, content_type, body = _page(state, self.path)
            try:
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the worker is gone

        def do_HEAD(self) -> None:  # noqa: N802
            state.requests.append(self.path)
            status, content_type, body = _page(state, self.path)
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    state.url = f"http://127.0.0.1:{server.server_address[1]}/"
    yield state
    state.release.set()
    server.shutdown()
    server.server_close()


@dataclass(frozen=True)
class Run:
    """A crawl run opened in the database, and the assignment a worker gets for it."""

    db_url: str
    config_path: Path
    site_id: int
    run_id: int
    column_id: int

    def assignment(self, **changes: object) -> Assignment:
        fields: dict[str, object] = {
            "phase": "columns", "shard": 0, "shards": 1, "run_id": self.run_id,
            "site_id": self.site_id, "now": NOW, "config_path": str(self.config_path),
            "db_url": self.db_url, "browser_path": None, "column_ids": (self.column_id,),
            "read_home_page": True}
        fields.update(changes)
        return Assignment(**fields)  # type: ignore[arg-type]


def _document(portal: Portal) -> dict[str, object]:
    return {
        "site": {"name": "瑞河县人民政府门户网站", "url": portal.url},
        "crawl": {"delay_seconds": 0, "timeout_seconds": 20, "browser": "off"},
        "units": [{"name": "县水利局", "group": "县直单位", "columns": [
            {"name": "工作动态", "url": portal.url + "slj/gzdt/", "category": "dynamics",
             "cycle": "weekly"}]}],
    }


@pytest.fixture
def config_path(portal: Portal, tmp_path: Path) -> Path:
    path = tmp_path / "portal.yaml"
    path.write_text(yaml.safe_dump(_document(portal), allow_unicode=True), encoding="utf-8")
    return path


@pytest.fixture
def run(engine: Engine, portal: Portal, config_path: Path) -> Run:
    sessions = session_factory(engine)
    with sessions.begin() as session:
        site_id = sync_config(session, PortalConfig.model_validate(_document(portal))).site_id
    with sessions() as session:
        run_id = start_run(session, site_id, [], "cli", NOW)
        column_id = session.scalars(select(Column.id)).one()
    return Run(engine.url.render_as_string(hide_password=False), config_path, site_id, run_id,
               column_id)


@dataclass(frozen=True)
class Finished:
    returncode: int
    progress: list[dict[str, object]]
    counts: RunCounts | None
    stdout: str
    stderr: str


def _work(stdin: str) -> Finished:
    done = subprocess.run(WORKER, input=stdin, capture_output=True, text=True,
                          encoding="utf-8", timeout=120)
    lines = done.stdout.splitlines()
    progress = [json.loads(line[len(PROGRESS_PREFIX):]) for line in lines
                if line.startswith(PROGRESS_PREFIX)]
    counts = [counts_from_json(line[len(COUNTS_PREFIX):]) for line in lines
              if line.startswith(COUNTS_PREFIX)]
    assert len(counts) <= 1 and len(progress) + len(counts) == len(lines), done.stdout
    return Finished(done.returncode, progress, counts[0] if counts else None, done.stdout,
                    done.stderr)


def _events(finished: Finished) -> list[str]:
    return [str(event["event"]) for event in finished.progress]


@pytest.mark.slow
def test_a_column_assignment_reads_its_columns_and_reports_each_step_then_its_counts(
        engine: Engine, run: Run, portal: Portal) -> None:
    finished = _work(run.assignment().to_json())
    assert finished.returncode == 0, finished.stderr[-3000:]
    assert finished.progress[0] == {"event": "list_page", "new_posts": 2}
    assert sorted(_events(finished)) == ["article", "article", "column_done", "list_page"]
    counts = finished.counts
    assert counts is not None
    assert (counts.pages, counts.posts_new, counts.columns_ok, counts.columns_failed) == (
        1, 2, 1, 0)
    assert counts.new_by_column == {run.column_id: 2}
    assert (counts.home_page, counts.home_newest_item) == ("ok", date(2024, 5, 8))
    # The columns only: the link targets are another assignment's.
    assert counts.links_checked == 0
    assert not any(path.startswith("/files/") for path in portal.requests)
    with session_factory(engine)() as session:
        posts = {url.removeprefix(portal.url): (day.isoformat() if day else None,
                                                fetched is not None)
                 for url, day, fetched in session.execute(
                     select(Post.url, Post.date, Post.article_fetched_at))}
        pages = dict(session.execute(select(Page.url, Page.is_home)).tuples().all())
        outcome = session.scalars(select(ColumnCrawl.outcome).where(
            ColumnCrawl.run_id == run.run_id)).one()
        targets = set(session.scalars(select(LinkTarget.url)))
    assert posts == {"slj/gzdt/1.html": ("2024-05-08", True),
                     "slj/gzdt/2.html": ("2024-05-06", True)}
    assert pages == {portal.url: True, portal.url + "slj/gzdt/1.html": False,
                     portal.url + "slj/gzdt/2.html": False}
    assert outcome == "ok"
    assert {portal.url + "files/1.pdf", portal.url + "files/missing.pdf"} <= targets


@pytest.mark.slow
def test_a_worker_not_asked_for_the_home_page_leaves_it_unread(
        run: Run, portal: Portal) -> None:
    finished = _work(run.assignment(read_home_page=False).to_json())
    assert finished.returncode == 0, finished.stderr[-3000:]
    assert finished.counts is not None and finished.counts.home_page is None
    assert "/" not in portal.requests


@pytest.mark.slow
def test_a_link_assignment_checks_its_targets_and_records_their_verdicts(
        engine: Engine, run: Run, portal: Portal) -> None:
    working, missing, other = (portal.url + f"files/{name}.pdf" for name in ("1", "missing", "2"))
    with session_factory(engine).begin() as session:
        # The targets as the column assignments found them; `missing` was broken last
        # night, so one answer settles it (a new one would be confirmed seconds later).
        session.add_all(LinkTarget(site_id=one_site(session),
                                   url=url, kind="attachment", internal=True, first_seen=NOW,
                                   status="broken" if url == missing else "pending")
                        for url in (working, missing, other))
    targets = (CheckTarget(working, LinkKind.ATTACHMENT),
               CheckTarget(missing, LinkKind.ATTACHMENT, known_broken=True))
    finished = _work(run.assignment(phase="links", column_ids=(), read_home_page=False,
                                    targets=targets).to_json())
    assert finished.returncode == 0, finished.stderr[-3000:]
    assert _events(finished) == ["link_checked", "link_checked"]
    counts = finished.counts
    assert counts is not None
    assert (counts.links_checked, counts.pages, counts.columns_ok) == (2, 0, 0)
    with session_factory(engine)() as session:
        verdicts = {url: (status, http_status) for url, status, http_status in session.execute(
            select(LinkTarget.url, LinkTarget.status, LinkTarget.http_status))}
    # Only the targets it was given, and no column read.
    assert verdicts == {working: ("ok", 200), missing: ("broken", 404), other: ("pending", None)}
    assert not any(path.startswith("/slj/") for path in portal.requests)


@pytest.mark.slow
def test_an_assignment_that_is_not_json_ends_the_worker_with_status_1() -> None:
    finished = _work("columns, please")
    assert finished.returncode == 1
    assert (finished.progress, finished.counts) == ([], None)
    assert "JSONDecodeError" in finished.stderr


@pytest.mark.slow
def test_a_worker_on_a_database_without_tables_fails_before_asking_the_portal_anything(
        config_path: Path, portal: Portal, tmp_path: Path) -> None:
    empty = f"sqlite:///{tmp_path / 'empty.db'}"
    assignment = Assignment(phase="columns", shard=0, shards=1, run_id=1, site_id=1, now=NOW,
                            config_path=str(config_path), db_url=empty, browser_path=None,
                            column_ids=(1,), read_home_page=True)
    finished = _work(assignment.to_json())
    assert finished.returncode == 1
    assert (finished.progress, finished.counts) == ([], None)
    assert "no such table" in finished.stderr
    assert portal.requests == []


# The worker's parent, left by the test's own process once the worker has started reading:
# a process that starts the worker as `crawler.pool` does, passes on the first progress line
# and the worker's pid, and exits.
PARENT = """
import subprocess, sys
worker = subprocess.Popen(sys.argv[1:], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                          stderr=subprocess.DEVNULL, text=True)
worker.stdin.write(sys.stdin.read())
worker.stdin.close()
first = worker.stdout.readline()
print(worker.pid, first.split()[0] if first else "-", flush=True)
"""

# Adopts the orphaned worker (a child subreaper, Linux), runs its parent, then waits for
# the worker and prints its exit status, or kills it after 30 s and says so.
ADOPTER = """
import ctypes, os, subprocess, sys, time
PR_SET_CHILD_SUBREAPER = 36
assert ctypes.CDLL(None, use_errno=True).prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) == 0
parent = subprocess.run([sys.executable, "-c", sys.argv[1], *sys.argv[2:]],
                        stdin=sys.stdin, capture_output=True, text=True, check=True)
pid, first = parent.stdout.split()
started = time.monotonic()
while time.monotonic() - started < 30:
    done, status = os.waitpid(int(pid), os.WNOHANG)
    if done:
        print(first, os.waitstatus_to_exitcode(status), round(time.monotonic() - started, 1))
        break
    time.sleep(0.05)
else:
    os.kill(int(pid), 9)
    os.waitpid(int(pid), 0)
    print(first, "still running")
"""


@pytest.mark.skipif(sys.platform != "linux", reason="adopting an orphan needs a Linux subreaper")
@pytest.mark.slow
def test_a_worker_whose_parent_dies_stops_by_itself_with_status_3(
        run: Run, portal: Portal) -> None:
    portal.hold_articles = True  # the worker is mid-crawl when its parent goes
    done = subprocess.run([sys.executable, "-c", ADOPTER, PARENT, *WORKER],
                          input=run.assignment(read_home_page=False).to_json(),
                          capture_output=True, text=True, timeout=90)
    assert done.returncode == 0, done.stderr[-3000:]
    first, status, *waited = done.stdout.split()
    assert first == PROGRESS_PREFIX.strip()
    assert status == "3", done.stdout
    assert float(waited[0]) < 5  # it looks for its parent every second
