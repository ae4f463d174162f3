"""Wrong and sensitive expressions (错敏字) in titles and text.

The office keeps a dictionary in YAML (`monitor/defaults/expressions.yaml` ships a small
default list, each entry naming the public rule it comes from) and may add its own files.
Chinese has no spaces between words, so a wrong term can sit inside a correct longer one:
旅游局 inside 文化和旅游局, 人材 inside 个人材料. Each entry therefore protects its correct
form and may list more longer phrases (`not_within`); a match that lies inside one of them
is not reported.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path

import yaml

from monitor.errors import ConfigError


def default_expressions_path() -> Traversable:
    """The shipped default list (package data, found wherever the product is installed:
    read as a resource, it is found in a zipped egg too, as a scrapyd job runs the crawl)."""
    return files("monitor.defaults") / "expressions.yaml"


_SENTENCE_ENDS = "。！？!?；;\n"
# A sentence with no punctuation for this long is cut so report lines stay readable.
_SENTENCE_LIMIT = 80
_TOP_KEYS = ("sources", "expressions", "disable")
_ENTRY_KEYS = ("wrong", "right", "category", "source", "not_within", "effective")
_NULL_TAG = "tag:yaml.org,2002:null"
_STR_TAG = "tag:yaml.org,2002:str"
_TIMESTAMP_TAG = "tag:yaml.org,2002:timestamp"


@dataclass(frozen=True)
class Expression:
    """One dictionary entry. `right` is None for a sensitive word with no replacement.
    `effective` is the day the rule took effect: an article published before it used the
    expression correctly at the time and is not reported."""

    wrong: str
    right: str | None
    category: str
    source: str | None = None
    not_within: tuple[str, ...] = ()
    effective: date | None = None

    def applies_to(self, published: date | None) -> bool:
        return published is None or self.effective is None or published >= self.effective


@dataclass(frozen=True)
class ExpressionFinding:
    wrong: str
    right: str | None
    category: str
    sentence: str
    offset: int


@dataclass(frozen=True)
class ExpressionDictionary:
    """Entries keyed by their wrong term, compiled once into a single matcher."""

    entries: tuple[Expression, ...]
    _pattern: re.Pattern[str] | None = field(init=False, repr=False, compare=False)
    _by_wrong: Mapping[str, Expression] = field(init=False, repr=False, compare=False)
    _shields: Mapping[str, tuple[tuple[str, int], ...]] = field(
        init=False, repr=False, compare=False
    )

    def __post_init__(self) -> None:
        by_wrong = {entry.wrong: entry for entry in self.entries}
        pattern = re.compile(_trie_regex(by_wrong)) if by_wrong else None
        object.__setattr__(self, "_by_wrong", by_wrong)
        object.__setattr__(self, "_pattern", pattern)
        object.__setattr__(self, "_shields", _shields(self.entries, set(by_wrong)))

    @classmethod
    def load(cls, paths: Iterable[str | Traversable]) -> ExpressionDictionary:
        """Merge the files in order: a later entry for the same wrong term replaces an earlier
        one, and a file's `disable:` list drops entries loaded before it."""
        merged: dict[str, Expression] = {}
        problems: list[str] = []
        for path in paths:
            parsed = _parse_file(Path(path) if isinstance(path, str) else path, problems)
            if parsed is None:
                continue
            disabled, entries = parsed
            for wrong in disabled:
                merged.pop(wrong, None)
            merged.update((entry.wrong, entry) for entry in entries)
        if problems:
            raise ConfigError(problems)
        return cls(tuple(merged.values()))

    @classmethod
    def load_default(cls, extra_paths: Iterable[str | Traversable] = ()) -> ExpressionDictionary:
        """The shipped list followed by the office's own files."""
        return cls.load([default_expressions_path(), *extra_paths])

    def entry(self, wrong: str) -> Expression:
        return self._by_wrong[wrong]


