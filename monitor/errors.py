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


class UnknownPortalError(MonitorError):
    """Raised by `monitor.config.portals` when `--portal` names no configured portal, or
    when several are configured and none is chosen."""


class DatabaseError(MonitorError):
    """Raised by `storage` when the database cannot be opened or is not migrated."""


class UnknownStoredValueError(DatabaseError):
    """Raised by `storage.base.ByValue` when a column holds a string that is no member of
    its enum: the database was written by another version of the monitor, or by hand."""

    def __init__(self, enum_name: str, value: str):
        self.enum_name, self.value = enum_name, value
        from monitor.i18n import _

        super().__init__(_("the database holds '{value}', which is no {enum}; was it "
                           "written by another version of the monitor?").format(
                               value=value, enum=enum_name))


class UnknownUnitError(MonitorError):
    """Raised by unit look-ups (`monitor check --unit`) when no unit or alias matches."""

    def __init__(self, name: str, suggestions: list[str]):
        self.name = name
        self.suggestions = suggestions
        # Imported here: the errors module is imported by everything, i18n by few.
        from monitor.i18n import _

        if suggestions:
            message = _("unknown unit '{name}'; closest: {names}").format(
                name=name, names=_(", ").join(suggestions))
        else:
            message = _("unknown unit '{name}'").format(name=name)
        super().__init__(message)


class AmbiguousUnitError(UnknownUnitError):
    """Raised by unit look-ups when the part of a name typed belongs to several units."""

    def __init__(self, name: str, candidates: list[str]):
        self.name = name
        self.suggestions = candidates
        from monitor.i18n import _

        MonitorError.__init__(
            self, _("'{name}' 可指多个单位：{names}；请写出单位全称或别名").format(
                name=name, names="、".join(candidates)))


class CrawlError(MonitorError):
    """Raised by `crawler` when a crawl cannot run at all (not when a column fails)."""


class BrowserNotFoundError(CrawlError):
    """Raised by `crawler.browser` when a column needs Chromium and none is found."""


class CrawlWorkerFailed(CrawlError):
    """Raised by `crawler.pool` when a crawl worker process fails or dies: the run is
    recorded as failed (posts already written stay)."""

    def __init__(self, phase: str, shard: int, returncode: int | None, detail: str):
        self.phase, self.shard, self.returncode = phase, shard, returncode
        from monitor.i18n import _

        message = _("crawl worker {shard} ({phase}) ended with exit code {code}").format(
            shard=shard, phase=phase, code=returncode)
        detail = detail.strip()
        super().__init__(_("{message}: {detail}").format(
            message=message, detail=detail.splitlines()[-1]) if detail else message)


class ScrapydError(CrawlError):
    """Raised by `monitor.services.crawl_backends.scrapyd` when the scrapyd server of
    `crawl.scrapyd_url` cannot be reached or refuses a request."""


class ScrapydJobFailed(CrawlError):
    """Raised by `monitor.services.crawl_backends.scrapyd` when a crawl's scrapyd job ends
    without reporting its counts: the run is recorded as failed, as when a local worker
    fails (what the job wrote stays; nothing is judged on the columns it did not read)."""


class CrawlIncomplete(CrawlError):
    """Raised by `monitor crawl` after its summary when the run did not read everything:
    the portal did not answer, or some columns could not be read (exit status 1)."""


class CrawlInterrupted(CrawlError):
    """Raised by `monitor.services.crawl` when a signal (SIGTERM, Ctrl-C) stops a crawl: the
    run is recorded as interrupted, its unread columns as not reached."""

    def __init__(self, signal_name: str):
        self.signal_name = signal_name
        from monitor.i18n import _

        super().__init__(_("crawl interrupted by {signal}; the run is recorded as interrupted "
                           "and its unread columns keep their last known state").format(
                               signal=signal_name))


class PortalsInterrupted(MonitorError):
    """Raised by `--all` on the commands that write per portal (`monitor.commands.
    each_portal`) when SIGINT or SIGTERM came: the portal being worked on was given the
    signal and has ended; the portals after it were left alone."""

    def __init__(self, signal_name: str, left: list[str]):
        self.signal_name = signal_name
        from monitor.i18n import _

        super().__init__(_("interrupted by {signal}: {count} portal(s) not reached were left "
                           "alone: {names}").format(signal=signal_name, count=len(left),
                                                    names=", ".join(left) or "-"))


class CrawlLockError(CrawlError):
    """Raised by `monitor.services.crawl` when another crawl of the same portal is running."""


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
        from monitor.i18n import _

        super().__init__(_("no problem with id {id} (see 'monitor problems list')").format(
            id=problem_id))


class DiscoverError(MonitorError):
    """Raised by `monitor.services.discover` when a portal cannot be walked or shows no
    column."""


class EvidenceError(MonitorError):
    """Raised by `monitor problems evidence` when a problem has no evidence to copy, or
    when stored evidence no longer matches its manifest."""


class EvidenceDamagedError(EvidenceError):
    """Raised when a problem's stored evidence no longer matches its manifest (a file
    changed or went missing after the capture): it is refused, never shown or copied."""


class EvidenceFontMissing(MonitorError):
    """Raised by the evidence capture when no CJK font is installed: the banner's Chinese
    would be drawn as empty boxes, which is no evidence."""


class UserError(MonitorError):
    """Raised by `monitor users` for a bad name, role, unit or password, or an unknown user."""
