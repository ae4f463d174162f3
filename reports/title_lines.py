"""Where a long title breaks: balanced lines at sensible points, never an orphan.

GB/T 9704 asks that a title that runs onto a second line break where the sense allows
("词意完整") with lines of fitting lengths ("排列对称，长短适宜"). Left to the word
processor, "关于2024年第2季度网站内容保障情况的通报" fills the first line and leaves a
lone "报" on the second. `title_lines` decides the breaks itself, from the width each
character takes at the title's size, and the writers set them as line breaks.

Widths are measured in ems of the font size: a Chinese character is one em, a digit or
Latin letter about half, and word processors put about a fifth of an em between Chinese
and Latin text (LibreOffice and Word's automatic spacing).
"""

from __future__ import annotations

import unicodedata
from itertools import combinations

NARROW_EM = 0.55  # a digit is 0.5 em in Times New Roman; letters vary, so a little more
AUTOSPACE_EM = 0.2
# Estimates are not the renderer's measurements: a line fills at most this share.
SAFETY = 0.97
MAX_LINES = 4

# Punctuation that may not start a line, and punctuation that may not end one.
_NO_LINE_START = set("，。、；：？！）》」』”’〕】%")
_NO_LINE_END = set("（《「『“‘〔【")
# Words of report titles a break must not split ("网站内" / "容" reads badly); a break
# inside one costs as much as this many ems of imbalance.
TITLE_WORDS = (
    "关于", "政府", "人民", "网站", "门户", "内容", "保障", "情况", "通报", "通知", "报告",
    "政务", "公开", "工作", "月报", "季度", "年度", "信息", "监测", "常态化", "单位", "县直",
    "乡镇", "发布", "统计", "更新", "办公室", "问题", "清单", "整改", "动态", "专项",
    # and of table headers, which wrap by the same rules in narrow columns
    "任务", "总数", "条数", "比例", "名称", "类别", "日期", "链接", "标题", "栏目", "发现",
    "未达标", "次数", "累计", "本季",
)
WORD_PENALTY = 6.0
# A break next to "的" separates a modifier from what it modifies, one next to "及" a pair
# that belongs together: allowed, not preferred, least of all with the particle starting
# the next line.
BINDING_CHARS = set("的及和与")
PARTICLE_PENALTY = 1.0
PARTICLE_FIRST_PENALTY = 3.0
_NUMERALS = set("0123456789一二三四五六七八九十〇零")
# A number and its measure word stay together: "2024年", "第二季度", "4月".
_MEASURES = set("年月日季期号个条次")


def _wide(char: str) -> bool:
    return unicodedata.east_asian_width(char) in ("W", "F")


def text_width(text: str) -> float:
    """The width of `text` in ems, automatic spacing between Chinese and Latin included."""
    width = sum(1.0 if _wide(c) else NARROW_EM for c in text)
    width += AUTOSPACE_EM * sum(
        1 for left, right in zip(text, text[1:], strict=False)
        if _wide(left) != _wide(right) and not (left.isspace() or right.isspace())
    )
    return width


def _inside_words(title: str) -> set[int]:
    """Positions (a break before title[i]) that would split one of `TITLE_WORDS`."""
    inside: set[int] = set()
    for word in TITLE_WORDS:
        start = title.find(word)
        while start != -1:
            inside.update(range(start + 1, start + len(word)))
            start = title.find(word, start + 1)
    return inside


def break_costs(title: str) -> dict[int, float]:
    """The allowed breaks (a break before title[i]) and what each costs.

    Never inside a number or a Latin word, never between a number and its measure word
    ("2024年", "二季度"), nor after "第" before its number, nor against the punctuation
    rules.
    """
    inside = _inside_words(title)
    costs: dict[int, float] = {}
    for i in range(1, len(title)):
        left, right = title[i - 1], title[i]
        if not _wide(left) and not _wide(right):
            continue  # inside a number or a Latin word
        if left.isdigit() or (left == "第" and right in _NUMERALS):
            continue
        if left in _NUMERALS and right in _MEASURES:
            continue
        if right in _NO_LINE_START or left in _NO_LINE_END:
            continue
        cost = WORD_PENALTY if i in inside else 0.0
        if right in BINDING_CHARS:
            cost += PARTICLE_FIRST_PENALTY
        elif left in BINDING_CHARS:
            cost += PARTICLE_PENALTY
        costs[i] = cost
    return costs


def _split(title: str, breaks: tuple[int, ...]) -> list[str]:
    edges = (0, *breaks, len(title))
    return [title[a:b] for a, b in zip(edges, edges[1:], strict=False)]


def title_lines(title: str, capacity_em: float) -> tuple[str, ...]:
    """`title` as lines that each fit `capacity_em` (the line's width over the font size).

    A title that fits stays one line. Otherwise it takes the fewest lines that fit, broken
    where the lines come out most even and no word is split; of two equally good ways the
    one with the longer first line wins (the inverted trapezoid titles usually take).
    A title with no way to fit (one unbroken Latin run) is left to the word processor.
    """
    title = title.strip()
    limit = capacity_em * SAFETY
    if text_width(title) <= limit:
        return (title,)
    costs = break_costs(title)
    for count in range(2, MAX_LINES + 1):
        best: tuple[float, float, tuple[str, ...]] | None = None
        for breaks in combinations(sorted(costs), count - 1):
            lines = _split(title, breaks)
            widths = [text_width(line) for line in lines]
            if max(widths) > limit:
                continue
            score = max(widths) - min(widths) + sum(costs[b] for b in breaks)
            candidate = (score, -widths[0], tuple(lines))
            if best is None or candidate < best:
                best = candidate
        if best is not None:
            return best[2]
    return (title,)
