"""A problem's detail: stored as facts, read as text (SPEC §9).

The detectors record what they found as facts — a status code, a number of redirects,
dates, counts — in the problem's `detail` column as a JSON object. The words are chosen
when someone reads them, by `detail_text`, through the gettext catalogues: the 月报, the
alerts, the CLI and the dashboard all read the same sentence in the same language, Chinese
by default and English with `MONITOR_LANG=en`. One renderer per problem type, below.

A detail that is not a JSON object (written before facts were stored, or by a detector
that still writes a sentence) is shown as it was written.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from datetime import date
from typing import Any

from monitor.domain import ProblemType
from monitor.i18n import N_, _

Facts = Mapping[str, Any]


def encode(facts: Facts) -> str:
    """The facts as the `detail` column keeps them: compact JSON, keys sorted so that the
    same facts are the same text from night to night."""
    return json.dumps(dict(facts), ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def decode(detail: str | None) -> dict[str, Any] | None:
    """The facts of a stored detail, or None for a detail stored as a sentence."""
    if not detail or not detail.startswith("{"):
        return None
    try:
        facts = json.loads(detail)
    except json.JSONDecodeError:
        return None
    return facts if isinstance(facts, dict) else None


def detail_text(problem_type: ProblemType | str, detail: str | None) -> str:
    """The detail of a problem of `problem_type` as a person reads it, in the active
    language."""
    facts = decode(detail)
    if facts is None:
        return detail or ""
    render = _RENDERERS.get(ProblemType(problem_type))
    return render(facts) if render is not None else ""


def iso(day: date | None) -> str | None:
    return None if day is None else day.isoformat()


# --- why a link target, a page or a column could not be read ---------------------------

# The crawler's reason codes (crawler/linkcheck) in words.
_REASONS = {
    "soft404": N_("页面显示为不存在"),
    "not_image": N_("不是图片"),
    "empty": N_("空文件"),
    "redirect_loop": N_("循环跳转"),
    "too_many_redirects": N_("跳转次数过多"),
    "redirect_without_location": N_("跳转地址缺失"),
    "timeout": N_("访问超时"),
    "refused": N_("拒绝连接"),
    "dns": N_("域名无法解析"),
    "reset": N_("连接中断"),
    "tls": N_("证书或加密连接错误"),
    "ssl": N_("证书或加密连接错误"),
    "unreachable": N_("无法连接"),
    "network": N_("网络错误"),
    "waf_challenge": N_("被访问防护拦截"),
    "host_not_answering": N_("服务器无应答"),
}


# The reason of a failed HTTP answer: http_404 (the crawler's code) or HTTP 404.
_HTTP_REASON = re.compile(r"(?:http_|HTTP )(\d{3})")


def _status_name(status: int) -> str:
    """What an HTTP status means to an officer."""
    if status in (404, 410):
        return _("页面不存在")
    if status in (401, 403):
        return _("禁止访问")
    if status >= 500:
        return _("服务器出错")
    return _("访问出错")


def reason_words(reason: str | None, http_status: int | None = None,
                 redirects: int = 0) -> str:
    """Why a target failed: 页面不存在（HTTP 404，经2次跳转）, 循环跳转, 不是图片 …"""
    status = http_status
    code = _HTTP_REASON.fullmatch(reason or "")
    if code is not None:
        status, reason = int(code.group(1)), None
    notes = []
    if reason is None:
        head = _status_name(status) if status else _("访问失败")
    elif reason in _REASONS:
        head = _(_REASONS[reason])
    else:  # a reason this monitor has no words for yet: shown as recorded
        head = _("访问失败")
        notes.append(reason)
    # A reason code says it all, except a firewall's page, whose status helps the office.
    if status and (reason is None or reason == "waf_challenge"):
        notes.append(f"HTTP {status}")
    if redirects:
        notes.append(_("经{count}次跳转").format(count=redirects))
    if not notes:
        return head
    return head + _("（{notes}）").format(notes=_("，").join(notes))


def _link(facts: Facts) -> str:
    text = reason_words(facts.get("reason"), facts.get("http_status"),
                        int(facts.get("redirects") or 0))
    pages = int(facts.get("pages") or 0)
    site_wide = facts.get("site_wide")
    if site_wide:
        where = _("首页") if site_wide == "home" else _("页面模板")
        text += _("；全站链接（位于{where}，共{pages}个页面）").format(where=where, pages=pages)
    elif pages > 1:
        text += _("；共{pages}个页面").format(pages=pages)
    return text


def _blocked(facts: Facts) -> str:
    return _("无法核实：{reason}").format(reason=_link(facts))


# --- columns ---------------------------------------------------------------------------

_CYCLES = {
    "weekly": N_("每周更新"),
    "monthly": N_("每月更新"),
    "quarterly": N_("每季度更新"),
    "yearly": N_("每年更新"),
    "none": N_("不定期更新"),
}
_CATEGORIES = {
    "dynamics": N_("动态类"),
    "notice": N_("通知公告类"),
    "policy": N_("政策文件类"),
}


def _none_or(day: str | None) -> str:
    return day if day else _("无")


def _overdue(facts: Facts) -> str:
    return _("{cycle}栏目，应于{due}前更新，最近发布{last}").format(
        cycle=_(_CYCLES[facts["cycle"]]), due=_none_or(facts.get("due")),
        last=_none_or(facts.get("last_post")))


def _due_soon(facts: Facts) -> str:
    return _("{cycle}栏目，尚未更新，应于{due}前更新，最近发布{last}").format(
        cycle=_(_CYCLES[facts["cycle"]]), due=_none_or(facts.get("due")),
        last=_none_or(facts.get("last_post")))


def _empty(facts: Facts) -> str:
    return _("栏目从未发布信息")


def stale_text(facts: Facts) -> str:
    """Why a column breaks the national rule (国办秘函〔2019〕19号)."""
    kind, limit = _(_CATEGORIES[facts["category"]]), facts["limit"]
    last = facts.get("last_post")
    if last is None:
        if facts.get("has_posts"):
            head = _("栏目信息均未标注日期")
        else:
            head = _("栏目无任何信息")
        return head + _("；{kind}栏目应在{limit}天内更新").format(kind=kind, limit=limit)
    return _("最近发布{last}，已{age}天未更新（{kind}栏目不超过{limit}天）").format(
        last=last, age=facts["age"], kind=kind, limit=limit)


def unreachable_text(facts: Facts) -> str:
    """Why the last crawl could not read a column."""
    if facts.get("never_crawled"):
        return _("尚未抓取")
    outcome = facts.get("outcome")
    if outcome == "blocked":
        head = _("最近一次抓取被访问防护拦截")
    elif outcome == "site_unreachable":
        head = _("最近一次抓取时门户网站无应答")
    elif outcome == "error":
        head = _("最近一次抓取读取栏目时出错")
    else:
        head = _("最近一次抓取无法访问栏目")
    reason = facts.get("reason")
    if not reason:
        return head
    return head + _("：{reason}").format(reason=reason_words(reason))


# --- posts -----------------------------------------------------------------------------

def _undated(facts: Facts) -> str:
    return _("列表和正文均未标注发布日期：{title}").format(title=facts.get("title", ""))


def _backdated(facts: Facts) -> str:
    return _("标注日期{claimed}，首次发现于{seen}（晚{days}天）").format(
        claimed=facts["claimed"], seen=facts["first_seen"], days=facts["days_late"])


# --- what an article says ----------------------------------------------------------------

_WHERE = {"title": N_("标题"), "text": N_("正文"), "html": N_("网页")}
_NUMBER_KINDS = {"id_card": N_("身份证号"), "mobile": N_("手机号码"),
                 "bank_card": N_("银行卡号")}
_EXPRESSION_CATEGORIES = {
    "outdated_institution": N_("机构名称已调整"),
    "political_expression": N_("规范表述"),
    "renamed_term": N_("名称已更新"),
    "variant_form": N_("不规范异形词"),
    "discriminatory": N_("歧视性用语"),
    "sensitive": N_("敏感词"),
}


def _occurrences(text: str, facts: Facts) -> str:
    count = int(facts.get("occurrences") or 1)
    return text + _("（共{count}处）").format(count=count) if count > 1 else text


def _privacy(facts: Facts) -> str:
    text = _("{where}疑似泄露{kind} {masked}：“{context}”").format(
        where=_(_WHERE[facts["where"]]), kind=_(_NUMBER_KINDS[facts["kind"]]),
        masked=facts["masked"], context=facts.get("context", ""))
    return _occurrences(text, facts)


_HIDINGS = {
    "hidden_attribute": N_("带有隐藏属性"),
    "display_none": N_("设为不显示"),
    "opacity_zero": N_("设为完全透明"),
    "off_screen": N_("移出屏幕可见范围"),
    "zero_size": N_("尺寸设为零且裁去内容"),
    "visibility_hidden": N_("设为不可见"),
    "zero_font": N_("字号设为零"),
}
_SOURCES = {"inline": N_("行内样式"), "class": N_("页面样式表"), "rule": N_("页面样式表")}


def hiding_text(hiding: Facts) -> str:
    """How a link was hidden: 外层元素设为不显示，由行内样式设置."""
    who = _("外层元素") if hiding.get("enclosing") else _("链接本身")
    text = _("{who}{how}").format(who=who, how=_(_HIDINGS[hiding["method"]]))
    source = hiding.get("source")
    if source:
        text += _("，由{source}设置").format(source=_(_SOURCES[source]))
    return text


def _hidden(facts: Facts) -> str:
    text = _("暗链：隐藏的站外链接 {target}（隐藏方式：{how}）").format(
        target=facts["target"], how=hiding_text(facts["hiding"]))
    if facts.get("text"):
        text += _("，链接文字“{text}”").format(text=facts["text"])
    return _occurrences(text, facts)


def _expression(facts: Facts) -> str:
    where = _(_WHERE[facts["where"]])
    category = facts.get("category", "")
    label = _(_EXPRESSION_CATEGORIES[category]) if category in _EXPRESSION_CATEGORIES \
        else category
    if facts.get("right") is None:
        head = _("{where}出现不宜使用的表述“{wrong}”（{label}）").format(
            where=where, wrong=facts["wrong"], label=label)
    else:
        head = _("{where}表述错误：“{wrong}”应为“{right}”（{label}）").format(
            where=where, wrong=facts["wrong"], right=facts["right"], label=label)
    return _occurrences(head + _("：{sentence}").format(sentence=facts.get("sentence", "")),
                        facts)


# --- the portal ------------------------------------------------------------------------

def probe_text(facts: Facts) -> str:
    """The availability probe's verdict (SPEC §4.8: 站点无法访问)."""
    probes, failures = int(facts["probes"]), int(facts["failures"])
    ratio = failures / probes * 100 if probes else 0.0
    return _("{first}至{last}共监测{probes}次，{failures}次未能在规定时间内打开"
             "（{ratio:.2f}%）").format(first=facts["first_day"], last=facts["last_day"],
                                      probes=probes, failures=failures, ratio=ratio)


