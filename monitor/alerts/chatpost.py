"""Posting a chat message: 钉钉 and 企业微信 group robots by our own HTTP call, the other
schemes (飞书, json:// webhooks for an SMS gateway …) through apprise.

钉钉 and 企业微信 robots are called here rather than through apprise because apprise's
plugins fix the vendors' hosts (a private deployment, or a test server, cannot be named),
encode DingTalk's signature twice, and take any HTTP 200 as success while the robots
answer every refusal — a bad signature, a missing keyword, too many messages — with
HTTP 200 and a non-zero `errcode`. Here `errcode != 0` is a failure, retried later.

Outcomes, as for e-mail: delivered; not delivered (DeliveryError: retried by the outbox);
or uncertain — the request went out and no answer came, so the robot may have posted it:
not posted again (at most once), and the office is told.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import importlib
import logging
import time
from collections.abc import Callable
from enum import StrEnum
from typing import Any
from urllib.parse import parse_qs, unquote, urlencode, urlsplit

import httpx

from monitor.alerts.chatsecrets import Secrets, masked_logs
from monitor.alerts.chatsupport import MISSING_APPRISE
from monitor.alerts.chattext import DINGTALK, WECOMBOT, vendor_of
from monitor.alerts.mailer import DeliveryError
from monitor.alerts.pacing import Pacer
from monitor.config import ChatConfig
from monitor.errors import EnvironmentSettingError
from monitor.safetext import one_line
from monitor.settings import Environment

CHAT_TIMEOUT_SECONDS = 15
PUBLIC_ENDPOINTS = {DINGTALK: "https://oapi.dingtalk.com",
                    WECOMBOT: "https://qyapi.weixin.qq.com"}
ROBOT_PATHS = {DINGTALK: "/robot/send", WECOMBOT: "/cgi-bin/webhook/send"}


class Posted(StrEnum):
    DELIVERED = "delivered"
    UNCERTAIN = "uncertain"


def dingtalk_sign(secret: str, timestamp_ms: int) -> str:
    """钉钉 加签: base64 of HMAC-SHA256 over "timestamp\\nsecret", keyed by the secret (the
    caller URL-encodes it once, as the query string needs)."""
    digest = hmac.new(secret.encode(), f"{timestamp_ms}\n{secret}".encode(),
                      hashlib.sha256).digest()
    return base64.b64encode(digest).decode("ascii")


class ChatPoster:
    """Posts messages to chat URLs, paced per URL; one HTTP client for a batch."""

    def __init__(self, chat: ChatConfig, environment: Environment, *,
                 pacer: Pacer | None = None, wall_clock: Callable[[], float] = time.time,
                 timeout: float = CHAT_TIMEOUT_SECONDS) -> None:
        self._chat = chat
        self._environment = environment
        self._pacer = pacer or Pacer(chat.per_minute)
        # 钉钉 checks the signature's timestamp against its own clock (within an hour): the
        # real time, never MONITOR_NOW.
        self._wall_clock = wall_clock
        # A new connection for each message (a few a minute): a connection the robot closed
        # while idle can then never be taken for a robot that went silent after a request.
        self._client = httpx.Client(timeout=timeout,
                                    limits=httpx.Limits(max_keepalive_connections=0))

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> ChatPoster:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    def post(self, channel: str, text: str) -> Posted:
        """Post `text` to `channel` (a chat URL as the config writes it). Raises
        DeliveryError, whose message names the channel as written and never a token."""
        secrets = Secrets.of(channel, self._environment)
        try:
            url = self._environment.expand(channel)
        except EnvironmentSettingError as err:
            raise DeliveryError(f"{channel}: {err}", unreachable=True) from None
        self._pacer.wait(channel)
        try:
            with masked_logs(secrets):
                return self._post(channel, url, text)
        except DeliveryError as err:
            raise DeliveryError(secrets.mask(str(err)), err.unreachable) from None
        finally:
            self._pacer.posted(channel)

    def _post(self, channel: str, url: str, text: str) -> Posted:
        vendor = vendor_of(channel)
        if vendor == DINGTALK:
            return self._robot(channel, self._dingtalk_url(channel, url), text)
        if vendor == WECOMBOT:
            return self._robot(channel, self._wecom_url(channel, url), text)
        return _apprise(channel, url, text)

    def _endpoint(self, vendor: str) -> str:
        configured = self._chat.endpoints.get(vendor)
        if configured is None:
            return PUBLIC_ENDPOINTS[vendor]
        parts = urlsplit(configured)
        return f"{parts.scheme}://{parts.netloc}"

    def _dingtalk_url(self, channel: str, url: str) -> str:
        """dingtalk://SECRET@TOKEN/ or dingtalk://TOKEN/?secret=SECRET (apprise's forms)."""
        parts = urlsplit(url)
        userinfo, _, token = parts.netloc.rpartition("@")
        secret = unquote(userinfo) or _query(parts.query, "secret")
        token = unquote(token)
        if not token or parts.path.strip("/"):
            raise DeliveryError(f"{channel}: write a 钉钉 robot as "
                                "dingtalk://${SECRET}@${TOKEN}/ (or without the secret)",
                                unreachable=True)
        query: dict[str, str | int] = {"access_token": token}
        if secret:
            timestamp = int(self._wall_clock() * 1000)
            query |= {"timestamp": timestamp, "sign": dingtalk_sign(secret, timestamp)}
        return f"{self._endpoint(DINGTALK)}{ROBOT_PATHS[DINGTALK]}?{urlencode(query)}"

    def _wecom_url(self, channel: str, url: str) -> str:
        """wecombot://KEY (or wecombot://?key=KEY)."""
        parts = urlsplit(url)
        key = unquote(parts.netloc) or _query(parts.query, "key")
        if not key or parts.path.strip("/"):
            raise DeliveryError(f"{channel}: write a 企业微信 group robot as wecombot://${{KEY}}",
                                unreachable=True)
        query = urlencode({"key": key})
        return f"{self._endpoint(WECOMBOT)}{ROBOT_PATHS[WECOMBOT]}?{query}"

    def _robot(self, channel: str, url: str, text: str) -> Posted:
        payload = {"msgtype": "text", "text": {"content": text}}
        try:
            response = self._client.post(url, json=payload)
        except (httpx.ConnectError, httpx.ConnectTimeout) as err:
            raise DeliveryError(f"{channel}: cannot connect ({_describe(err)})",
                                unreachable=True) from None
        except (httpx.ReadTimeout, httpx.ReadError, httpx.RemoteProtocolError):
            # The request went out and no answer came: maybe posted. Not posted again.
            return Posted.UNCERTAIN
        except httpx.HTTPError as err:
            raise DeliveryError(f"{channel}: {_describe(err)}", unreachable=False) from None
        return _robot_answer(channel, response)


