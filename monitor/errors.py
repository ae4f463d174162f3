"""One exception hierarchy for the whole product.

Everything the user can cause or fix is a `MonitorError`; the CLI turns it into a
one-line message and exit status 1 (SPEC §3). Bugs are not caught: they keep their
traceback. Each class says where it is raised.
"""

from __future__ import annotations


class MonitorError(Exception):
    """Base of every error the user can act on. `str(err)` is the message shown."""


class ConfigError(MonitorError):
    """Raised by `monitor.config` when the YAML file cannot be read or is invalid.

    `problems` holds one line per mistake, each naming file:line and the key path.
    """

    def __init__(self, problems: list[str]):
        self.problems = list(problems)
        super().__init__("\n".join(self.problems))


class EnvironmentSettingError(MonitorError):
    """Raised by `monitor.settings` when an environment variable has a bad value."""


class DatabaseError(MonitorError):
    """Raised by `storage` when the database cannot be opened or is not migrated."""


class UnknownUnitError(MonitorError):
    """Raised by unit look-ups (`monitor check --unit`) when no unit or alias matches."""

    def __init__(self, name: str, suggestions: list[str]):
        self.name = name
        self.suggestions = suggestions
        hint = f"; closest: {', '.join(suggestions)}" if suggestions else ""
        super().__init__(f"unknown unit '{name}'{hint}")


class CrawlError(MonitorError):
    """Raised by `crawler` when a crawl cannot run at all (not when a column fails)."""


class BrowserNotFoundError(CrawlError):
    """Raised by `crawler.browser` when a column needs Chromium and none is found."""


class CrawlWorkerFailed(CrawlError):
    """Raised by `crawler.pool` when a crawl worker process fails or dies: the run is
    recorded as failed (posts already written stay)."""

    def __init__(self, phase: str, shard: int, returncode: int | None, detail: str):
        self.phase, self.shard, self.returncode = phase, shard, returncode
        message = f"crawl worker {shard} ({phase}) ended with exit code {returncode}"
        detail = detail.strip()
        super().__init__(f"{message}: {detail.splitlines()[-1]}" if detail else message)


class ReportError(MonitorError):
    """Raised by `reports` when a report cannot be produced (bad period, unwritable dir)."""


class AlertError(MonitorError):
    """Raised by the alert mailer when e-mail is not configured or cannot be prepared."""


class SchedulerLockError(MonitorError):
    """Raised by the scheduler when another scheduler already holds the database lock."""


class PeriodError(MonitorError, ValueError):
    """Raised by `monitor.rules.periods` for a bad `--month`/`--quarter` or an inverted range."""


class UnknownProblemError(MonitorError):
    """Raised by `monitor problems ignore|reopen` when no problem has the given id."""

    def __init__(self, problem_id: int):
        self.problem_id = problem_id
        super().__init__(f"no problem with id {problem_id} (see 'monitor problems list')")


class UserError(MonitorError):
    """Raised by `monitor users` for a bad name, role, unit or password, or an unknown user."""
