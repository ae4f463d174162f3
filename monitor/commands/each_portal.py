"""`--all` on the commands that write per portal (`crawl`, `links recheck`, `probe`): each
configured portal's command in a child process of its own, one after another (SPEC §7).

A child per portal because a crawl runs the Twisted reactor, which runs once per process,
and so that one portal's failure, even a crash, leaves the others to run. One after another
so that two crawls never read one host (or one provincial platform) at once. Each child is
the command itself with `--json`: its document gives the portal's summary line, its stderr
(warnings, progress, errors) passes through as it comes.

The exit status of the whole is the worst of the portals': 0 when each portal's command
succeeded, else the highest exit status among them (a child stopped by signal N counts as
128 + N, as a shell counts it).
"""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from types import FrameType
from typing import Any

import typer

from monitor.app import App
from monitor.commands.console import err, out, print_json
from monitor.errors import PortalsInterrupted
from monitor.i18n import _
from monitor.settings import child_environment
from monitor.stopping import on_stop_signals


@dataclass(frozen=True)
class PortalOutcome:
    """How one portal's command ended: its exit status, the document it printed (None when
    it printed none) and its last line on stderr (its error, when it failed)."""

    name: str
    status: int
    document: Any
    last_error: str

    @property
    def ok(self) -> bool:
        return self.status == 0


def worst_status(outcomes: Sequence[PortalOutcome]) -> int:
    """0 when every portal's command succeeded, else the highest exit status among them."""
    return max((outcome.status for outcome in outcomes), default=0)


def exit_status(returncode: int) -> int:
    # A child killed by signal N: Popen says -N, a shell says 128 + N.
    return 128 - returncode if returncode < 0 else returncode


def run_for_each(portals: Sequence[tuple[str, App]], words: Sequence[str],
                 summary: Callable[[Any], str], json: bool) -> None:
    """Run `monitor <words> --json` for each portal in turn; print a summary line per portal
    as it ends (or, with `json`, one document keyed by portal at the end) and exit with
    the worst status."""
    outcomes: list[PortalOutcome] = []
    names = [name for name, _application in portals]
    for index, (name, application) in enumerate(portals):
        outcome, stopped_by = run_child(name, application, words)
        outcomes.append(outcome)
        if not json:
            out.print(portal_line(outcome, summary), markup=False)
        if stopped_by is not None:
            raise PortalsInterrupted(stopped_by, names[index + 1:])
    if json:
        print_json({outcome.name: outcome.document if outcome.document is not None
                    else {"error": outcome.last_error} for outcome in outcomes})
    exit_if_failed(outcomes, len(outcomes))


def run_or_stop(name: str, application: App, words: Sequence[str],
                later: Sequence[str]) -> PortalOutcome:
    """`run_child`, raising PortalsInterrupted (naming the portals `later`, not begun) when
    a signal came while it ran."""
    outcome, stopped_by = run_child(name, application, words)
    if stopped_by is not None:
        raise PortalsInterrupted(stopped_by, list(later))
    return outcome


def exit_if_failed(outcomes: Sequence[PortalOutcome], total: int) -> None:
    """A last line naming the portals whose command failed, and their worst exit status."""
    failed = [outcome.name for outcome in outcomes if not outcome.ok]
    if failed:
        err.print(_("error: {message}").format(message=_(
            "{failed} of {total} portals failed: {names}").format(
                failed=len(failed), total=total, names=", ".join(failed))),
            markup=False)
        raise typer.Exit(worst_status(outcomes))


def portal_line(outcome: PortalOutcome, summary: Callable[[Any], str]) -> str:
    """The portal's one line: its summary, or why it failed."""
    if outcome.ok and outcome.document is not None:
        text = summary(outcome.document)
    else:
        text = _("failed (exit status {status}): {error}").format(
            status=outcome.status, error=outcome.last_error or _("no error message"))
    return _("【{portal}】 {summary}").format(portal=outcome.name, summary=text)


def run_child(name: str, application: App,
              words: Sequence[str]) -> tuple[PortalOutcome, str | None]:
    """The portal's command in a child process, its stderr relayed as it comes, and the
    signal that came meanwhile (None if none). A SIGINT or SIGTERM is passed on to the
    child (in a session of its own, so a terminal's Ctrl-C reaches it once, from here),
    and the portals after it are not begun."""
    argv = [sys.executable, "-m", "monitor", "--config", str(application.config_path),
            *words, "--json"]
    child = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                             encoding="utf-8", errors="replace", start_new_session=True,
                             env=child_environment(application.db_url))
    errors: list[str] = []
    relay = threading.Thread(target=_relay, args=(child, errors), daemon=True)
    relay.start()
    received: list[str] = []
    with _passed_on(child, received):
        assert child.stdout is not None  # opened with PIPE
        stdout = child.stdout.read()
        child.wait()
    relay.join()
    outcome = PortalOutcome(name, exit_status(child.returncode), _document(stdout),
                            errors[-1] if errors else "")
    return outcome, (received[0] if received else None)


def _relay(child: subprocess.Popen[str], lines: list[str]) -> None:
    assert child.stderr is not None  # opened with PIPE
    for line in child.stderr:
        sys.stderr.write(line)
        sys.stderr.flush()
        if line.strip():
            lines.append(line.strip())


@contextmanager
def _passed_on(child: subprocess.Popen[str], received: list[str]) -> Iterator[None]:
    """SIGINT and SIGTERM go to `child` (once each) while the block runs."""

    def pass_on(signum: int, _frame: FrameType | None) -> None:
        name = signal.Signals(signum).name
        if name not in received:
            received.append(name)
            child.send_signal(signum)

    with on_stop_signals(pass_on):
        yield


def _document(stdout: str) -> Any:
    try:
        return json.loads(stdout) if stdout.strip() else None
    except ValueError:
        return None
