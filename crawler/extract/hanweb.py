"""Hanweb (大汉) JCMS column lists, which a page loads from `/module/web/jpage/dataproxy.jsp`.

The column page's script declares the proxy URL, the page size and the form fields the
proxy wants (col, appid, webid, path, columnid, sourceContentType, unitid, webname,
permissiontype …, varying by site version). The list is then asked for in windows of
records (`startrecord`, `endrecord`, `perpage`), typically 45 records a call, and answers

    <datastore><totalrecord>N</totalrecord><recordset>
      <record><![CDATA[<li>…one post…</li>]]></record> …
    </recordset></datastore>

The first window is often inlined in the page as `<script type="text/xml"><datastore>`.
"""

from __future__ import annotations

import html as html_entities
import re
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode, urlsplit

from lxml.html import HtmlElement

from crawler.extract.html import parse_fragment
from crawler.extract.listing import ListItem, items_from_rows
from monitor.crawlfacts.urls import normalize_url

DEFAULT_RECORDS_PER_CALL = 45
_DEFAULT_PROXY_PATH = "/module/web/jpage/dataproxy.jsp"

# Parameters that belong to the request window, not to the column's identity.
_WINDOW_PARAMS = frozenset({"startrecord", "endrecord", "perpage", "page"})
# Form fields known from JCMS versions, read when declared as `name: value` or `name=value`.
_KNOWN_FIELDS = (
    "col", "appid", "webid", "path", "columnid", "sourceContentType", "unitid", "webname",
    "permissiontype", "unitId", "siteId", "pageSize",
)
_FIELD_VALUE = r"""\s*[:=]\s*(?:'([^']*)'|"([^"]*)"|([^,\s}&;"'<]+))"""
_PROXY_URL = re.compile(r"""["'(=\s]([^"'\s()<>]*?/?dataproxy\.jsp[^"'\s()<>]*)""")
_PARAM_OBJECT = re.compile(
    r"\b(?:ajaxParam|ajaxparam|params|param|queryParam)\s*[:=]\s*\{([^{}]*)\}"
)
_OBJECT_PAIR = re.compile(
    r"""["']?([A-Za-z_]\w*)["']?\s*:\s*(?:'([^']*)'|"([^"]*)"|([^,\s}]+))"""
)
_PER_PAGE = re.compile(r"\bper[Pp]age\s*[:=]\s*['\"]?(\d+)")
_TOTAL_RECORD = re.compile(r"\btotal[Rr]ecord\s*[:=]\s*['\"]?(\d+)")
_XML_SCRIPT = re.compile(
    r"<script[^>]*type\s*=\s*[\"']text/xml[\"'][^>]*>(.*?)</script>", re.IGNORECASE | re.DOTALL
)
_TOTAL_TAG = re.compile(r"<totalrecord>\s*(\d+)\s*</totalrecord>", re.IGNORECASE)
_RECORD = re.compile(
    r"<record[^>]*>\s*(?:<!\[CDATA\[(.*?)\]\]>|(.*?))\s*</record>", re.IGNORECASE | re.DOTALL
)


@dataclass(frozen=True)
class HanwebQuery:
    """What a column page declares for its dataproxy list.

    `fields` are the form fields in declaration order; `per_page` is the page size the
    site shows (sent as `perpage`); `total_records` when the page states it.
    """

    proxy_url: str
    fields: tuple[tuple[str, str], ...]
    per_page: int | None = None
    total_records: int | None = None

    def field(self, name: str) -> str | None:
        return next((value for key, value in self.fields if key == name), None)


@dataclass(frozen=True)
class HanwebRequest:
    """One dataproxy call: POST `url` (window in the query) with `form` as the body, or
    GET `get_url` (everything in the query) for sites that accept it."""

    url: str
    form: tuple[tuple[str, str], ...]
    start_record: int
    end_record: int

    @property
    def get_url(self) -> str:
        return f"{self.url}&{urlencode(self.form)}" if self.form else self.url


@dataclass(frozen=True)
class HanwebPage:
    """The posts in one datastore answer and the column's total record count."""

    items: list[ListItem]
    total_records: int | None


