"""Link-checker benchmark (issue #5): portal-monitor beside LinkChecker and linkinator.

The site: the columns of the large sample portal that carry the link traps (22 columns,
about 2,000 articles, every trap of `sampleportal.traps` once; `--extra-columns N` adds
more). A fresh server is started for each run, so the stateful traps (the rate-limited
page answers 429 on every other request) start alike for everyone. One after another:

  - portal-monitor: `monitor crawl` on a config of those columns. It reads the column
    lists, the articles and the home page, then checks every target found on them
    (`--workers 1 2` runs it once per `crawl.workers` value; workers share the limit);
  - LinkChecker: the home page and the same articles as start URLs,
    `--recursion-level 1` (check every link on them, parse nothing further);
  - linkinator: the home page and the same articles as locations, not recursive (it
    checks every link, image and script of each page and parses nothing further);
  - linkinator again, held to the concurrency by the benchmark: 7.x starts every crawl
    before its queue counts it, so `--concurrency` does not bound its requests. A
    preloaded module gives Node's HTTP client at most N connections per origin.

All are told the same concurrency (`--concurrency`; for portal-monitor its
`concurrency_per_host`, the three loopback ports being one host) and timeout. Printed
per run: wall time, distinct URLs checked (counted from the tool's own output), URLs/s,
requests the portal answered, the most connections it saw open at once, peak RSS of the
tool's process tree, and the verdicts on the traps against the truth. A false positive
is a URL reported broken that is not (working, WAF-blocked, or never to be requested,
like `mailto:`); a false negative is a broken trap target not reported broken.

Before the tools, the portal server is measured alone with wrk (Debian package `wrk`),
so that a reader can see whether it, not a tool, set the pace. After the table, the
issue's targets: portal-monitor's whole run and its link-check phase against capped
linkinator's URLs/s of the same invocation, and the peak RSS of both.

The peers are no project dependency and are skipped when absent: LinkChecker from the
Debian package `linkchecker`; linkinator from npm, installed beside this script where git
ignores it (`npm install --prefix bench/.node linkinator@7`; found there or on PATH).

Run: .venv/bin/python bench/bench_linkcheck.py [--concurrency 8] [--extra-columns N]
         [--latency-ms MS] [--workers N [N ...]] [--repeat N] [--linkchecker PATH]
         [--linkinator PATH] [--server-seconds S] [--json]
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from functools import partial
from pathlib import Path
from urllib.parse import quote, unquote, urldefrag, urljoin, urlsplit

import yaml

from monitor import __version__
from monitor.domain import LinkStatus
from sampleportal import generate_portal, serve_portal
from sampleportal import server as portal_server
from sampleportal.configfile import portal_config
from sampleportal.model import Column, Hosts, Portal, Unit
from sampleportal.server import RequestLog, RunningPortal
from sampleportal.styles import article_path
from sampleportal.traps import FOOTER_BROKEN, SITEMAP, TRAPS, Trap, Where

OK, BROKEN, BLOCKED, SKIPPED = "ok", "broken", "blocked", "skipped"
TIMEOUT_SECONDS = 10
TOOL_TIME_LIMIT_SECONDS = 1800

# --- the site -----------------------------------------------------------------------


@dataclass(frozen=True)
class BenchSite:
    """The columns every tool is pointed at: trap carriers first, then `extra` others."""

    portal: Portal
    columns: tuple[tuple[Unit, Column], ...]

    @classmethod
    def choose(cls, portal: Portal, extra: int) -> BenchSite:
        pairs = [(unit, column) for unit in portal.units for column in unit.columns]
        carries = [any(post.trap_keys for post in column.posts) for _, column in pairs]
        carriers = [pair for pair, carrying in zip(pairs, carries, strict=True) if carrying]
        others = [pair for pair, carrying in zip(pairs, carries, strict=True) if not carrying]
        return cls(portal, tuple(carriers + others[:extra]))

    def article_urls(self, running: RunningPortal) -> list[str]:
        return [running.hosts.site_url(article_path(column, post))
                for _, column in self.columns for post in column.live_posts(running.now)]

    def start_urls(self, running: RunningPortal) -> list[str]:
        """What the peers read: the home page (portal-monitor reads it for its site-wide
        links) and every article."""
        return [running.hosts.site_url("/"), *self.article_urls(running)]

    def config(self, base_url: str, concurrency: int) -> dict:
        document = portal_config(self.portal, base_url)
        chosen = {base_url + column.list_path for _, column in self.columns}
        units = []
        for unit in document["units"]:
            columns = [column for column in unit["columns"] if column["url"] in chosen]
            if columns:
                units.append({**unit, "columns": columns})
        document["units"] = units
        document["crawl"].update(concurrency_per_host=concurrency,
                                 timeout_seconds=TIMEOUT_SECONDS,
                                 # The large portal has no JavaScript lists.
                                 browser="off")
        return document


# --- the truth and the comparison (pure) ------------------------------------------------


def canonical(url: str) -> str:
    """One spelling per target: fragment dropped, percent-escapes decoded (tools differ
    in how they write a Chinese path)."""
    return unquote(urldefrag(url.strip())[0])


@dataclass(frozen=True)
class Expected:
    key: str
    url: str  # canonical
    status: str  # a LinkStatus value


def expected_traps(hosts: Hosts) -> list[Expected]:
    """Every trap target with the verdict a correct checker gives it. Fragment links are
    left out: they name the carrying page itself, which every tool reads anyway."""
    return [Expected(trap.key, canonical(trap.url(hosts)), str(trap.expected))
            for trap in (*TRAPS, FOOTER_BROKEN, SITEMAP) if not _is_fragment(trap)]


def _is_fragment(trap: Trap) -> bool:
    return trap.where is Where.SCHEME and trap.href.startswith("#")


@dataclass
class Score:
    false_positives: list[str]  # URLs reported broken that are not
    false_negatives: list[str]  # broken trap URLs not reported broken
    trap_verdicts: dict[str, str]  # trap key → the tool's verdict ("" when not reported)


def judge(verdicts: dict[str, str], expected: list[Expected]) -> Score:
    """`verdicts`: canonical URL → ok | broken | blocked | skipped. Every URL the truth
    does not call broken is a working page of the portal (or a WAF-blocked or
    never-requested target), so any broken verdict on it is a false alarm."""
    truly_broken = {item.url for item in expected if item.status == LinkStatus.BROKEN}
    false_positives = sorted(url for url, verdict in verdicts.items()
                             if verdict == BROKEN and url not in truly_broken)
    false_negatives = sorted(url for url in truly_broken if verdicts.get(url) != BROKEN)
    shown = {item.key: verdicts.get(item.url, "") for item in expected}
    return Score(false_positives, false_negatives, shown)


_SEVERITY = (SKIPPED, OK, BLOCKED, BROKEN)


def merge(verdicts: dict[str, str], url: str, verdict: str) -> None:
    """A URL reported more than once (from several pages) keeps its worst verdict."""
    previous = verdicts.get(url)
    if previous is None or _SEVERITY.index(verdict) > _SEVERITY.index(previous):
        verdicts[url] = verdict


def parse_linkchecker_csv(text: str) -> dict[str, str]:
    """LinkChecker's `-o csv`: semicolon-separated, comment and header lines may repeat.
    A URL is taken as written on its page (`urlname` against the parent), not where its
    redirects led (`url`), so that a redirecting link is judged as the link."""
    lines = [line for line in text.splitlines()
             if line and not line.startswith(("#", "urlname;"))]
    verdicts: dict[str, str] = {}
    for row in csv.reader(io.StringIO("\n".join(lines)), delimiter=";"):
        if len(row) < 8:
            continue
        name, parent, base, result, valid = row[0], row[1], row[2], row[3], row[6]
        url = urljoin(base or parent, name) if (base or parent) else name
        if result == "filtered":
            verdict = SKIPPED  # --ignore-url: syntax checked only
        else:
            verdict = OK if valid == "True" else BROKEN
        merge(verdicts, canonical(url), verdict)
    return verdicts


def parse_linkinator_json(text: str) -> dict[str, str]:
    """linkinator's `--format json`: {"links": [{"url", "status", "state"}, ...]}."""
    states = {"OK": OK, "BROKEN": BROKEN, "SKIPPED": SKIPPED}
    verdicts: dict[str, str] = {}
    for link in json.loads(text)["links"]:
        merge(verdicts, canonical(link["url"]), states[link["state"]])
    return verdicts


