"""The link checker (SPEC §4.5) on asyncio and aiohttp: each distinct target is requested
once per run, and every target given gets a `LinkCheckResult`.

The decisions are the pure modules beside this one (classify, policy, redirects, ssrf,
retry_after); this module only carries them out:
- one `ClientSession` per run, keep-alive, at most `concurrency_per_host` requests to one
  host at once and `delay_seconds` between their starts, and at most as many connections
  open to it, over all its ports (`connections.HostBoundConnector`);
- a queue and `concurrency_per_host` workers per origin, so that an origin that is slow,
  refused or paused holds up no other: its retries start their back-off at once, and the
  other origins' targets are asked meanwhile (one queue for all kept every worker waiting
  on the busiest origin);
- redirects followed here, one hop at a time, so the chain is recorded, a loop is told
  from a long chain, and every hop passes the SSRF guard;
- the guard sits in the resolver, so the addresses checked are the ones connected to (a
  name cannot resolve to a public address for the check and a private one for the
  connection); IP literals, which skip the resolver, are checked before each hop;
- `Retry-After` on a 429/503 pauses every later request to that origin; the pause is
  waited out before a host slot is taken, so another origin of that host goes on;
- retries and the confirmation of a broken verdict as `policy.retry_delay` says;
- bodies read only as far as a decision needs (`bodies.read_prefix`), each request bounded
  by `timeout_seconds` from connection to last byte read.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime

import aiohttp
from aiohttp.abc import AbstractResolver, ResolveResult
from multidict import CIMultiDictProxy
from yarl import URL

from crawler.linkcheck.bodies import ACCEPT_ENCODING, UnreadableEncoding, read_prefix
from crawler.linkcheck.classify import classify
from crawler.linkcheck.client_errors import client_error_reason
from crawler.linkcheck.connections import HostBoundConnector
from crawler.linkcheck.policy import (
    RetryPolicy,
    body_budget,
    first_method,
    head_is_conclusive,
    retry_delay,
)
from crawler.linkcheck.redirects import REDIRECT_STATUSES, follow, method_after_redirect
from crawler.linkcheck.retry_after import parse_retry_after
from crawler.linkcheck.ssrf import (
    UNSUPPORTED_SCHEME,
    refusal_for_addresses,
)
from crawler.linkcheck.urls import origin, request_url, same_host, skip_reason
from monitor.crawlfacts.links import CheckResult, LinkCheckResult, LinkTarget
from monitor.domain import LinkKind, LinkStatus

RETRY_AFTER_STATUSES = frozenset({429, 503})
# Longest Retry-After waited for: a server asking for hours is not waited for; the next
# answer is judged as it comes.
RETRY_AFTER_MAX_SECONDS = 120.0
# Government servers send long cookies and CSP headers; aiohttp's 8 KiB default would
# turn such an answer into a failure.
MAX_HEADER_BYTES = 64 * 1024
INVALID_URL = "invalid_url"

OnResult = Callable[[LinkCheckResult], None]
TargetKey = tuple[str, LinkKind]
Origin = tuple[str, str, int]


@dataclass(frozen=True)
class CheckerSettings:
    site_url: str
    allow_private: bool = False
    soft404_patterns: tuple[str, ...] = ()
    check_external: bool = True
    retry_policy: RetryPolicy = field(default_factory=RetryPolicy)
    concurrency_per_host: int = 4
    delay_seconds: float = 0.0
    timeout_seconds: float = 15.0
    user_agent: str | None = None


@dataclass(frozen=True, slots=True)
class Probe:
    """One try at one target: `chain` is the URLs requested in this try, in order."""

    url: str
    kind: LinkKind
    method: str
    attempt: int
    chain: tuple[str, ...]

    @property
    def key(self) -> TargetKey:
        return self.url, self.kind


# -- the SSRF guard ------------------------------------------------------------------------


class ForbiddenAddress(OSError):
    """Raised by the resolver for a name the guard refuses; aiohttp hands it on as the
    `os_error` of its connector error."""

    def __init__(self, host: str, reason: str):
        super().__init__(f"{reason}: {host}")
        self.reason = reason


class GuardedResolver(AbstractResolver):
    """aiohttp's threaded resolver, refusing a name that resolves to an address the
    guard forbids (`ssrf.refusal_for_addresses`)."""

    def __init__(self, site_url: str, allow_private: bool):
        self._inner = aiohttp.ThreadedResolver()
        self._site_url = site_url
        self._allow_private = allow_private

    async def resolve(self, host: str, port: int = 0,
                      family: socket.AddressFamily = socket.AF_INET) -> list[ResolveResult]:
        answers = await self._inner.resolve(host, port, family)
        url = f"http://{host}:{port}/"
        reason = refusal_for_addresses(url, self._site_url, self._allow_private,
                                       [answer["host"] for answer in answers])
        if reason is not None:
            raise ForbiddenAddress(host, reason)
        return answers

    async def close(self) -> None:
        await self._inner.close()


def literal_refusal(url: str, site_url: str, allow_private: bool) -> str | None:
    """The guard for a hop the resolver does not see: another scheme, or a host written
    as an IP address."""
    scheme, host, _ = origin(url)
    if scheme not in ("http", "https"):
        return UNSUPPORTED_SCHEME
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return None
    return refusal_for_addresses(url, site_url, allow_private, [host])


def forbidden_reason(error: BaseException) -> str | None:
    cause = getattr(error, "os_error", None) or error.__cause__
    return cause.reason if isinstance(cause, ForbiddenAddress) else None


# -- per-host politeness ---------------------------------------------------------------------


async def sleep_until(moment: Callable[[], float]) -> None:
    """Sleep until `moment()` (time.monotonic), which may move later meanwhile."""
    while (wait := moment() - time.monotonic()) > 0:
        await asyncio.sleep(wait)


class HostGate:
    """At most `concurrency` requests to one host at once, starts `delay` apart, and no
    request to an origin while its server asked to wait (Retry-After). A request waits
    for its origin's pause without a slot: the host's other origins keep the slots."""

    def __init__(self, concurrency: int, delay: float):
        self.slots = asyncio.Semaphore(concurrency)
        self.delay = delay
        self._next_start = 0.0

    async def take_slot(self, paused_until: Callable[[], float]) -> None:
        """A slot, taken when the origin is not paused (release it with `slots`)."""
        while True:
            await sleep_until(paused_until)
            await self.slots.acquire()
            if paused_until() <= time.monotonic():
                return
            self.slots.release()  # a pause began while this request waited for the slot

    async def wait_turn(self, paused_until: Callable[[], float]) -> None:
        await sleep_until(lambda: max(self._next_start, paused_until()))
        self._next_start = time.monotonic() + self.delay


def plain_headers(headers: CIMultiDictProxy[str]) -> dict[str, str]:
    """Lower-case names; repeated headers (Set-Cookie) joined with newlines."""
    joined: dict[str, str] = {}
    for name, value in headers.items():
        name = name.lower()
        joined[name] = f"{joined[name]}\n{value}" if name in joined else value
    return joined


@dataclass(frozen=True, slots=True)
class Answer:
    status: int
    headers: Mapping[str, str]
    # None: no body asked for (HEAD) or one the checker cannot decode.
    body: bytes | None


# -- the checker ---------------------------------------------------------------------------------


class LinkChecker:
    def __init__(self, settings: CheckerSettings, on_result: OnResult):
        self.settings = settings
        self.on_result = on_result
        self._waiting: dict[TargetKey, list[LinkTarget]] = {}
        # Targets every spelling of which an earlier run confirmed broken.
        self._known_broken: set[TargetKey] = set()
        self._gates: dict[str, HostGate] = {}
        self._paused_until: dict[Origin, float] = {}
        # Probes waiting for a worker, by the origin of the URL they start from.
        self._queues: dict[Origin, asyncio.Queue[Probe]] = {}
        self._open = 0
        self._all_done = asyncio.Event()
        # What stopped a worker (the recorder failing, say): the run fails with it.
        self._failure: BaseException | None = None
        self._session: aiohttp.ClientSession | None = None
        # Requests at once over all hosts: a portal linking to hundreds of other sites
        # must not open a connection to each of them at the same time.
        self._in_flight = asyncio.Semaphore(self.max_in_flight(settings))

    @staticmethod
    def max_in_flight(settings: CheckerSettings) -> int:
        return max(64, settings.concurrency_per_host * 16)

    async def run(self, targets: Iterable[LinkTarget]) -> None:
        for target in targets:
            self._admit(target)
        if not self._waiting:
            return
        self._open = len(self._waiting)
        settings = self.settings
        connector = HostBoundConnector(
            settings.concurrency_per_host,
            resolver=GuardedResolver(settings.site_url, settings.allow_private),
            ttl_dns_cache=300, enable_cleanup_closed=True,
        )
        headers = {"Accept-Encoding": ACCEPT_ENCODING, "Accept": "*/*"}
        if settings.user_agent:
            headers["User-Agent"] = settings.user_agent
        async with aiohttp.ClientSession(
            connector=connector, headers=headers, auto_decompress=False, trust_env=False,
            timeout=aiohttp.ClientTimeout(total=settings.timeout_seconds),
            # Cookies kept: a portal that sets one on a first visit and redirects back
            # (A → B → A) is a working link, not a loop.
            cookie_jar=aiohttp.CookieJar(unsafe=True),
            max_line_size=MAX_HEADER_BYTES, max_field_size=MAX_HEADER_BYTES,
        ) as session:
            self._session = session
            # Every origin is known now: later probes (GET after HEAD, retries) start
            # from a target's own URL.
            workers = [asyncio.create_task(self._work(queue))
                       for queue in self._queues.values()
                       for _ in range(settings.concurrency_per_host)]
            for worker in workers:
                worker.add_done_callback(self._worker_ended)
            try:
                await self._all_done.wait()
            finally:
                for worker in workers:
                    worker.cancel()
                await asyncio.gather(*workers, return_exceptions=True)
        # The run ends once the servers have seen every connection closed.
        await connector.wait_all_closed()
        if self._failure is not None:
            raise self._failure

    def _worker_ended(self, worker: asyncio.Task[None]) -> None:
        """A worker ends early only by an error: the run then fails with it instead of
        waiting for verdicts that will never come."""
        if worker.cancelled() or self._all_done.is_set():
            return
        self._failure = worker.exception() or RuntimeError(
            "a link-check worker stopped without an error")
        self._all_done.set()

    def _admit(self, target: LinkTarget) -> None:
        reason = skip_reason(target.url)
        url = None
        if reason is None:
            try:
                url = request_url(target.url)
                origin(url)
            except ValueError:  # e.g. a port above 65535
                reason = INVALID_URL
        if reason is None and not self.settings.check_external:
            reason = None if same_host(target.url, self.settings.site_url) else \
                "external_not_checked"
        if reason is not None or url is None:
            self.on_result(LinkCheckResult.of(target, CheckResult(LinkStatus.UNCHECKED,
                                                                  reason), 0))
            return
        key = (url, target.kind)
        if key in self._waiting:
            self._waiting[key].append(target)
            if not target.known_broken:
                self._known_broken.discard(key)
            return
        self._waiting[key] = [target]
        if target.known_broken:
            self._known_broken.add(key)
        self._enqueue(Probe(url, target.kind, first_method(target.kind), 1, (url,)))

    def _enqueue(self, probe: Probe) -> None:
        key = origin(probe.url)
        queue = self._queues.get(key)
        if queue is None:
            queue = self._queues[key] = asyncio.Queue()
        queue.put_nowait(probe)

    async def _work(self, queue: asyncio.Queue[Probe]) -> None:
        while True:
            await self._try(await queue.get())

    async def _try(self, probe: Probe) -> None:
        """One try, redirects followed; then the verdict, or the next try queued."""
        while True:
            refusal = literal_refusal(probe.chain[-1], self.settings.site_url,
                                      self.settings.allow_private)
            if refusal is not None:
                self._report(probe, CheckResult(LinkStatus.UNCHECKED, refusal, None, None,
                                                probe.chain))
                return
            try:
                answer = await self._fetch(probe)
            except (aiohttp.ClientError, OSError, TimeoutError, UnicodeError,
                    ValueError) as error:
                forbidden = forbidden_reason(error)
                if forbidden is not None:
                    self._report(probe, CheckResult(LinkStatus.UNCHECKED, forbidden, None,
                                                    None, probe.chain))
                    return
                result = classify(probe.kind, None, {}, None, probe.chain[-1], probe.chain,
                                  client_error_reason(error))
                self._conclude(probe, result)
                return
            if answer.status not in REDIRECT_STATUSES:
                self._conclude(probe, self._judge(probe, answer))
                return
            step = follow(probe.chain, answer.headers.get("location"))
            if step.next_url is None:
                self._conclude(probe, CheckResult(LinkStatus.BROKEN, step.reason, answer.status,
                                                  probe.chain[-1], probe.chain))
                return
            chain = (*probe.chain, step.next_url)
            reason = skip_reason(step.next_url)
            if reason is not None:
                self._report(probe, CheckResult(LinkStatus.UNCHECKED, reason, answer.status,
                                                step.next_url, chain))
                return
            probe = replace(probe, method=method_after_redirect(answer.status, probe.method),
                            chain=chain)

    def _judge(self, probe: Probe, answer: Answer) -> CheckResult | None:
        """None: a HEAD answer that settles nothing."""
        url, chain = probe.chain[-1], probe.chain
        if probe.method == "HEAD":
            if not head_is_conclusive(answer.status, answer.headers):
                return None
            return classify(probe.kind, answer.status, answer.headers, None, url, chain, None)
        return classify(probe.kind, answer.status, answer.headers, answer.body, url, chain,
                        None, self.settings.soft404_patterns)

    async def _fetch(self, probe: Probe) -> Answer:
        assert self._session is not None
        url = probe.chain[-1]
        key = origin(url)
        gate = self._gates.get(key[1])
        if gate is None:
            gate = self._gates[key[1]] = HostGate(self.settings.concurrency_per_host,
                                                  self.settings.delay_seconds)

        def paused_until() -> float:
            return self._paused_until.get(key, 0.0)

        await gate.take_slot(paused_until)
        try:
            await gate.wait_turn(paused_until)
            async with self._in_flight:
                return await self._request(probe, key)
        finally:
            gate.slots.release()

    async def _request(self, probe: Probe, key: Origin) -> Answer:
        assert self._session is not None
        url = probe.chain[-1]
        # Already written as a browser sends it (`request_url`): not quoted again.
        async with self._session.request(probe.method, URL(url, encoded=True),
                                         allow_redirects=False) as response:
            headers = plain_headers(response.headers)
            if response.status in RETRY_AFTER_STATUSES:
                self._pause(key, headers.get("retry-after"))
            body = None
            if probe.method != "HEAD" and response.status not in REDIRECT_STATUSES:
                try:
                    body = await read_prefix(response.content.iter_any(),
                                             headers.get("content-encoding", ""),
                                             body_budget(probe.kind))
                except UnreadableEncoding:
                    body = None
            return Answer(response.status, headers, body)

    def _pause(self, key: Origin, header: str | None) -> None:
        seconds = parse_retry_after(header, datetime.now(UTC))
        if seconds is None:
            return
        until = time.monotonic() + min(seconds, RETRY_AFTER_MAX_SECONDS)
        self._paused_until[key] = max(until, self._paused_until.get(key, 0.0))

    def _conclude(self, probe: Probe, result: CheckResult | None) -> None:
        if probe.method == "HEAD" and (result is None or result.status is not LinkStatus.OK):
            # A failing HEAD is confirmed with GET, from the start of the chain.
            self._enqueue(replace(probe, method="GET", chain=(probe.url,)))
            return
        assert result is not None
        delay = retry_delay(result, probe.attempt, self.settings.retry_policy,
                            probe.key in self._known_broken)
        if delay is None:
            self._report(probe, result)
            return
        retry = replace(probe, method="GET", attempt=probe.attempt + 1, chain=(probe.url,))
        asyncio.get_running_loop().call_later(delay, self._enqueue, retry)

    def _report(self, probe: Probe, result: CheckResult) -> None:
        for target in self._waiting.pop(probe.key, []):
            self.on_result(LinkCheckResult.of(target, result, probe.attempt))
        self._open -= 1
        if self._open == 0:
            self._all_done.set()


def check_links(targets: Iterable[LinkTarget], settings: CheckerSettings,
                on_result: OnResult) -> None:
    """Check `targets` in a fresh event loop; `on_result` is called for each of them."""
    asyncio.run(LinkChecker(settings, on_result).run(targets))