def _robot_answer(channel: str, response: httpx.Response) -> Posted:
    if response.status_code != 200:
        raise DeliveryError(f"{channel}: HTTP {response.status_code}", unreachable=False)
    try:
        answer: Any = response.json()
        code = int(answer.get("errcode", -1))
    except (ValueError, AttributeError, TypeError):
        raise DeliveryError(f"{channel}: the robot's answer is not its JSON",
                            unreachable=False) from None
    if code != 0:
        reason = one_line(str(answer.get("errmsg", "")))[:200]
        raise DeliveryError(f"{channel}: errcode {code} {reason}".rstrip(), unreachable=False)
    return Posted.DELIVERED


def _apprise(channel: str, url: str, text: str) -> Posted:
    try:
        apprise = importlib.import_module("apprise")
    except ImportError:
        raise DeliveryError(f"{channel}: {MISSING_APPRISE}", unreachable=True) from None
    notifier = apprise.Apprise()
    with apprise.LogCapture(level=logging.WARNING) as captured:
        if not notifier.add(url):
            raise DeliveryError(f"{channel}: not a notification URL apprise knows",
                                unreachable=True)
        if notifier.notify(body=text):
            return Posted.DELIVERED
        lines = [line for line in captured.getvalue().splitlines() if line.strip()]
    reason = one_line(lines[-1].rpartition(" - ")[2]) if lines else "apprise reported a failure"
    raise DeliveryError(f"{channel}: {reason}"[:500], unreachable=False)


def _query(query: str, name: str) -> str:
    values = parse_qs(query).get(name)
    return values[0] if values else ""


def _describe(err: Exception) -> str:
    return f"{type(err).__name__}: {one_line(str(err))}"[:300]
