from datetime import date
from pathlib import Path

import pytest
import yaml

from monitor.content.expressions import (
    ExpressionDictionary,
    default_expressions_path,
    find_expressions,
)
from monitor.errors import ConfigError


@pytest.fixture(scope="module")
def default() -> ExpressionDictionary:
    return ExpressionDictionary.load_default()


def _write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def _wrongs(text: str, dictionary: ExpressionDictionary) -> list[str]:
    return [f.wrong for f in find_expressions(text, dictionary)]


def test_every_shipped_entry_names_a_defined_public_source():
    raw = yaml.safe_load(default_expressions_path().read_text(encoding="utf-8"))
    assert raw["expressions"]
    for entry in raw["expressions"]:
        assert entry["source"] in raw["sources"], entry["wrong"]


def test_outdated_institution_name_is_reported_with_its_current_name(default):
    [finding] = find_expressions("会议由县国土资源局主持。其他单位参加。", default)
    assert (finding.wrong, finding.right, finding.category) == (
        "国土资源局", "自然资源局", "outdated_institution")
    assert finding.sentence == "会议由县国土资源局主持。"


def test_longest_term_wins_where_two_start_together(default):
    assert _wrongs("县工商行政管理局", default) == ["工商行政管理局"]
    assert _wrongs("国家旅游局发布", default) == ["国家旅游局"]


def test_old_name_inside_the_current_name_is_not_reported(default):
    assert _wrongs("县文化和旅游局组织开展活动", default) == []


def test_old_name_inside_a_listed_longer_name_is_not_reported(default):
    assert _wrongs("县文化广电新闻出版旅游局；县文化广电旅游局", default) == []
    assert _wrongs("请各申请人材料齐全后提交", default) == []
    assert _wrongs("各地农业部门要加强指导", default) == []


def test_protected_phrase_does_not_hide_a_real_error_elsewhere(default):
    text = "县文化和旅游局与县旅游局联合发文"
    [finding] = find_expressions(text, default)
    assert (finding.wrong, finding.offset) == ("旅游局", text.index("县旅游局") + 1)


def test_term_starting_inside_a_protected_phrase_is_still_found(tmp_path):
    path = _write(tmp_path, "d.yaml", """
expressions:
  - {wrong: 甲乙, right: 甲乙丙, category: c}
  - {wrong: 乙丙丁, right: 戊, category: c}
""")
    dictionary = ExpressionDictionary.load([path])
    assert _wrongs("甲乙丙丁", dictionary) == ["乙丙丁"]


def test_every_occurrence_is_reported_in_order(default):
    assert _wrongs("环保局和安监局。另，环保局。", default) == ["环保局", "安监局", "环保局"]


def test_sentence_is_cut_when_there_is_no_punctuation(default):
    text = "甲" * 200 + "工商局" + "乙" * 200
    [finding] = find_expressions(text, default)
    assert finding.sentence.startswith("…") and finding.sentence.endswith("…")
    assert len(finding.sentence) < 200


def test_sensitive_word_has_no_replacement(default):
    [finding] = find_expressions("文中出现独眼龙一词。", default)
    assert finding.right is None


def test_office_file_adds_and_replaces_entries(tmp_path):
    extra = _write(tmp_path, "office.yaml", """
sources:
  county2024: 县政府办公室关于规范单位名称的通知
expressions:
  - wrong: 县扶贫办
    right: 县乡村振兴局
    category: outdated_institution
    source: county2024
  - {wrong: 工商局, right: 县市场监管局, category: outdated_institution}
""")
    dictionary = ExpressionDictionary.load_default([extra])
    findings = find_expressions("县扶贫办与工商局", dictionary)
    assert [(f.wrong, f.right) for f in findings] == [
        ("县扶贫办", "县乡村振兴局"), ("工商局", "县市场监管局")]


def test_office_file_can_disable_a_shipped_entry(tmp_path):
    extra = _write(tmp_path, "office.yaml", "disable: [弱智]\n")
    dictionary = ExpressionDictionary.load_default([extra])
    assert _wrongs("弱智", dictionary) == []
    assert _wrongs("安监局", dictionary) == ["安监局"]


@pytest.mark.parametrize(("text", "line", "message"), [
    ("expressions:\n  - {wrong: 甲, category: c, colour: red}\n", 2, "unknown key 'colour'"),
    ("expressions:\n  - {wrong: 甲}\n", 2, "missing key 'category'"),
    ("expressions:\n  - {wrong: 甲, category: c}\n  - {wrong: 甲, category: d}\n", 3,
     "listed twice"),
    ("expressions:\n  - {wrong: 甲, category: c, source: nowhere}\n", 2, "unknown source"),
    ("expressions:\n  - {wrong: 甲, category: c, not_within: [乙丙]}\n", 2, "does not contain"),
    ("expressions:\n  - {wrong: 甲, right: 甲, category: c}\n", 2, "same as wrong"),
    ("expressions:\n  - {wrong: 12, category: c}\n", 2, "expected text"),
    ("expressions:\n  - {wrong: null, category: c}\n", 2, "must not be empty"),
    ("entries: []\n", 1, "unknown key 'entries'"),
    ("expressions:\n  - [甲\n", 3, "not valid YAML"),
])
def test_bad_file_raises_config_error_naming_file_and_line(tmp_path, text, line, message):
    path = _write(tmp_path, "bad.yaml", text)
    with pytest.raises(ConfigError) as caught:
        ExpressionDictionary.load([path])
    assert f"{path}:{line}:" in str(caught.value)
    assert message in str(caught.value)


def test_missing_file_raises_config_error(tmp_path):
    with pytest.raises(ConfigError, match="cannot read"):
        ExpressionDictionary.load([tmp_path / "none.yaml"])


def test_empty_dictionary_finds_nothing(tmp_path):
    dictionary = ExpressionDictionary.load([_write(tmp_path, "empty.yaml", "")])
    assert find_expressions("工商局", dictionary) == []


def test_article_published_before_a_rule_took_effect_is_not_reported(default):
    text = "县环保局开展执法检查。"
    assert _wrongs(text, default) == ["环保局"]
    assert find_expressions(text, default, published=date(2017, 6, 1)) == []
    assert len(find_expressions(text, default, published=date(2024, 6, 1))) == 1


def test_rule_without_an_effective_date_applies_to_any_article(default):
    assert len(find_expressions("惟一的办法", default, published=date(2001, 1, 1))) == 1


def test_bad_effective_date_raises_config_error(tmp_path):
    path = _write(tmp_path, "bad.yaml",
                  "expressions:\n  - {wrong: 甲, category: c, effective: soon}\n")
    with pytest.raises(ConfigError, match=r"bad.yaml:2: .*expected a date"):
        ExpressionDictionary.load([path])