def _site_unreachable(facts: Facts) -> str:
    if "probes" in facts:
        return probe_text(facts)
    if facts.get("host"):
        return _("{night}抓取时网站服务器{host}无应答：所查{checked}个链接均无应答；"
                 "这些链接当晚未检查，不据此判定错链").format(
            night=facts["night"], host=facts["host"], checked=facts["checked"])
    home = reason_words(facts.get("home_reason")) if facts.get("home_reason") \
        else _("无应答")
    return _("{night}抓取时门户网站无应答：首页{home}，{tried}个栏目中{silent}个无应答；"
             "当晚未检查链接，栏目保持上次抓取的状态，不据此判定更新情况").format(
        night=facts["night"], home=home, tried=facts["columns_tried"],
        silent=facts["columns_silent"])


_INDICATOR_UNITS = {"days": N_("{value}天"), "columns": N_("{value}个"),
                    "links": N_("{value}个"), "%": "{value}%"}


def indicator_value(value: object, unit: str) -> str:
    """A national indicator's value or threshold with its unit: 4个, 1天, 5% (or 4, 1 days,
    5%)."""
    return _(_INDICATOR_UNITS[unit]).format(value=value)


def _national_warning(facts: Facts) -> str:
    """A national indicator at its warning level or past its veto threshold."""
    from monitor.rules.national import LABELS, NationalKey

    key, unit = NationalKey(facts["key"]), facts["unit"]
    threshold = facts.get("threshold")
    if threshold is None:
        veto_words = _("不否决")
    elif key is NationalKey.HOME_NOT_UPDATED:
        veto_words = _("超过{days}天").format(days=threshold)
    else:
        veto_words = "≥" + indicator_value(threshold, unit)
    level = _("已达到单项否决标准") if facts.get("veto") else _("已达到预警线")
    return _("{label}：{value}，{level}（预警线{warning}，否决标准{threshold}）").format(
        label=_(LABELS[key]), value=indicator_value(facts["value"], unit), level=level,
        warning=facts.get("warning"), threshold=veto_words)