def find_expressions(
    text: str, dictionary: ExpressionDictionary, published: date | None = None
) -> list[ExpressionFinding]:
    """Every dictionary match in `text`, leftmost-longest, skipping matches inside a
    protected longer phrase and rules that took effect after `published` (when known)."""
    pattern = dictionary._pattern
    if pattern is None:
        return []
    findings: list[ExpressionFinding] = []
    position = 0
    while (match := pattern.search(text, position)) is not None:
        wrong, start = match.group(), match.start()
        entry = dictionary.entry(wrong)
        if (_is_shielded(text, start, dictionary._shields.get(wrong, ()))
                or not entry.applies_to(published)):
            # Resume one character on: a different term may still start inside this one.
            position = start + 1
            continue
        findings.append(ExpressionFinding(
            wrong=wrong, right=entry.right, category=entry.category,
            sentence=_sentence_around(text, start, match.end()), offset=start,
        ))
        position = match.end()
    return findings


def _is_shielded(text: str, start: int, shields: tuple[tuple[str, int], ...]) -> bool:
    return any(
        start >= offset and text.startswith(phrase, start - offset) for phrase, offset in shields
    )


def _sentence_around(text: str, start: int, end: int) -> str:
    left = max(start - _SENTENCE_LIMIT, 0)
    right = min(end + _SENTENCE_LIMIT, len(text))
    begin = max((text.rfind(mark, left, start) for mark in _SENTENCE_ENDS), default=-1)
    begin = begin + 1 if begin >= 0 else left
    ends = [i for i in (text.find(mark, end, right) for mark in _SENTENCE_ENDS) if i >= 0]
    finish = min(ends) + 1 if ends else right
    sentence = " ".join(text[begin:finish].split())
    prefix = "…" if begin == left and left > 0 else ""
    suffix = "…" if not ends and right < len(text) else ""
    return f"{prefix}{sentence}{suffix}"


# --- compiling the matcher ----------------------------------------------------------------


# A trie of terms: each character leads to the rest; the key "" marks the end of a term.
_Trie = dict[str, "_Trie"]


def _trie_regex(words: Iterable[str]) -> str:
    """One regex for all terms, shaped as a trie so the engine tests one character class per
    position instead of every alternative, and greedy so the longest term wins."""
    trie: _Trie = {}
    for word in words:
        node = trie
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}
    return _node_regex(trie)


def _node_regex(node: _Trie) -> str:
    branches = [re.escape(char) + _node_regex(child) for char, child in sorted(node.items())
                if char]
    if not branches:
        return ""
    body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
    return f"(?:{body})?" if "" in node else body


def _shields(
    entries: Iterable[Expression], wrongs: set[str]
) -> dict[str, tuple[tuple[str, int], ...]]:
    """For each wrong term, the protected phrases containing it and where it sits in them.
    Every entry's correct form protects, unless that form is itself listed as wrong."""
    phrases = {p for e in entries for p in (*e.not_within, e.right or "") if p}
    phrases -= wrongs
    shields: dict[str, list[tuple[str, int]]] = {}
    for wrong in wrongs:
        for phrase in phrases:
            offset = phrase.find(wrong)
            while offset >= 0:
                shields.setdefault(wrong, []).append((phrase, offset))
                offset = phrase.find(wrong, offset + 1)
    return {wrong: tuple(found) for wrong, found in shields.items()}


# --- reading the YAML files ---------------------------------------------------------------


def _parse_file(
    path: Traversable, problems: list[str]
) -> tuple[list[str], list[Expression]] | None:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        problems.append(f"{path}: cannot read expressions file: {err}")
        return None
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as err:
        mark = getattr(err, "problem_mark", None)
        line = f":{mark.line + 1}" if mark is not None else ""
        problems.append(f"{path}{line}: not valid YAML: {getattr(err, 'problem', err)}")
        return None
    before = len(problems)
    reader = _Reader(path, problems)
    result = reader.document(root)
    return result if len(problems) == before else None