def checked_count(verdicts: dict[str, str]) -> int:
    """Distinct http(s) URLs the tool requested and judged."""
    return sum(1 for url, verdict in verdicts.items()
               if verdict != SKIPPED and url.startswith(("http://", "https://")))


@dataclass(frozen=True)
class Phases:
    """portal-monitor's run as the portal saw it, in seconds."""

    start_up: float  # process start → first request
    columns: float  # lists, articles and the home page
    link_check: float  # first link-check request → last answer
    after: float  # last answer → process end (problem rules, summary)
    # First link-check request → the last target asked for the first time: every target
    # asked once, before the confirmations and retries that come after deliberate waits.
    first_pass: float = 0.0
    first_pass_targets: int = 0


def phases(requests: list[tuple[float, str]], pages: set[str], targets: set[str],
           started: float, last_answer: float, ended: float) -> Phases | None:
    """The link check starts after the last page is read: the first request after the
    last one for a page that is no link target (articles never are; the home page is
    both, being linked from every page)."""
    page_times = [moment for moment, url in requests if url in pages - targets]
    if not page_times:
        return None
    end_of_pages = max(page_times)
    later = [(moment, url) for moment, url in requests if moment > end_of_pages]
    if not later:
        return None
    first, start = requests[0][0], later[0][0]
    firsts: dict[str, float] = {}
    for moment, url in later:
        if url in targets:
            firsts.setdefault(url, moment)
    first_pass = max(firsts.values(), default=start) - start
    return Phases(first - started, start - first, last_answer - start, ended - last_answer,
                  first_pass, len(firsts))


