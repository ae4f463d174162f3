"""The demo (SPEC §3 `monitor demo`): the whole job on the bundled sample portal, offline.

The sample portal is served on a free loopback port with its clock set to each replayed
night; every step is the real `monitor` command in a child process, because the Twisted
reactor behind a crawl cannot be started twice in one process. The portal is stopped and
no child is left running, whether the demo ends normally, a step fails or it is interrupted.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Protocol

import yaml

from monitor.errors import MonitorError
from monitor.i18n import _
from sampleportal import generate_portal
from sampleportal.clock import parse_instant
from sampleportal.configfile import portal_config
from sampleportal.model import Portal
from sampleportal.server import RunningPortal, serve_portal

# The first crawl finds the portal's history; later nights each add a few posts, some of
# them back-dated, so incremental crawling and back-dating both show.
FIRST_NIGHT = parse_instant("2024-04-24T02:00+08:00")
DEFAULT_NIGHTS = 12  # the last replayed night is Monday 2024-05-06
DEMO_UNIT = "县水利局"
DEMO_MONTH = "2024-04"
DEFAULT_OUT = Path("out/demo")
# The office reads reports and alerts on the morning after the last night (08:30 is when the
# scheduler sends the weekly alerts on Mondays).
MORNING_AFTER = timedelta(hours=6, minutes=30)
STEP_TIMEOUT_SECONDS = 900
# The dashboard user the demo creates, so its data can be looked at in `monitor serve`.
# A demo's password, printed in its summary: never use it for a real installation.
DEMO_USER = "demo"
DEMO_PASSWORD = "demo-password"
# Problems that mean a unit is behind with its columns, not a link or content finding.
BEHIND_TYPES = frozenset({"overdue_column", "stale_national", "empty_column"})


@dataclass(frozen=True)
class DemoPlan:
    out_dir: Path = DEFAULT_OUT
    nights: int = DEFAULT_NIGHTS
    first_night: datetime = FIRST_NIGHT
    unit: str = DEMO_UNIT
    month: str = DEMO_MONTH

    def night(self, number: int) -> datetime:
        """Night 0 is the first crawl; nights 1 … `nights` follow it one day apart."""
        return self.first_night + timedelta(days=number)

    @property
    def morning(self) -> datetime:
        return self.night(self.nights) + MORNING_AFTER


@dataclass(frozen=True)
class DemoStep:
    """One `monitor` command run at the simulated instant `now`; stdout kept in `output`."""

    name: str
    title: str
    arguments: tuple[str, ...]
    now: datetime
    output: Path | None = None
    # Variables added to the step's environment (the new user's password).
    environment: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class StepResult:
    step: DemoStep
    stdout: str


@dataclass(frozen=True)
class NightResult:
    now: datetime
    posts_new: int
    columns_failed: int


@dataclass(frozen=True)
class DemoResult:
    out_dir: Path
    config: Path
    database: Path
    check_files: tuple[Path, ...]
    report_files: tuple[Path, ...]
    alert_files: tuple[Path, ...]
    nights: tuple[NightResult, ...]
    problems: dict[str, int]
    units_behind: tuple[str, ...]
    logs: Path = field(default=Path())
    # When the office "reads" the results: the dashboard is served as of this instant.
    morning: datetime | None = None


class DemoProgress(Protocol):
    def begin(self, total: int) -> None: ...
    def step_started(self, step: DemoStep) -> None: ...
    def step_finished(self, step: DemoStep) -> None: ...


def write_demo_config(portal: Portal, base_url: str, path: Path) -> Path:
    """The sample portal's config plus an e-mail section, so the alerts can be composed
    (the demo only writes them as .eml files; nothing is sent)."""
    document = portal_config(portal, base_url)
    document["email"] = {
        "smtp": {"host": "127.0.0.1", "port": 1025},
        "sender": "政务公开办 <gkb@example.gov.cn>",
        "office": ["gkb@example.gov.cn"],
    }
    # The 月报's red 版头 names the county government's office, as the real one does.
    document["report"] = {"issuer": "瑞河县人民政府办公室"}
    # Screenshots of the problems go beside the demo's other outputs.
    document["evidence"] = {"directory": str(path.parent / "evidence")}
    header = f"# Demo config for the sample portal {portal.site_name}, written by `monitor demo`.\n"
    body = yaml.safe_dump(document, allow_unicode=True, sort_keys=False)
    path.write_text(header + body, encoding="utf-8")
    return path


def crawl_steps(plan: DemoPlan) -> list[DemoStep]:
    crawls = plan.out_dir / "crawls"
    steps = [DemoStep("crawl-00", _("first crawl (the portal's history since 2023-09)"),
                      ("crawl", "--json"), plan.night(0), crawls / "night-00.json")]
    for number in range(1, plan.nights + 1):
        now = plan.night(number)
        title = _("night {number}: crawl of {day}").format(number=number, day=f"{now:%Y-%m-%d}")
        steps.append(DemoStep(f"crawl-{number:02d}", title,
                              ("crawl", "--json"), now, crawls / f"night-{number:02d}.json"))
    return steps


def office_steps(plan: DemoPlan) -> list[DemoStep]:
    """What the office does the morning after: check a unit, the 月报, the weekly alerts."""
    out_dir, morning = plan.out_dir, plan.morning
    steps = [
        DemoStep("check", _("check {unit}").format(unit=plan.unit),
                 ("check", "--unit", plan.unit, "--no-crawl"), morning,
                 out_dir / "check" / f"{plan.unit}.txt"),
        DemoStep("check-json", _("check {unit} (JSON)").format(unit=plan.unit),
                 ("check", "--unit", plan.unit, "--no-crawl", "--json"), morning,
                 out_dir / "check" / f"{plan.unit}.json"),
        DemoStep("report", _("monthly report {month}").format(month=plan.month),
                 ("report", "monthly", "--month", plan.month, "--out", str(out_dir / "report")),
                 morning),
        DemoStep("dashboard-user", _("dashboard user {user}").format(user=DEMO_USER),
                 ("users", "add", DEMO_USER, "--role", "office"), morning,
                 environment=(("MONITOR_PASSWORD", DEMO_PASSWORD),)),
        DemoStep("alerts", _("weekly alerts (dry run, .eml files)"),
                 ("alerts", "weekly", "--dry-run", "--out", str(out_dir / "alerts")), morning,
                 out_dir / "alerts" / "summary.txt"),
        DemoStep("problems", _("open problems"),
                 ("problems", "list", "--json"), morning, out_dir / "problems.json"),
    ]
    return steps


def child_environment(config: Path, database_url: str, now: datetime) -> dict[str, str]:
    # A wide, colourless console keeps the saved check table readable in a text file.
    return dict(os.environ, MONITOR_CONFIG=str(config), MONITOR_DB=database_url,
                MONITOR_NOW=now.isoformat(), COLUMNS="140", NO_COLOR="1", TERM="dumb")


def run_child(arguments: list[str], environment: dict[str, str], log: Path) -> str:
    """Run `python -m monitor ARGUMENTS`; stderr goes to `log`, stdout is returned and
    written after it, so the log holds all the step said. The child is killed if this
    process is interrupted while waiting for it."""
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("w", encoding="utf-8") as stderr:
        process = subprocess.Popen([sys.executable, "-m", "monitor", *arguments],
                                   env=environment, stdout=subprocess.PIPE, stderr=stderr,
                                   text=True, encoding="utf-8")
        try:
            stdout, _no_stderr = process.communicate(timeout=STEP_TIMEOUT_SECONDS)
        finally:
            if process.poll() is None:
                process.kill()
                process.wait()
        stderr.write(stdout or "")
    # A crawl that could not read every column (no Chromium for the JavaScript list) says
    # so with status 1 after its summary; the demo goes on with what it read.
    incomplete_crawl = arguments[:1] == ["crawl"] and process.returncode == 1 and stdout
    if process.returncode != 0 and not incomplete_crawl:
        raise MonitorError(_("`monitor {command}` exited with status {code}; see {log}").format(
            command=" ".join(arguments), code=process.returncode, log=log))
    return stdout


class DemoRun:
    """The demo against one running portal: config, database, logs under `plan.out_dir`."""

    def __init__(self, plan: DemoPlan, running: RunningPortal) -> None:
        self.plan = plan
        self.running = running
        self.logs = plan.out_dir / "logs"
        self.config = write_demo_config(running.portal, running.base_url,
                                        plan.out_dir / "portal.yaml")
        self.database = plan.out_dir / "monitor.db"
        self.database_url = f"sqlite:///{self.database.resolve()}"

    def run(self, step: DemoStep) -> StepResult:
        # The portal shows what it would have shown at that instant.
        self.running.set_now(step.now)
        environment = child_environment(self.config, self.database_url, step.now)
        environment.update(step.environment)
        stdout = run_child(list(step.arguments), environment, self.logs / f"{step.name}.log")
        if step.output is not None:
            step.output.parent.mkdir(parents=True, exist_ok=True)
            step.output.write_text(stdout, encoding="utf-8")
        return StepResult(step, stdout)


def fresh_out_dir(out_dir: Path) -> None:
    """A demo starts from an empty database and output; earlier demo files are replaced."""
    out_dir.mkdir(parents=True, exist_ok=True)
    for name in ("monitor.db", "problems.json", "portal.yaml"):
        (out_dir / name).unlink(missing_ok=True)
    for sub in ("check", "report", "alerts", "crawls", "logs"):
        # Deepest paths first, so each directory is empty when it is removed.
        for path in sorted((out_dir / sub).rglob("*"), reverse=True):
            if path.is_dir():
                path.rmdir()
            else:
                path.unlink()


def run_demo(plan: DemoPlan, progress: DemoProgress) -> DemoResult:
    """Serve the sample portal, replay the nights, run the office's commands, stop the portal."""
    if plan.nights < 0:
        raise MonitorError("--nights must be 0 or more")
    fresh_out_dir(plan.out_dir)
    running = serve_portal(generate_portal(1), now=plan.night(0))
    try:
        demo = DemoRun(plan, running)
        steps = crawl_steps(plan) + office_steps(plan)
        progress.begin(len(steps) + 1)
        upgrade = DemoStep("db-upgrade", _("database upgrade"), ("db", "upgrade"), plan.night(0))
        results = list(_run_all(demo, [upgrade, *steps], progress))
    finally:
        running.stop()
    return summarise(plan, demo, results)