@dataclass
class _Reader:
    """Walks the YAML node tree so every problem can name the file and line."""

    path: Traversable
    problems: list[str]

    def fail(self, node: yaml.Node, message: str) -> None:
        self.problems.append(f"{self.path}:{node.start_mark.line + 1}: {message}")

    def document(self, root: yaml.Node | None) -> tuple[list[str], list[Expression]]:
        if root is None:
            return [], []
        top = self.mapping(root, "the file", _TOP_KEYS)
        sources = self.sources(top.get("sources"))
        disabled = self.strings(top["disable"], "disable") if "disable" in top else []
        entries: list[Expression] = []
        seen: set[str] = set()
        expressions = top.get("expressions")
        if expressions is not None and not isinstance(expressions, yaml.SequenceNode):
            self.fail(expressions, "expressions: expected a list of entries")
        elif expressions is not None:
            for index, node in enumerate(expressions.value):
                entry = self.entry(node, f"expressions[{index}]", sources)
                if entry is not None and entry.wrong in seen:
                    self.fail(node, f"expressions[{index}].wrong: '{entry.wrong}' is listed twice")
                elif entry is not None:
                    seen.add(entry.wrong)
                    entries.append(entry)
        return disabled, entries

    def mapping(self, node: yaml.Node, where: str, allowed: tuple[str, ...]
                ) -> dict[str, yaml.Node]:
        if not isinstance(node, yaml.MappingNode):
            self.fail(node, f"{where}: expected a mapping with keys {', '.join(allowed)}")
            return {}
        found: dict[str, yaml.Node] = {}
        for key_node, value_node in node.value:
            key = key_node.value
            if key not in allowed:
                self.fail(key_node, f"{where}: unknown key '{key}' (allowed: {', '.join(allowed)})")
            elif key in found:
                self.fail(key_node, f"{where}: key '{key}' given twice")
            else:
                found[key] = value_node
        return found

    def sources(self, node: yaml.Node | None) -> dict[str, str]:
        if node is None:
            return {}
        if not isinstance(node, yaml.MappingNode):
            self.fail(node, "sources: expected a mapping of source id -> description")
            return {}
        return {k.value: self.text(v, f"sources.{k.value}") or "" for k, v in node.value}

    def entry(self, node: yaml.Node, where: str, sources: dict[str, str]) -> Expression | None:
        fields = self.mapping(node, where, _ENTRY_KEYS)
        if not fields:
            return None
        before = len(self.problems)
        wrong = self.required_text(node, fields, "wrong", where)
        category = self.required_text(node, fields, "category", where)
        right = self.text(fields["right"], f"{where}.right") if "right" in fields else None
        source = self.text(fields["source"], f"{where}.source") if "source" in fields else None
        if source is not None and source not in sources:
            self.fail(fields["source"], f"{where}.source: unknown source '{source}' "
                                        "(hint: define it under sources: in the same file)")
        not_within = (self.strings(fields["not_within"], f"{where}.not_within")
                      if "not_within" in fields else [])
        if wrong and right == wrong:
            self.fail(fields["right"], f"{where}.right: same as wrong")
        for phrase in not_within:
            if wrong and wrong not in phrase:
                self.fail(fields["not_within"], f"{where}.not_within: '{phrase}' does not "
                                                f"contain '{wrong}' (hint: list longer phrases)")
        effective = self.day(fields["effective"], f"{where}.effective") \
            if "effective" in fields else None
        if len(self.problems) != before or not wrong or not category:
            return None
        return Expression(wrong, right, category, source, tuple(not_within), effective)

    def day(self, node: yaml.Node, where: str) -> date | None:
        if isinstance(node, yaml.ScalarNode) and node.tag == _TIMESTAMP_TAG:
            try:
                return date.fromisoformat(node.value)
            except ValueError:
                pass
        self.fail(node, f"{where}: expected a date like 2018-03-17")
        return None

    def required_text(self, node: yaml.Node, fields: dict[str, yaml.Node], key: str,
                      where: str) -> str | None:
        if key not in fields:
            self.fail(node, f"{where}: missing key '{key}'")
            return None
        value = self.text(fields[key], f"{where}.{key}")
        if value is None and fields[key].tag == _NULL_TAG:
            self.fail(fields[key], f"{where}.{key}: must not be empty")
        return value

    def text(self, node: yaml.Node, where: str) -> str | None:
        if isinstance(node, yaml.ScalarNode) and node.tag == _NULL_TAG:
            return None
        if not isinstance(node, yaml.ScalarNode) or node.tag != _STR_TAG:
            self.fail(node, f"{where}: expected text")
            return None
        value: str = node.value.strip()
        if not value:
            self.fail(node, f"{where}: must not be empty")
            return None
        return value

    def strings(self, node: yaml.Node, where: str) -> list[str]:
        if not isinstance(node, yaml.SequenceNode):
            self.fail(node, f"{where}: expected a list of text")
            return []
        values = [self.text(item, f"{where}[{i}]") for i, item in enumerate(node.value)]
        return [v for v in values if v is not None]