@dataclass(frozen=True)
class Ratio:
    """portal-monitor against a peer in the same run: how many times its URLs/s."""

    what: str
    ours: float
    theirs: float
    target: float  # at least this many times (at most, for `lower_is_better`)
    lower_is_better: bool = False

    @property
    def times(self) -> float:
        return self.ours / self.theirs if self.theirs else 0.0

    @property
    def met(self) -> bool:
        return self.times <= self.target if self.lower_is_better else self.times >= self.target


def against(ours: ToolResult, peer: ToolResult) -> list[Ratio]:
    """The issue's targets: the whole run at ≥ 1.5× the peer's URLs/s, the link-check
    phase at ≥ 3×, peak RSS at most the peer's."""
    ratios = [Ratio("whole run, URLs/s", ours.urls_per_second, peer.urls_per_second, 1.5)]
    p = ours.phases
    if p is not None and p.link_check > 0:
        ratios.append(Ratio("link-check phase, URLs/s", ours.link_targets / p.link_check,
                            peer.urls_per_second, 3.0))
        if p.first_pass > 0:
            ratios.append(Ratio("  its first pass (every target asked once), URLs/s",
                                p.first_pass_targets / p.first_pass, peer.urls_per_second,
                                3.0))
    ratios.append(Ratio("peak RSS, MiB", ours.peak_rss_mib, peer.peak_rss_mib, 1.0,
                        lower_is_better=True))
    return ratios


# --- running a tool and watching the portal ---------------------------------------------


@dataclass(frozen=True)
class Finished:
    started: float  # time.monotonic()
    ended: float
    peak_rss_mib: float
    returncode: int
    stdout: str
    stderr: str
    cpu_seconds: float = 0.0  # user + system of the child and the descendants it waited for

    @property
    def seconds(self) -> float:
        return self.ended - self.started


def descendants(parents: dict[int, int], root: int) -> set[int]:
    """`root` and every process below it, from a pid → parent pid map."""
    children: dict[int, list[int]] = {}
    for pid, parent in parents.items():
        children.setdefault(parent, []).append(pid)
    found, waiting = {root}, [root]
    while waiting:
        for child in children.get(waiting.pop(), []):
            if child not in found:
                found.add(child)
                waiting.append(child)
    return found


def _parent_pids() -> dict[int, int]:
    parents = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:  # ended meanwhile
                continue
            # The command name (in parentheses) may hold spaces: fields follow the last ')'.
            parents[int(entry.name)] = int(stat.rsplit(")", 1)[1].split()[1])
    return parents


def tree_rss_kib(root: int) -> int:
    """Resident memory of `root` and its descendants together, now (Linux /proc)."""
    total = 0
    for pid in descendants(_parent_pids(), root):
        try:
            resident_pages = int(Path(f"/proc/{pid}/statm").read_text().split()[1])
        except (OSError, IndexError, ValueError):
            continue
        total += resident_pages * os.sysconf("SC_PAGE_SIZE") // 1024
    return total


class TreeMemory:
    """Samples a process tree's summed RSS every 0.1 s: a crawl with workers is several
    processes, and wait4 gives only the largest single one."""

    def __init__(self, root: int) -> None:
        self.peak_kib = 0
        self._root = root
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()

    def _sample(self) -> None:
        while not self._done.wait(0.1):
            self.peak_kib = max(self.peak_kib, tree_rss_kib(self._root))

    def stop(self) -> None:
        self._done.set()
        self._thread.join()


def run_measured(argv: list[str], env: dict[str, str], stdin_text: str = "") -> Finished:
    """Run one child to its end. Peak RSS: the larger of the process tree's sampled sum
    and the largest single process (the child's own rusage from wait4, which covers the
    descendants it waited for)."""
    with tempfile.TemporaryFile() as stdin, tempfile.TemporaryFile() as out, \
            tempfile.TemporaryFile() as err:
        stdin.write(stdin_text.encode("utf-8"))
        stdin.seek(0)
        started = time.monotonic()
        process = subprocess.Popen(argv, stdin=stdin, stdout=out, stderr=err, env=env)
        memory = TreeMemory(process.pid)
        guard = threading.Timer(TOOL_TIME_LIMIT_SECONDS, process.kill)
        guard.start()
        try:
            _, status, usage = os.wait4(process.pid, 0)
        finally:
            guard.cancel()
            memory.stop()
        ended = time.monotonic()
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        peak_kib = max(usage.ru_maxrss, memory.peak_kib)
        return Finished(started, ended, peak_kib / 1024, process.returncode,
                        out.read().decode("utf-8", "replace"),
                        err.read().decode("utf-8", "replace"),
                        usage.ru_utime + usage.ru_stime)


