"""/problems/{id}/evidence/{name}: a file of a problem's evidence (截图取证), served only
after the whole capture is checked against its manifest, to whoever may see the problem.

The page as fetched (page.html) is the portal's HTML, scripts and all: it is only ever a
download, never a page of the dashboard's origin."""

from __future__ import annotations

from dataclasses import dataclass

from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response

from monitor.errors import EvidenceDamagedError, EvidenceError, UnknownProblemError
from monitor.evidence.manifest import FULL_PAGE_NAME, MANIFEST_NAME, PAGE_NAME, SCREENSHOT_NAME
from monitor.services.evidence import evidence_file
from monitor.services.users import User
from monitor.web.auth import NotFound
from monitor.web.pages.common import config, reading, render, site_id, user
from storage.dashboard_queries import problem_owner

NONE = "该问题没有可提供的截图证据"
DAMAGED = "证据文件与其清单（manifest.json）的校验值不符，可能已被改动，不予提供"


@dataclass(frozen=True)
class Served:
    media_type: str
    download: bool


# The only names a request may ask for; the files themselves are read by listing the
# capture's folder, so no part of a request ever becomes a path.
SERVED: dict[str, Served] = {
    SCREENSHOT_NAME: Served("image/png", download=False),
    FULL_PAGE_NAME: Served("image/jpeg", download=False),
    # Bytes as fetched, in whatever encoding the portal used: no charset is claimed.
    PAGE_NAME: Served("application/octet-stream", download=True),
    MANIFEST_NAME: Served("application/json", download=False),
}


async def evidence_download(request: Request) -> Response:
    current = user(request)
    problem_id = int(request.path_params["problem_id"])
    name = request.path_params["name"]
    served = SERVED.get(name)
    if served is None:
        raise NotFound
    try:
        data = await run_in_threadpool(_read, request, current, problem_id, name)
    except EvidenceDamagedError:
        return render(request, "error.html", {"message": DAMAGED}, status_code=409,
                      current=current)
    except EvidenceError:
        return render(request, "error.html", {"message": NONE}, status_code=404,
                      current=current)
    headers = {}
    if served.download:
        headers["content-disposition"] = f'attachment; filename="problem-{problem_id}-{name}"'
    return Response(data, media_type=served.media_type, headers=headers)


def _read(request: Request, current: User, problem_id: int, name: str) -> bytes:
    with reading(request) as session:
        site = site_id(request, session)
        owner = None if site is None else problem_owner(session, site, problem_id)
        # Another unit's problem is the same 404 as none, so a unit user learns nothing.
        if owner is None or not (current.is_office or owner.unit == current.unit):
            raise NotFound
        try:
            return evidence_file(session, config(request), problem_id, name)
        except UnknownProblemError:
            raise NotFound from None
