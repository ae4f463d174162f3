"""Personal numbers published by mistake (隐私泄露): resident ID numbers, mobile numbers and
labelled bank-card numbers in an article's title or text.

Every number leaves this module masked the way the offices write it in their notices
(138****1234, 36**************12): findings are copied into reports, e-mails and the database,
and none of those may carry the full number.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Literal

PrivacyKind = Literal["id_card", "mobile", "bank_card"]

# GB 11643-1999: weights of the first 17 digits and the check character for each sum mod 11.
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK_CHARS = "10X98765432"

# Portal text often uses full-width digits; mapping them one-to-one keeps offsets valid.
_FULLWIDTH = str.maketrans("０１２３４５６７８９Ｘｘ", "0123456789Xx")
_FULLWIDTH_RE = re.compile("[０-９Ｘｘ]")
_NUMBER_CHARS = frozenset("0123456789Xx")

# Each pattern starts with a plain character class and checks the character before it with a
# lookbehind placed after that first character: the regex engine can then skip quickly to the
# next digit instead of trying the whole pattern at every position of a long article.
_ID_RE = re.compile(r"[1-9](?<![0-9][1-9])[0-9]{16}[0-9Xx](?![0-9])")
# A "+86" country prefix is allowed right before the number; any other digit there means the
# eleven digits are part of a longer number (a document number, an account, an ID).
_MOBILE_RE = re.compile(
    r"1(?:(?<=\+861)|(?<=\+86[ -]1)|(?<![0-9]1))"
    r"[3-9][0-9]([ -]?)[0-9]{4}\1[0-9]{4}(?![0-9])"
)
_BANK_CARD_RE = re.compile(
    r"[0-9](?<![0-9][0-9])(?:[0-9]{14,18}|[0-9]{3}(?:[ -][0-9]{4}){2,3}(?:[ -]?[0-9]{1,3})?)"
    r"(?![0-9])"
)
_BANK_LABEL_RE = re.compile(r"银行卡|卡号|账号|帐号|账户|帐户")
# How far before a number its label may stand (e.g. "开户银行及账号：").
_LABEL_WINDOW = 20
_CONTEXT_RADIUS = 20
_SENTENCE_BREAKS = "。！？!?\n"

# Digits kept visible at the head and tail of each kind, as in the offices' own notices.
_KEEP: dict[str, tuple[int, int]] = {"id_card": (2, 2), "mobile": (3, 4), "bank_card": (4, 4)}


@dataclass(frozen=True)
class PrivacyFinding:
    """One personal number found in a text; `masked` and `context` never hold it in full."""

    kind: PrivacyKind
    masked: str
    context: str
    offset: int


@dataclass(frozen=True)
class _Span:
    kind: PrivacyKind
    start: int
    end: int


def id_check_digit(first17: str) -> str:
    """The GB 11643 check character ('0'-'9' or 'X') for the first 17 digits of an ID number."""
    if len(first17) != 17 or not first17.isascii() or not first17.isdigit():
        raise ValueError("an ID number's first part is exactly 17 ASCII digits")
    total = sum(int(d) * w for d, w in zip(first17, _ID_WEIGHTS, strict=True))
    return _ID_CHECK_CHARS[total % 11]


def is_valid_id_number(number: str) -> bool:
    """True for an 18-character ID number with a correct check character and a real birth date."""
    if len(number) != 18 or not number[:17].isascii() or not number[:17].isdigit():
        return False
    if id_check_digit(number[:17]) != number[17].upper():
        return False
    return _plausible_birth_date(number[6:14])


def _plausible_birth_date(yyyymmdd: str) -> bool:
    year, month, day = int(yyyymmdd[:4]), int(yyyymmdd[4:6]), int(yyyymmdd[6:])
    if not 1900 <= year <= 2099:
        return False
    try:
        date(year, month, day)
    except ValueError:
        return False
    return True


def luhn_valid(digits: str) -> bool:
    """The Luhn (mod 10) check used by bank-card numbers."""
    total = 0
    for position, char in enumerate(reversed(digits)):
        value = int(char)
        if position % 2 == 1:
            value = value * 2 - 9 if value > 4 else value * 2
        total += value
    return total % 10 == 0


def _mask_digits(raw: str, head: int, tail: int) -> str:
    """Star every digit (and a final X) except the first `head` and last `tail`; separators stay."""
    positions = [i for i, c in enumerate(raw) if c in _NUMBER_CHARS]
    hidden = set(positions[head : len(positions) - tail])
    return "".join("*" if i in hidden else c for i, c in enumerate(raw))


def _digits_only(raw: str) -> str:
    return "".join(c for c in raw.translate(_FULLWIDTH) if c in _NUMBER_CHARS)


def mask_id(number: str) -> str:
    """36**************12: the first two and last two characters of an ID number."""
    return _mask_digits(_digits_only(number).upper(), *_KEEP["id_card"])


def mask_mobile(number: str) -> str:
    """138****1234: the first three and last four digits of a mobile number."""
    return _mask_digits(_digits_only(number), *_KEEP["mobile"])


def mask_bank_card(number: str) -> str:
    """6222***********1234: the first four and last four digits of a card number."""
    return _mask_digits(_digits_only(number), *_KEEP["bank_card"])


_MASKERS = {"id_card": mask_id, "mobile": mask_mobile, "bank_card": mask_bank_card}


def find_privacy_leaks(text: str) -> list[PrivacyFinding]:
    """Every personal number in `text`, in order of appearance, masked."""
    # Translating costs more than all the searches, so only texts that need it pay for it.
    normal = text.translate(_FULLWIDTH) if _FULLWIDTH_RE.search(text) else text
    spans = _find_spans(normal)
    if not spans:
        return []
    masked_text = _mask_spans(normal, spans)
    return [
        PrivacyFinding(
            kind=span.kind,
            masked=_MASKERS[span.kind](normal[span.start : span.end]),
            context=_context(masked_text, span),
            offset=span.start,
        )
        for span in spans
    ]


def mask_text(text: str) -> str:
    """`text` with every personal number masked as `find_privacy_leaks` masks it, and every
    other character unchanged: the result has the same length, so a text split into pieces
    (a page's text nodes) can be masked whole and cut back at the same offsets."""
    normal = text.translate(_FULLWIDTH) if _FULLWIDTH_RE.search(text) else text
    spans = _find_spans(normal)
    if not spans:
        return text
    masked = _mask_spans(normal, spans)
    return "".join("*" if m == "*" and n != "*" else t
                   for t, n, m in zip(text, normal, masked, strict=True))


def _find_spans(text: str) -> list[_Span]:
    # A labelled Luhn-valid number is a card even if it would also read as an ID number.
    spans = [_Span("bank_card", m.start(), m.end()) for m in _BANK_CARD_RE.finditer(text)
             if _is_labelled_card(text, m)]
    spans += [_Span("id_card", m.start(), m.end()) for m in _ID_RE.finditer(text)
              if is_valid_id_number(m.group()) and not _overlaps(m, spans)]
    spans += [_Span("mobile", m.start(), m.end()) for m in _MOBILE_RE.finditer(text)
              if not _overlaps(m, spans)]
    return sorted(spans, key=lambda s: s.start)


def _is_labelled_card(text: str, match: re.Match[str]) -> bool:
    digits = _digits_only(match.group())
    if not 15 <= len(digits) <= 19 or not luhn_valid(digits):
        return False
    window = text[max(0, match.start() - _LABEL_WINDOW) : match.start()]
    for mark in _SENTENCE_BREAKS:
        window = window.rpartition(mark)[2]
    return _BANK_LABEL_RE.search(window) is not None


def _overlaps(match: re.Match[str], spans: list[_Span]) -> bool:
    return any(match.start() < s.end and s.start < match.end() for s in spans)


def _mask_spans(text: str, spans: list[_Span]) -> str:
    parts: list[str] = []
    cursor = 0
    for span in spans:
        parts.append(text[cursor : span.start])
        parts.append(_mask_digits(text[span.start : span.end], *_KEEP[span.kind]))
        cursor = span.end
    parts.append(text[cursor:])
    return "".join(parts)


def _context(masked_text: str, span: _Span) -> str:
    """The text around a finding, taken from the masked text so neighbours are masked too."""
    start = max(0, span.start - _CONTEXT_RADIUS)
    end = min(len(masked_text), span.end + _CONTEXT_RADIUS)
    return " ".join(masked_text[start:end].split())