class Watch:
    """What the portal saw of one run, over both its ports: every request with its
    instant, the most connections open at once, and when the last answer was ready."""

    def __init__(self, running: RunningPortal) -> None:
        self._lock = threading.Lock()
        self.requests: list[tuple[float, str]] = []
        self.connections = self.max_connections = 0
        self.last_answer = 0.0
        for log, base in ((running.log, running.hosts.site),
                          (running.external_log, running.hosts.external)):
            self._attach(log, base)

    def _attach(self, log: RequestLog, base: str) -> None:
        record, opened, closed, finished = (log.record, log.connection_opened,
                                            log.connection_closed, log.request_finished)

        def on_record(method: str, path: str) -> None:
            with self._lock:
                self.requests.append((time.monotonic(), canonical(base + path)))
            record(method, path)

        def on_opened() -> None:
            with self._lock:
                self.connections += 1
                self.max_connections = max(self.max_connections, self.connections)
            opened()

        def on_closed() -> None:
            with self._lock:
                self.connections -= 1
            closed()

        def on_finished() -> None:
            with self._lock:
                self.last_answer = time.monotonic()
            finished()

        # The handler calls these through the log instance, so instance attributes win.
        log.record = on_record  # type: ignore[method-assign]
        log.connection_opened = on_opened  # type: ignore[method-assign]
        log.connection_closed = on_closed  # type: ignore[method-assign]
        log.request_finished = on_finished  # type: ignore[method-assign]


@contextmanager
def linkchecker_rate_header() -> Iterator[None]:
    """LinkChecker waits 0.1–0.6 s between requests to one host unless the server
    answers with a `LinkChecker` header, its documented opt-in to a higher
    `maxrequestspersecond`. The portal sends it to every tool (the others ignore it), so
    that LinkChecker is bounded by its threads, as the others are by their concurrency."""
    handler = portal_server._Handler
    original = handler.end_headers

    def end_headers(self: portal_server._Handler) -> None:
        self.send_header("LinkChecker", "rate-unlimited")
        original(self)

    handler.end_headers = end_headers  # type: ignore[method-assign]
    try:
        yield
    finally:
        handler.end_headers = original  # type: ignore[method-assign]


def loopback_env() -> dict[str, str]:
    """The peers talk to 127.0.0.1 only: no proxy in the way."""
    env = {name: value for name, value in os.environ.items()
           if name.lower() not in ("http_proxy", "https_proxy", "all_proxy")}
    env["no_proxy"] = env["NO_PROXY"] = "127.0.0.1,localhost"
    return env


# --- the tools -------------------------------------------------------------------------


@dataclass
class ToolResult:
    tool: str
    version: str
    told: str
    seconds: float
    urls: int
    peak_rss_mib: float
    requests: int
    max_connections: int
    score: Score
    notes: list[str] = field(default_factory=list)
    phases: Phases | None = None
    link_targets: int = 0
    # CPU of the tool's processes (user + system): what it costs, whatever the load.
    cpu_seconds: float = 0.0

    @property
    def urls_per_second(self) -> float:
        return self.urls / self.seconds if self.seconds else 0.0


@dataclass(frozen=True)
class Job:
    site: BenchSite
    concurrency: int
    workdir: Path


class ToolFailed(Exception):
    """A peer ended without output the benchmark can read."""


@dataclass
class FoundTargets:
    """The link targets of portal-monitor's last crawl, (url, kind), on `hosts`: what its
    link checker is then run on alone."""

    hosts: Hosts | None = None
    targets: list[tuple[str, str]] = field(default_factory=list)


def moved(url: str, old: Hosts, new: Hosts) -> str:
    """`url` of a portal served at `old` as the same portal served at `new` names it."""
    for before, after in ((old.site, new.site), (old.external, new.external),
                          (old.refused, new.refused)):
        if before and (url == before or url.startswith(before + "/")):
            return after + url[len(before):]
    return url


def run_portal_monitor(job: Job, running: RunningPortal, watch: Watch,
                       workers: int, found: FoundTargets | None = None) -> ToolResult:
    directory = job.workdir / "portal-monitor"
    directory.mkdir()
    config_path = directory / "portal.yaml"
    config = job.site.config(running.base_url, job.concurrency)
    # Workers share the per-host limit: the run's concurrency stays the same.
    config["crawl"]["workers"] = workers
    config_path.write_text(yaml.safe_dump(config, allow_unicode=True), encoding="utf-8")
    db_path = directory / "monitor.db"
    env = dict(os.environ, MONITOR_CONFIG=str(config_path), MONITOR_DB=f"sqlite:///{db_path}",
               MONITOR_NOW=running.now.isoformat())
    subprocess.run([sys.executable, "-m", "monitor", "db", "upgrade"], env=env, check=True,
                   capture_output=True)
    done = run_measured([sys.executable, "-m", "monitor", "crawl", "--json"], env)
    if done.returncode != 0:
        raise ToolFailed(f"monitor crawl failed:\n{done.stderr[-3000:]}")
    list_pages = int(json.loads(done.stdout)["pages"])
    with sqlite3.connect(db_path) as connection:
        rows = connection.execute("SELECT url, status, kind FROM link_target").fetchall()
        targets = [(url, status) for url, status, _ in rows]
        pages = {canonical(url) for (url,) in connection.execute("SELECT url FROM page")}
    target_verdicts = {canonical(url): (status if status in (OK, BROKEN, BLOCKED) else SKIPPED)
                       for url, status in targets}
    verdicts = dict.fromkeys(pages, OK) | target_verdicts
    checked_targets = checked_count(target_verdicts)
    if found is not None:
        found.hosts, found.targets = running.hosts, [(url, kind) for url, _, kind in rows]
    return ToolResult(
        tool="portal-monitor" + (f", {workers} workers" if workers > 1 else ""),
        version=__version__,
        told=f"concurrency_per_host {job.concurrency}"
        + (f", workers {workers}" if workers > 1 else ""),
        seconds=done.seconds, cpu_seconds=done.cpu_seconds,
        urls=checked_count(verdicts) + list_pages,
        peak_rss_mib=done.peak_rss_mib, requests=len(watch.requests),
        max_connections=watch.max_connections,
        score=judge(verdicts, expected_traps(running.hosts)),
        notes=[f"{list_pages} list pages, {len(pages)} pages read (articles and the home "
               f"page), {checked_targets} link targets checked"],
        phases=phases(watch.requests, pages, set(target_verdicts), done.started,
                      watch.last_answer, done.ended),
        link_targets=checked_targets,
    )