def _run_all(demo: DemoRun, steps: list[DemoStep],
             progress: DemoProgress) -> Iterator[StepResult]:
    for step in steps:
        progress.step_started(step)
        yield demo.run(step)
        progress.step_finished(step)


def night_result(result: StepResult) -> NightResult:
    document = json.loads(result.stdout)
    return NightResult(result.step.now, int(document["posts_new"]),
                       int(document["columns_failed"]))


def problem_counts(problems: list[dict[str, object]]) -> dict[str, int]:
    return dict(Counter(str(problem["type"]) for problem in problems).most_common())


def units_behind(problems: list[dict[str, object]]) -> tuple[str, ...]:
    return tuple(sorted({str(problem["unit"]) for problem in problems
                         if problem["type"] in BEHIND_TYPES and problem["unit"]}))


def summarise(plan: DemoPlan, demo: DemoRun, results: list[StepResult]) -> DemoResult:
    by_name = {result.step.name: result for result in results}
    problems = json.loads(by_name["problems"].stdout)
    report_dir = plan.out_dir / "report"
    return DemoResult(
        out_dir=plan.out_dir,
        config=demo.config,
        database=demo.database,
        check_files=tuple(output for name in ("check", "check-json")
                          if (output := by_name[name].step.output) is not None),
        report_files=tuple(sorted(report_dir.rglob("*.*"))),
        alert_files=tuple(sorted((plan.out_dir / "alerts").glob("*.eml"))),
        nights=tuple(night_result(result) for result in results
                     if result.step.name.startswith("crawl-")),
        problems=problem_counts(problems),
        units_behind=units_behind(problems),
        logs=demo.logs,
        morning=plan.morning,
    )
