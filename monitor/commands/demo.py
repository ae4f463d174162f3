"""`monitor demo`: the whole job on the bundled sample portal, with progress and a summary."""

from __future__ import annotations

import signal
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from types import FrameType
from typing import Annotated

import typer
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)

from monitor.commands.console import err, out
from monitor.commands.language import paragraphs
from monitor.demo import (
    DEFAULT_NIGHTS,
    DEFAULT_OUT,
    DEMO_PASSWORD,
    DEMO_USER,
    DemoPlan,
    DemoResult,
    DemoStep,
    run_demo,
)
from monitor.i18n import N_, _
from monitor.labels import problem_label

OutDirOption = Annotated[
    Path, typer.Option("--out", "-o", metavar=N_("DIR"),
                       help=N_("Directory for the database, reports and alerts."))
]
NightsOption = Annotated[
    int, typer.Option("--nights", min=0, max=30, metavar=N_("NUMBER"),
                      help=N_("Nights replayed after the first crawl (fewer is quicker)."))
]


class RichDemoProgress:
    """One bar over the demo's steps on stderr, with the running step's title."""

    def __init__(self, progress: Progress) -> None:
        self.progress = progress
        self.task: TaskID | None = None
        self.total = 0
        self.started = 0

    def begin(self, total: int) -> None:
        self.total = total
        self.task = self.progress.add_task(_("starting"), total=total)

    def step_started(self, step: DemoStep) -> None:
        self.started += 1
        if not err.is_terminal:
            # A log (CI) gets no live bar, so each step gets a line of its own.
            err.print(f"[{self.started}/{self.total}] {step.title}", markup=False)
        if self.task is not None:
            self.progress.update(self.task, description=step.title)

    def step_finished(self, step: DemoStep) -> None:
        if self.task is not None:
            self.progress.advance(self.task)


HELP = paragraphs(
    N_("Run the monitor on the bundled sample portal: crawl nights, check, report, alerts."),
    N_("Needs no network: the portal is served on 127.0.0.1 and stopped at the end."))


def demo(out_dir: OutDirOption = DEFAULT_OUT, nights: NightsOption = DEFAULT_NIGHTS) -> None:
    columns = (TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
               TimeElapsedColumn())
    with terminate_as_interrupt(), Progress(*columns, console=err, transient=False) as progress:
        result = run_demo(DemoPlan(out_dir=out_dir, nights=nights), RichDemoProgress(progress))
    print_summary(result)


@contextmanager
def terminate_as_interrupt() -> Iterator[None]:
    """SIGTERM ends the demo like Ctrl-C does, so the portal is stopped and the running step
    killed; by default SIGTERM would end the process without any clean-up."""

    def interrupt(signum: int, frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    previous = signal.signal(signal.SIGTERM, interrupt)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def print_summary(result: DemoResult) -> None:
    first, *later = result.nights
    none = _("none")
    out.print(_("sample portal crawled {times} times: first crawl {first} posts, then {new} new "
                "posts over {nights} nights").format(
        times=len(result.nights), first=first.posts_new,
        new=sum(n.posts_new for n in later), nights=len(later)), markup=False)
    out.print(_("units behind ({count}): {units}").format(
        count=len(result.units_behind), units=_(", ").join(result.units_behind) or none),
        markup=False)
    found = _(", ").join(f"{problem_label(kind)} {count}"
                         for kind, count in result.problems.items())
    out.print(_("open problems ({count}): {found}").format(
        count=sum(result.problems.values()), found=found or none), markup=False)
    out.print(_("outputs:"), markup=False)
    for title, paths in ((_("check"), result.check_files),
                         (_("monthly report"), result.report_files)):
        listed = ", ".join(str(path) for path in paths) or none
        out.print("  " + _("{title}: {files}").format(title=title, files=listed), markup=False)
    out.print("  " + _("weekly alerts: {count} .eml files in {dir}").format(
        count=len(result.alert_files), dir=result.out_dir / "alerts"), markup=False)
    out.print("  " + _("config: {config}; database: {database}; logs: {logs}").format(
        config=result.config, database=result.database, logs=result.logs), markup=False)
    print_dashboard_hint(result)


def print_dashboard_hint(result: DemoResult) -> None:
    """How to look at the demo's data in the web dashboard, as on the morning after."""
    morning = result.morning.isoformat() if result.morning else ""
    out.print(_("dashboard: to look at this data in a browser, run"), markup=False)
    out.print(f"  MONITOR_CONFIG={result.config} MONITOR_DB=sqlite:///{result.database.resolve()} "
              f"MONITOR_NOW={morning} {Path(sys.executable).parent / 'monitor'} serve",
              markup=False)
    out.print("  " + _("then open http://127.0.0.1:8080/ and log in as {user} (password "
                       "{password}); Ctrl-C stops it").format(user=DEMO_USER,
                                                             password=DEMO_PASSWORD),
              markup=False)