CHECKER_ALONE = "portal-monitor, link check alone"


def run_checker_alone(job: Job, running: RunningPortal, watch: Watch,
                      found: FoundTargets) -> ToolResult:
    """portal-monitor's link checker in a process of its own (`python -m
    crawler.linkcheck.run`) on the targets its crawl found, with the crawl's retry policy
    and no pause between requests: the link-check phase without the crawl around it."""
    if found.hosts is None:
        raise ToolFailed("no targets: portal-monitor's crawl did not run first")
    directory = job.workdir / "checker"
    directory.mkdir()
    targets, out = directory / "targets.json", directory / "results.jsonl"
    targets.write_text(json.dumps([{"url": moved(url, found.hosts, running.hosts), "kind": kind}
                                   for url, kind in found.targets], ensure_ascii=False),
                       encoding="utf-8")
    done = run_measured([sys.executable, "-m", "crawler.linkcheck.run", "--targets",
                         str(targets), "--out", str(out), "--site-url", running.base_url + "/",
                         "--allow-private", "--delay", "0",
                         "--timeout", str(TIMEOUT_SECONDS),
                         "--concurrency-per-host", str(job.concurrency)], loopback_env())
    if done.returncode != 0:
        raise ToolFailed(f"the link checker failed:\n{done.stderr[-3000:]}")
    verdicts: dict[str, str] = {}
    for line in out.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        status = row["status"] if row["status"] in (OK, BROKEN, BLOCKED) else SKIPPED
        merge(verdicts, canonical(row["url"]), status)
    urls = checked_count(verdicts)
    first = watch.requests[0][0] if watch.requests else done.started
    return ToolResult(
        tool=CHECKER_ALONE, version=__version__,
        told=f"concurrency_per_host {job.concurrency}", seconds=done.seconds,
        cpu_seconds=done.cpu_seconds, urls=urls,
        peak_rss_mib=done.peak_rss_mib, requests=len(watch.requests),
        max_connections=watch.max_connections,
        score=judge(verdicts, expected_traps(running.hosts)),
        notes=[f"process start to first request {first - done.started:.1f} s, first request "
               f"to last answer {watch.last_answer - first:.1f} s; CPU {done.cpu_seconds:.2f} s "
               f"({urls / done.cpu_seconds if done.cpu_seconds else 0:.0f} targets per "
               "CPU-second)"],
    )


def tool_version(executable: str) -> str:
    done = subprocess.run([executable, "--version"], capture_output=True, text=True,
                          env=loopback_env(), timeout=60)
    for line in (done.stdout + done.stderr).splitlines():
        words = line.split()
        if line.startswith("LinkChecker") and len(words) > 1:
            return words[1]
        if words and words[0][:1].isdigit():
            return words[0]
    return "?"


def run_linkchecker(executable: str, job: Job, running: RunningPortal,
                    watch: Watch) -> ToolResult:
    directory = job.workdir / "linkchecker"
    directory.mkdir()
    # Started as root, LinkChecker drops to `nobody`, who must be able to read its config.
    for path in (job.workdir.parent, job.workdir, directory):
        path.chmod(0o755)
    config = directory / "linkcheckerrc"
    config.write_text("[checking]\nmaxrequestspersecond=1000\n", encoding="utf-8")
    config.chmod(0o644)
    argv = [executable, "--config", str(config), "--threads", str(job.concurrency),
            "--timeout", str(TIMEOUT_SECONDS), "--recursion-level", "1", "--check-extern",
            "--no-robots", "--no-status", "--verbose", "--output", "csv/utf-8",
            # It would check mailto: by looking up the domain's mail servers.
            "--ignore-url", "^(mailto|tel|javascript):", "--stdin"]
    done = run_measured(argv, loopback_env(), "\n".join(job.site.start_urls(running)) + "\n")
    verdicts = parse_linkchecker_csv(done.stdout)
    if not verdicts:
        raise ToolFailed(f"LinkChecker wrote no results:\n{done.stderr[-3000:]}")
    return ToolResult(
        tool="LinkChecker", version=tool_version(executable), told=f"--threads {job.concurrency}",
        seconds=done.seconds, cpu_seconds=done.cpu_seconds, urls=checked_count(verdicts),
        peak_rss_mib=done.peak_rss_mib,
        requests=len(watch.requests), max_connections=watch.max_connections,
        score=judge(verdicts, expected_traps(running.hosts)),
        notes=["--recursion-level 1 --check-extern --no-robots "
               "--ignore-url '^(mailto|tel|javascript):', maxrequestspersecond lifted"],
    )


