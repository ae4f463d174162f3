"""Crawls read by a scrapyd server (`crawl.backend: scrapyd`, `crawl.scrapyd_url`).

The run is opened, judged and closed here as a local run is (`monitor.services.crawl`); only the
reading of its columns and the link check are one job on scrapyd, through its HTTP API:
the project's egg is uploaded once per version (`addversion.json`), the job scheduled
(`schedule.json`) with the run to read (`crawler.job.JobSpec`), followed (`listjobs.json`)
until it has finished, and its log read (`logs/`) for the counts it reports, or for its
errors. The job writes to the shared database itself. A job that ends without its counts
fails the run like a failed local worker: the columns it did not finish are not reached,
and nothing is judged on them.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin

import httpx

from crawler.job import JOB_SPIDER, JobSpec, counts_in_log, errors_in_log
from crawler.shards import merge_counts
from monitor.crawlfacts.links import LinkTarget
from monitor.errors import ScrapydError, ScrapydJobFailed
from monitor.i18n import _
from monitor.services.crawl import RunStart
from monitor.services.crawl_backends.egg import SCRAPYD_PROJECT, ProjectEgg, build_egg
from storage.crawl_store import CrawlRecorder, RunCounts

log = logging.getLogger("monitor.scrapyd")

# How often the job's state is asked for, and how long scrapyd may stay unreachable while
# a job runs before the run is given up (a restart of the server is shorter).
POLL_SECONDS = 1.0
UNREACHABLE_GRACE_SECONDS = 120.0
REQUEST_TIMEOUT_SECONDS = 60.0
# How long a cancelled job is given to stop (Scrapy ends its requests in flight first).
CANCEL_WAIT_SECONDS = 60.0
# What the job's log must hold for the opening process to read the counts it reports.
JOB_SETTINGS = {
    # Our project settings keep Scrapy off the root logger (the CLI owns it); a job's log
    # file is scrapyd's only channel back.
    "LOG_INSTALL_ROOT_HANDLER": "True",
    "LOG_LEVEL": "INFO",
}


@dataclass(frozen=True)
class JobState:
    """Where scrapyd has a job: pending, running or finished (None: it does not know it,
    e.g. restarted since), and the path of its log once it has one."""

    state: str | None
    log_url: str | None = None


def job_state(listing: Mapping[str, Any], job_id: str) -> JobState:
    """The job's state in a `listjobs.json` answer."""
    for state in ("finished", "running", "pending"):
        for job in listing.get(state, ()):
            if job.get("id") == job_id:
                return JobState(state, job.get("log_url"))
    return JobState(None)


def job_counts(job_id: str, log_text: str | None) -> RunCounts:
    """The counts a finished job reported in its log; ScrapydJobFailed when it reported
    none (it failed, or was stopped), quoting its last errors."""
    if log_text is None:
        raise ScrapydJobFailed(_(
            "scrapyd job {job} finished but scrapyd keeps no log of it (logs_dir is empty in "
            "scrapyd.conf): its outcome cannot be read").format(job=job_id))
    lines = log_text.splitlines()
    counts = counts_in_log(lines)
    if counts is not None:
        return counts
    errors = errors_in_log(lines)
    detail = errors[-1] if errors else _("no error in its log")
    raise ScrapydJobFailed(_("scrapyd job {job} ended without finishing the crawl: {detail}")
                           .format(job=job_id, detail=detail))


def schedule_form(spec: JobSpec, version: str, job_id: str) -> dict[str, str | list[str]]:
    """The fields of `schedule.json`: the spider's one argument and the job's settings
    (repeated `setting=NAME=value`); the portal's own crawl settings the job derives from
    the config it is given, as a local crawl does."""
    return {
        "project": SCRAPYD_PROJECT, "spider": JOB_SPIDER, "_version": version,
        "jobid": job_id, "spec": spec.encode(),
        "setting": [f"{name}={value}" for name, value in JOB_SETTINGS.items()],
    }


def job_id_for(spec: JobSpec) -> str:
    # Readable in scrapyd's job list; the random part keeps apart the runs of two
    # databases sharing one scrapyd.
    return f"site{spec.site_id}-run{spec.run_id}-{uuid.uuid4().hex[:12]}"