def find_hanweb_query(markup: str, page_url: str) -> HanwebQuery | None:
    """The dataproxy declaration of a column page, or None when the page has none."""
    proxy = _PROXY_URL.search(markup)
    if proxy is None:
        return None
    raw_proxy = html_entities.unescape(proxy.group(1))
    proxy_url = normalize_url(raw_proxy.split("?", 1)[0] or _DEFAULT_PROXY_PATH, page_url)
    if proxy_url is None:
        return None
    fields = _merge(_query_fields(raw_proxy), _object_fields(markup), _named_fields(markup))
    per_page = _PER_PAGE.search(markup)
    total = _TOTAL_RECORD.search(markup) or _TOTAL_TAG.search(markup)
    return HanwebQuery(
        proxy_url=proxy_url,
        fields=fields,
        per_page=int(per_page[1]) if per_page else None,
        total_records=int(total[1]) if total else None,
    )


def hanweb_requests(
    query: HanwebQuery,
    total_records: int | None = None,
    records_per_call: int = DEFAULT_RECORDS_PER_CALL,
    max_records: int | None = None,
) -> list[HanwebRequest]:
    """The calls that fetch the whole list (or its first `max_records` records).

    Without a known total only the first window is returned: its answer's
    `<totalrecord>` tells the caller how many more windows to ask for.
    """
    total = total_records if total_records is not None else query.total_records
    if total is None:
        total = records_per_call
    if max_records is not None:
        total = min(total, max_records)
    requests = []
    for start in range(1, total + 1, records_per_call):
        end = min(start + records_per_call - 1, total)
        requests.append(hanweb_request(query, start, end))
    return requests


def hanweb_request(query: HanwebQuery, start_record: int, end_record: int) -> HanwebRequest:
    """The call for records `start_record`..`end_record` (1-based, inclusive)."""
    window = {"startrecord": start_record, "endrecord": end_record}
    if query.per_page is not None:
        window["perpage"] = query.per_page
    return HanwebRequest(
        url=f"{query.proxy_url}?{urlencode(window)}",
        form=query.fields,
        start_record=start_record,
        end_record=end_record,
    )


def parse_datastore(answer: str, base_url: str) -> HanwebPage:
    """The posts in a dataproxy answer (or an inline datastore), resolved against
    `base_url` (the column page)."""
    total = _TOTAL_TAG.search(answer)
    rows: list[HtmlElement] = []
    for record in _RECORD.finditer(answer):
        markup = record.group(1) if record.group(1) is not None else record.group(2)
        if record.group(1) is None:
            markup = html_entities.unescape(markup)
        rows.extend(parse_fragment(markup))
    return HanwebPage(
        items=items_from_rows(rows, base_url),
        total_records=int(total[1]) if total else None,
    )


def inline_datastore(markup: str, page_url: str) -> HanwebPage | None:
    """The first window inlined in a column page's `<script type="text/xml">`, if any."""
    for block in _XML_SCRIPT.finditer(markup):
        if "<datastore" in block.group(1).lower():
            return parse_datastore(block.group(1), page_url)
    return None


def _query_fields(raw_proxy: str) -> list[tuple[str, str]]:
    query = urlsplit(raw_proxy).query
    return [(k, v) for k, v in parse_qsl(query, keep_blank_values=True)
            if k.lower() not in _WINDOW_PARAMS]


def _object_fields(markup: str) -> list[tuple[str, str]]:
    fields = []
    for block in _PARAM_OBJECT.finditer(markup):
        for pair in _OBJECT_PAIR.finditer(block.group(1)):
            value = next(v for v in pair.groups()[1:] if v is not None)
            if pair.group(1).lower() not in _WINDOW_PARAMS:
                fields.append((pair.group(1), value))
    return fields


def _named_fields(markup: str) -> list[tuple[str, str]]:
    fields = []
    for name in _KNOWN_FIELDS:
        match = re.search(r"[\s,{?&;]" + name + _FIELD_VALUE, markup)
        if match is not None:
            fields.append((name, next(v for v in match.groups() if v is not None)))
    return fields


def _merge(*sources: list[tuple[str, str]]) -> tuple[tuple[str, str], ...]:
    """Fields from all sources, the first declaration of each name winning."""
    merged: dict[str, str] = {}
    for source in sources:
        for key, value in source:
            merged.setdefault(key, value)
    return tuple(merged.items())