CONNECTION_CAP_MODULE = """\
// Written by bench_linkcheck.py: at most {limit} connections per origin for fetch().
import {{ createRequire }} from 'node:module';
const require = createRequire({cli});
const {{ Agent, setGlobalDispatcher }} = require('undici');
setGlobalDispatcher(new Agent({{ connections: {limit} }}));
"""


def run_linkinator(executable: str, job: Job, running: RunningPortal, watch: Watch,
                   capped: bool) -> ToolResult:
    argv = [executable, *job.site.start_urls(running), "--concurrency", str(job.concurrency),
            "--timeout", str(TIMEOUT_SECONDS * 1000), "--retry", "--format", "json"]
    env = loopback_env()
    told = f"--concurrency {job.concurrency}"
    if capped:
        module = job.workdir / "linkinator-connections.mjs"
        cli = json.dumps(os.path.realpath(executable))
        module.write_text(CONNECTION_CAP_MODULE.format(limit=job.concurrency, cli=cli),
                          encoding="utf-8")
        env["NODE_OPTIONS"] = f"{env.get('NODE_OPTIONS', '')} --import {module}".strip()
        told += f", {job.concurrency} connections/origin"
    done = run_measured(argv, env)
    try:
        verdicts = parse_linkinator_json(done.stdout)
    except (json.JSONDecodeError, KeyError) as unreadable:
        raise ToolFailed(f"linkinator output unreadable ({unreadable}):\n"
                         f"{done.stderr[-3000:]}") from unreadable
    notes = ["not recursive, --retry (honours Retry-After on a 429)"]
    if capped:
        notes.append("held to the concurrency by a preloaded undici Agent "
                     f"(connections: {job.concurrency}) per origin")
    return ToolResult(
        tool="linkinator (capped)" if capped else "linkinator",
        version=tool_version(executable), told=told,
        seconds=done.seconds, cpu_seconds=done.cpu_seconds, urls=checked_count(verdicts),
        peak_rss_mib=done.peak_rss_mib,
        requests=len(watch.requests), max_connections=watch.max_connections,
        score=judge(verdicts, expected_traps(running.hosts)), notes=notes,
    )


Runner = Callable[[Job, RunningPortal, Watch], ToolResult]

WRK_SCRIPT = """\
-- Written by bench_linkcheck.py: the pages every tool reads, asked in turn.
paths = {{{paths}}}
i = 0
request = function()
  i = i % #paths + 1
  return wrk.format("GET", paths[i])
end
"""


def wrk_rate(output: str) -> float | None:
    """Requests per second from wrk's report."""
    for line in output.splitlines():
        if line.startswith("Requests/sec:"):
            return float(line.split()[1])
    return None


def server_alone(site: BenchSite, concurrency: int, seconds: float, latency: float,
                 workdir: Path) -> dict[str, object] | None:
    """What the portal server answers with nothing else running but wrk (Debian package
    `wrk`), at the tools' concurrency, asked for the home page and the articles in turn,
    with the same request watch as the tools' runs: the most any tool could get from it.
    None without wrk."""
    wrk = shutil.which("wrk")
    if wrk is None or seconds <= 0:
        return None
    with serve_portal(site.portal, latency_seconds=latency) as running:
        Watch(running)
        paths = [quote(urlsplit(url).path) for url in site.start_urls(running)]
        script = workdir / "pages.lua"
        script.write_text(WRK_SCRIPT.format(paths=",".join(json.dumps(p) for p in paths)),
                          encoding="utf-8")
        done = subprocess.run([wrk, "-t1", f"-c{concurrency}", f"-d{seconds:g}s", "-s",
                               str(script), running.base_url + "/"],
                              capture_output=True, text=True, env=loopback_env(), timeout=120)
    rate = wrk_rate(done.stdout)
    if rate is None:
        return None
    return {"tool": "wrk", "connections": concurrency, "seconds": seconds,
            "requests_per_second": rate}


# Where `npm install --prefix bench/.node linkinator@7` puts it (ignored by git).
LOCAL_NODE_BIN = Path(__file__).resolve().parent / ".node" / "node_modules" / ".bin"


def find_peer(option: str | None, name: str) -> str | None:
    if option:
        return option if os.access(option, os.X_OK) else None
    local = LOCAL_NODE_BIN / name
    return shutil.which(name) or (str(local) if os.access(local, os.X_OK) else None)