# --- a problem's history ---------------------------------------------------------------

# The notes the monitor writes in a problem's history (storage/problem_store.py), in words.
_NOTES = {
    "found": N_("发现问题"),
    "found again after being fixed": N_("整改后再次发现"),
    "no longer found": N_("复查未再发现，视为已整改"),
    "confirmed by an officer": N_("工作人员确认属实"),
}
_STATES = {"open": N_("待整改"), "fixed": N_("已整改"), "ignored": N_("已忽略")}
_REOPENED = re.compile(r"reopened by an officer \(was (\w+)\)")
_FOUND_AGAIN = "found again after being fixed: "


def note_text(note: str | None) -> str:
    """A history note as a person reads it: the monitor's own notes in words, an officer's
    note (the reason to ignore) as written."""
    if not note:
        return ""
    if note in _NOTES:
        return _(_NOTES[note])
    reopened = _REOPENED.fullmatch(note)
    if reopened is not None:
        state = reopened.group(1)
        return _("工作人员重新打开（原为{state}）").format(
            state=_(_STATES[state]) if state in _STATES else state)
    if note.startswith(_FOUND_AGAIN):
        return _(_NOTES["found again after being fixed"]) + _("：{reason}").format(
            reason=note[len(_FOUND_AGAIN):])
    return note


_RENDERERS: dict[ProblemType, Callable[[Facts], str]] = {
    ProblemType.BROKEN_LINK: _link,
    ProblemType.DEAD_IMAGE: _link,
    ProblemType.BROKEN_ATTACHMENT: _link,
    ProblemType.BLOCKED: _blocked,
    ProblemType.OVERDUE_COLUMN: _overdue,
    ProblemType.DUE_SOON_COLUMN: _due_soon,
    ProblemType.EMPTY_COLUMN: _empty,
    ProblemType.STALE_NATIONAL: stale_text,
    ProblemType.UNREACHABLE_COLUMN: unreachable_text,
    ProblemType.UNDATED_POST: _undated,
    ProblemType.BACKDATED_POST: _backdated,
    ProblemType.PRIVACY_LEAK: _privacy,
    ProblemType.HIDDEN_LINK: _hidden,
    ProblemType.WRONG_EXPRESSION: _expression,
    ProblemType.SITE_UNREACHABLE: _site_unreachable,
    ProblemType.NATIONAL_WARNING: _national_warning,
}


def missing_renderers() -> list[ProblemType]:
    """Problem types whose facts no renderer reads (their details are stored as text)."""
    return [problem_type for problem_type in ProblemType if problem_type not in _RENDERERS]
