"""What the portal answers, independent of the HTTP machinery that sends it."""

from __future__ import annotations

from dataclasses import dataclass

HTML = "text/html; charset=utf-8"


@dataclass(frozen=True)
class Response:
    status: int
    body: bytes = b""
    content_type: str | None = HTML
    headers: tuple[tuple[str, str], ...] = ()
    delay_seconds: float = 0.0  # how long the server stalls before answering


def html(text: str, status: int = 200) -> Response:
    return Response(status, text.encode("utf-8"))


def redirect(location: str, status: int = 302) -> Response:
    return Response(status, b"", None, (("Location", location),))


def json_body(text: str) -> Response:
    return Response(200, text.encode("utf-8"), "application/json; charset=utf-8")


NOT_FOUND_PAGE = (
    "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>404 Not Found</title></head>"
    "<body><h1>404</h1><p>您访问的页面不存在或已被删除。</p></body></html>"
)


def not_found() -> Response:
    return html(NOT_FOUND_PAGE, 404)