def planned_runs(args: argparse.Namespace) -> tuple[list[tuple[str, Runner]], list[str]]:
    found = FoundTargets()
    runs: list[tuple[str, Runner]] = [
        (f"portal-monitor ({workers} workers)",
         partial(run_portal_monitor, workers=workers, found=found))
        for workers in args.workers
    ]
    runs.append((CHECKER_ALONE, partial(run_checker_alone, found=found)))
    missing = []
    linkchecker = find_peer(args.linkchecker, "linkchecker")
    if linkchecker:
        runs.append(("LinkChecker",
                     lambda job, run, watch: run_linkchecker(linkchecker, job, run, watch)))
    else:
        missing.append("LinkChecker not found (Debian package `linkchecker`, or pass "
                       "--linkchecker PATH): skipped")
    linkinator = find_peer(args.linkinator, "linkinator")
    if linkinator:
        runs.append(("linkinator", lambda job, run, watch: run_linkinator(
            linkinator, job, run, watch, capped=False)))
        runs.append(("linkinator (capped)", lambda job, run, watch: run_linkinator(
            linkinator, job, run, watch, capped=True)))
    else:
        missing.append("linkinator not found: skipped (install it outside the project's "
                       "dependencies with `npm install --prefix bench/.node linkinator@7`, "
                       "or pass --linkinator PATH to its executable)")
    return runs, missing


# --- report ----------------------------------------------------------------------------


def fastest(tries: list[ToolResult]) -> ToolResult:
    """The fastest of a tool's runs (the machine is shared: a slower run met other load),
    with every run's time and false alarms in its notes."""
    best = min(tries, key=lambda result: result.seconds)
    if len(tries) > 1:
        each = ", ".join(f"{result.seconds:.1f} s ({len(result.score.false_positives)} false +, "
                         f"{len(result.score.false_negatives)} false -)" for result in tries)
        best.notes.append(f"runs: {each}")
    return best


def table(results: list[ToolResult]) -> str:
    header = ("tool", "told", "wall s", "CPU s", "URLs", "URLs/s", "URLs/CPU s", "requests",
              "max conns", "peak RSS MiB", "false +", "false -")
    rows = [header]
    for result in results:
        per_cpu = result.urls / result.cpu_seconds if result.cpu_seconds else 0.0
        rows.append((f"{result.tool} {result.version}", result.told, f"{result.seconds:.1f}",
                     f"{result.cpu_seconds:.1f}", str(result.urls),
                     f"{result.urls_per_second:.0f}", f"{per_cpu:.0f}", str(result.requests),
                     str(result.max_connections), f"{result.peak_rss_mib:.0f}",
                     str(len(result.score.false_positives)),
                     str(len(result.score.false_negatives))))
        if result.phases is not None and result.phases.link_check > 0:
            seconds = result.phases.link_check
            rows.append(("  its link-check phase", "", f"{seconds:.1f}", "",
                         str(result.link_targets), f"{result.link_targets / seconds:.0f}",
                         "", "", "", "", "", ""))
    return aligned(rows)


def trap_table(results: list[ToolResult], expected: list[Expected]) -> str:
    rows = [("trap", "truth", *(result.tool for result in results))]
    for item in expected:
        cells = []
        for result in results:
            verdict = result.score.trap_verdicts.get(item.key, "") or "—"
            wrong = (verdict == BROKEN) != (item.status == LinkStatus.BROKEN)
            cells.append(f"{verdict}{' ✗' if wrong else ''}")
        rows.append((item.key, item.status, *cells))
    return aligned(rows)


def aligned(rows: list[tuple[str, ...]]) -> str:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return "\n".join("  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True))
                     .rstrip() for row in rows)


CAPPED_PEER = "linkinator (capped)"


def comparison(results: list[ToolResult]) -> list[Ratio]:
    """The first portal-monitor run, and its link checker alone, against capped
    linkinator, when they ran."""
    ours = next((r for r in results if r.tool.startswith("portal-monitor")
                 and r.tool != CHECKER_ALONE), None)
    peer = next((r for r in results if r.tool == CAPPED_PEER), None)
    if ours is None or peer is None:
        return []
    ratios = against(ours, peer)
    alone = next((r for r in results if r.tool == CHECKER_ALONE), None)
    if alone is not None:
        ratios.insert(-1, Ratio("link checker alone, own process, URLs/s",
                                alone.urls_per_second, peer.urls_per_second, 3.0))
    return ratios


def comparison_table(ratios: list[Ratio]) -> str:
    rows = [("portal-monitor against capped linkinator", "ours", "theirs", "ratio", "target",
             "met")]
    for ratio in ratios:
        sign = "≤" if ratio.lower_is_better else "≥"
        rows.append((ratio.what, f"{ratio.ours:.0f}", f"{ratio.theirs:.0f}",
                     f"{ratio.times:.2f}×", f"{sign} {ratio.target:g}×",
                     "yes" if ratio.met else "no"))
    return aligned(rows)


