"""A real HTTP server on 127.0.0.1 standing in for 钉钉 and 企业微信 group robots.

It answers as the vendors do: HTTP 200 with a JSON `errcode`, 0 when the message is taken.
The 钉钉 robot checks the access token and the 加签 signature (HMAC-SHA256 of
"timestamp\\nsecret", base64, within an hour of its clock) exactly as the vendor documents
it; the 企业微信 robot checks its key. A generic JSON webhook (an SMS gateway) takes any
JSON at /hook. Every message taken is recorded with the moment it arrived.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

DING_TOKEN = "d1ng7ok3n0123456789abcdef"
DING_SECRET = "SEC0f1e2d3c4b5a69788796a5b4c3d2e1f0"
WECOM_KEY = "693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa"
HOOK_TOKEN = "hook-secret-4711"


@dataclass
class Robot:
    """What the robots took, and how they answer next."""

    taken: list[tuple[float, str, dict[str, Any]]] = field(default_factory=list)
    refusals: list[tuple[str, int]] = field(default_factory=list)
    # Set to answer every message with this errcode (as a robot over its limit does).
    errcode: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)

    def texts(self, vendor: str) -> list[str]:
        return [body["text"]["content"] if vendor != "hook" else body["message"]
                for _at, where, body in self.taken if where == vendor]

    def times(self, vendor: str) -> list[float]:
        return [at for at, where, _body in self.taken if where == vendor]


def expected_sign(secret: str, timestamp: str) -> str:
    digest = hmac.new(secret.encode(), f"{timestamp}\n{secret}".encode(), hashlib.sha256)
    return base64.b64encode(digest.digest()).decode()


def _dingtalk_refusal(query: dict[str, list[str]]) -> int:
    if query.get("access_token") != [DING_TOKEN]:
        return 300001  # token is not exist
    timestamp, sign = query.get("timestamp", [""])[0], query.get("sign", [""])[0]
    if not timestamp.isdigit() or abs(time.time() * 1000 - int(timestamp)) > 3_600_000:
        return 310000
    if not hmac.compare_digest(sign, expected_sign(DING_SECRET, timestamp)):
        return 310000  # sign not match
    return 0


class _Handler(BaseHTTPRequestHandler):
    robot: Robot

    def do_POST(self) -> None:  # noqa: N802
        parts = urlsplit(self.path)
        query = parse_qs(parts.query)
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        if parts.path == "/robot/send":
            vendor, code = "dingtalk", _dingtalk_refusal(query)
        elif parts.path == "/cgi-bin/webhook/send":
            vendor, code = "wecombot", 0 if query.get("key") == [WECOM_KEY] else 93000
        elif parts.path == "/hook":
            vendor, code = "hook", 0 if query.get("token") == [HOOK_TOKEN] else 401
        else:
            self.send_error(404)
            return
        code = code or self.robot.errcode
        with self.robot.lock:
            if code:
                self.robot.refusals.append((vendor, code))
            else:
                self.robot.taken.append((time.monotonic(), vendor, body))
        if vendor == "hook" and code:
            self.send_error(code)
            return
        answer = json.dumps({"errcode": code, "errmsg": "ok" if not code else "refused"})
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer.encode())

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        pass  # quiet


@dataclass
class WebhookServer:
    port: int
    robot: Robot = field(default_factory=Robot)
    _server: ThreadingHTTPServer | None = None

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        handler = type("Handler", (_Handler,), {"robot": self.robot})
        self._server = ThreadingHTTPServer(("127.0.0.1", self.port), handler)
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
