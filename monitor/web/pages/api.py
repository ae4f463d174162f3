"""/api/units/{unit name} and /api/stats: the JSON of `monitor check --json --no-crawl`
and `monitor stats --json` (SPEC §5), from the same service functions, behind the same
login and roles (401 without a session). A unit user's /api/stats holds its unit only."""

from __future__ import annotations

import json

from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from monitor.services.check import check_document, check_unit
from monitor.services.stats import stats_document, unit_stats
from monitor.web.pages.common import config, judged, reading, today, user, visible_unit


class ChineseJSON(JSONResponse):
    """JSON as the CLI prints it: Chinese kept readable."""

    def render(self, content: object) -> bytes:
        return json.dumps(content, ensure_ascii=False, default=str).encode("utf-8")


def unit_document(request: Request) -> Response:
    current = user(request)
    unit = visible_unit(request, current, request.path_params["name"])
    portal, day = config(request), today(request)
    with reading(request) as session:
        result = judged(request, session, ("check", unit.name, day),
                        lambda: check_unit(session, portal, unit.name, day))
    return ChineseJSON(check_document(result))


def stats_document_view(request: Request) -> Response:
    current = user(request)
    portal, day = config(request), today(request)
    with reading(request) as session:
        document = stats_document(judged(request, session, ("stats", day),
                                         lambda: unit_stats(session, portal, day)))
    if not current.is_office:
        document = [row for row in document if row["unit"] == current.unit]
    return ChineseJSON(document)