def print_report(results: list[ToolResult], expected: list[Expected], site: dict[str, int],
                 args: argparse.Namespace, server: dict[str, object] | None) -> None:
    print(f"site: {site['columns']} columns of the large sample portal, {site['articles']} "
          f"articles, every link trap once; concurrency {args.concurrency}, timeout "
          f"{TIMEOUT_SECONDS} s, portal latency {args.latency_ms} ms; each tool's fastest of "
          f"{args.repeat} run(s)\n")
    if server is not None:
        busiest = max(results, key=lambda r: r.requests / r.seconds if r.seconds else 0.0,
                      default=None)
        asked = (f"; the busiest tool asked {busiest.requests / busiest.seconds:.0f}/s "
                 f"({busiest.tool})" if busiest is not None else "")
        print(f"portal server alone (wrk, {server['connections']} connections, home page "
              f"and articles in turn, {server['seconds']:g} s): "
              f"{server['requests_per_second']:.0f} requests/s{asked}\n")
    print(table(results))
    ratios = comparison(results)
    if ratios:
        print()
        print(comparison_table(ratios))
    print()
    print(trap_table(results, expected))
    for result in results:
        print(f"\n{result.tool}: " + "; ".join(result.notes))
        if result.phases is not None:
            p = result.phases
            print(f"  start-up {p.start_up:.1f} s, lists+articles {p.columns:.1f} s, link check "
                  f"{p.link_check:.1f} s (every target asked once in the first "
                  f"{p.first_pass:.1f} s: {p.first_pass_targets} targets), after the last "
                  f"answer {p.after:.1f} s")
        shown = 8
        for label, urls in (("reported broken, but not", result.score.false_positives),
                            ("broken, not reported", result.score.false_negatives)):
            if urls:
                more = f" … and {len(urls) - shown} more" if len(urls) > shown else ""
                print(f"  {label}: " + ", ".join(urls[:shown]) + more)


# --- main ------------------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--concurrency", type=int, default=8,
                        help="requests at once, the same for every tool (default 8)")
    parser.add_argument("--extra-columns", type=int, default=0,
                        help="columns without traps added to the trap carriers")
    parser.add_argument("--latency-ms", type=int, default=0,
                        help="time the portal takes for every answer (default 0)")
    parser.add_argument("--workers", type=int, nargs="+", default=[1], metavar="N",
                        help="portal-monitor's crawl.workers; several values, one run each "
                             "(default 1)")
    parser.add_argument("--repeat", type=int, default=1,
                        help="run each tool this many times and show its fastest run")
    parser.add_argument("--linkchecker", help="LinkChecker executable (default: on PATH)")
    parser.add_argument("--linkinator", help="linkinator executable (default: on PATH)")
    parser.add_argument("--server-seconds", type=float, default=5.0,
                        help="measure the portal server alone with wrk for this long first "
                             "(0: skip; skipped without wrk)")
    parser.add_argument("--json", action="store_true", help="machine-readable output")
    args = parser.parse_args()
    site = BenchSite.choose(generate_portal(1, large=True), args.extra_columns)
    runs, missing = planned_runs(args)
    for message in missing:
        print(message, file=sys.stderr)
    results: list[ToolResult] = []
    expected: list[Expected] = []
    sizes: dict[str, int] = {}
    with tempfile.TemporaryDirectory() as work, linkchecker_rate_header():
        print("measuring the portal server alone …", file=sys.stderr, flush=True)
        server = server_alone(site, args.concurrency, args.server_seconds,
                              args.latency_ms / 1000, Path(work))
        if server is None and args.server_seconds > 0:
            missing.append("portal server alone: not measured (Debian package `wrk`)")
        for name, runner in runs:
            tries: list[ToolResult] = []
            for attempt in range(1, args.repeat + 1):
                print(f"running {name} ({attempt}/{args.repeat}) …", file=sys.stderr, flush=True)
                slug = "".join(c if c.isalnum() else "-" for c in name)
                job_dir = Path(work) / f"{slug}-{attempt}"
                job_dir.mkdir()
                latency = args.latency_ms / 1000
                with serve_portal(site.portal, latency_seconds=latency) as running:
                    watch = Watch(running)
                    try:
                        tries.append(runner(Job(site, args.concurrency, job_dir), running, watch))
                    except ToolFailed as failure:
                        missing.append(f"{name}: {failure}")
                        print(f"{name} failed: {failure}", file=sys.stderr)
                        break
                    sizes = {"columns": len(site.columns),
                             "articles": len(site.article_urls(running))}
                    # Trap URLs name this server's ports; the keys are the same every time.
                    expected = expected_traps(running.hosts)
            if tries:
                results.append(fastest(tries))
    if args.json:
        print(json.dumps({"concurrency": args.concurrency, "latency_ms": args.latency_ms,
                          "repeat": args.repeat,
                          "timeout_seconds": TIMEOUT_SECONDS, "site": sizes, "skipped": missing,
                          "server_alone": server,
                          "tools": [asdict(result) | {"urls_per_second": result.urls_per_second}
                                    for result in results],
                          "against_capped_linkinator": [
                              asdict(ratio) | {"times": ratio.times, "met": ratio.met}
                              for ratio in comparison(results)]},
                         ensure_ascii=False, indent=2))
        return
    print_report(results, expected, sizes, args, server)


if __name__ == "__main__":
    main()