class ScrapydClient:
    """The few calls of scrapyd's HTTP API a crawl needs; any failure is a ScrapydError
    naming the server."""

    def __init__(self, base_url: str, http: httpx.Client | None = None):
        self.base_url = base_url if base_url.endswith("/") else base_url + "/"
        self.http = http or httpx.Client(timeout=REQUEST_TIMEOUT_SECONDS)

    def versions(self) -> list[str]:
        answer = self._call("GET", "listversions.json", params={"project": SCRAPYD_PROJECT})
        return list(answer.get("versions", []))

    def add_version(self, egg: ProjectEgg) -> None:
        self._call("POST", "addversion.json",
                   data={"project": SCRAPYD_PROJECT, "version": egg.version},
                   files={"egg": (f"{SCRAPYD_PROJECT}.egg", egg.content)})

    def schedule(self, form: Mapping[str, str | list[str]]) -> str:
        answer = self._call("POST", "schedule.json", data=dict(form))
        return str(answer["jobid"])

    def jobs(self) -> Mapping[str, Any]:
        return self._call("GET", "listjobs.json", params={"project": SCRAPYD_PROJECT})

    def cancel(self, job_id: str) -> None:
        self._call("POST", "cancel.json", data={"project": SCRAPYD_PROJECT, "job": job_id})

    def log_text(self, log_url: str) -> str:
        response = self._request("GET", urljoin(self.base_url, log_url.lstrip("/")))
        response.encoding = "utf-8"
        return response.text

    def _call(self, method: str, endpoint: str, **kwargs: Any) -> Mapping[str, Any]:
        response = self._request(method, urljoin(self.base_url, endpoint), **kwargs)
        try:
            answer = response.json()
        except ValueError:
            raise ScrapydError(_("scrapyd at {url} answered {endpoint} with something other "
                                 "than JSON (is it a scrapyd server?)").format(
                                     url=self.base_url, endpoint=endpoint)) from None
        if answer.get("status") != "ok":
            raise ScrapydError(_("scrapyd at {url} refused {endpoint}: {answer}").format(
                url=self.base_url, endpoint=endpoint, answer=answer.get("message", answer)))
        return answer

    def _request(self, method: str, url: str, **kwargs: Any) -> httpx.Response:
        try:
            response = self.http.request(method, url, **kwargs)
            response.raise_for_status()
        except httpx.HTTPError as error:
            raise ScrapydError(_("scrapyd at {url} cannot be reached: {error}").format(
                url=self.base_url, error=error or type(error).__name__)) from None
        return response


def upload_egg(client: ScrapydClient) -> str:
    """Upload the project's egg unless scrapyd has this version; returns the version."""
    egg = build_egg()
    if egg.version not in client.versions():
        client.add_version(egg)
        log.info("uploaded egg %s to scrapyd", egg.version)
    return egg.version


class ScrapydReader:
    """A `monitor.services.crawl.ColumnReader`: the run's columns and link check as one job."""

    def __init__(self, client: ScrapydClient, version: str,
                 sleep: Callable[[float], None] = time.sleep):
        self.client = client
        self.version = version
        self.sleep = sleep

    def __call__(self, start: RunStart, recorder: CrawlRecorder, progress: Any,
                 link_targets: Callable[[], Sequence[LinkTarget]]) -> None:
        # The job picks the link targets due itself, once its columns are read, as a
        # local crawl does (`link_targets` is this process's view, not used).
        app = start.app
        spec = JobSpec.of(start.run_id, start.site_id, start.now, app.db_url, app.config,
                          [job.column_id for job in start.jobs])
        job_id = self.client.schedule(schedule_form(spec, self.version, job_id_for(spec)))
        log.info("scrapyd job %s scheduled for run %s", job_id, start.run_id)
        finished = False
        try:
            state = self._wait(job_id)
            finished = True
        finally:
            if not finished:
                self._cancel(job_id)
        text = self.client.log_text(state.log_url) if state.log_url else None
        merge_counts(recorder.counts, job_counts(job_id, text))

    def _wait(self, job_id: str) -> JobState:
        unreachable_since: float | None = None
        while True:
            try:
                state = job_state(self.client.jobs(), job_id)
                unreachable_since = None
            except ScrapydError:
                now = time.monotonic()
                unreachable_since = unreachable_since or now
                if now - unreachable_since > UNREACHABLE_GRACE_SECONDS:
                    raise
                self.sleep(POLL_SECONDS)
                continue
            if state.state == "finished":
                return state
            if state.state is None:
                raise ScrapydJobFailed(_("scrapyd no longer knows job {job} (restarted while "
                                         "it ran?): its outcome is unknown").format(job=job_id))
            self.sleep(POLL_SECONDS)

    def _cancel(self, job_id: str) -> None:
        """Stop the job of a run that is given up (interrupted, or failed here), and wait a
        while for it to end: what it read is written before the run is closed, not after."""
        try:
            self.client.cancel(job_id)
            deadline = time.monotonic() + CANCEL_WAIT_SECONDS
            while time.monotonic() < deadline:
                if job_state(self.client.jobs(), job_id).state in ("finished", None):
                    return
                self.sleep(POLL_SECONDS)
            log.warning("scrapyd job %s still runs %.0f s after it was cancelled",
                        job_id, CANCEL_WAIT_SECONDS)
        except ScrapydError as error:
            log.warning("scrapyd job %s could not be cancelled: %s", job_id, error)
