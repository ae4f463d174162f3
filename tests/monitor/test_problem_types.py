"""The problem-type catalogue (SPEC §4.7): every type declared once, with everything the
reports and alerts need."""

from __future__ import annotations

import pytest

from monitor import problem_types
from monitor.domain import ProblemType
from monitor.problem_types import (
    CATALOGUE,
    Family,
    Fix,
    SectionKind,
    Severity,
    kind_of,
    missing_types,
    types_of,
)
from reports.wording import SECTION_LEADS, SECTION_TITLES


def test_every_problem_type_has_an_entry() -> None:
    assert missing_types() == []


def test_a_type_without_an_entry_is_reported_missing(monkeypatch: pytest.MonkeyPatch) -> None:
    partial = {key: value for key, value in CATALOGUE.items()
               if key is not ProblemType.SITE_UNREACHABLE}
    monkeypatch.setattr(problem_types, "CATALOGUE", partial)
    assert problem_types.missing_types() == [ProblemType.SITE_UNREACHABLE]


@pytest.mark.parametrize("problem_type", list(ProblemType))
def test_every_entry_is_complete_and_in_chinese(problem_type: ProblemType) -> None:
    kind = kind_of(problem_type)
    assert kind.type is problem_type
    assert isinstance(kind.family, Family) and isinstance(kind.fix, Fix)
    assert isinstance(kind.severity, Severity) and isinstance(kind.section, SectionKind)
    for text in (kind.wording, kind.alert_label):
        assert text and any("\u4e00" <= char <= "\u9fff" for char in text), problem_type


def test_every_report_section_a_type_lands_in_has_a_title() -> None:
    # A lead is optional: the 月报 keeps one only where it says more than the title.
    listed = {kind.section for kind in CATALOGUE.values()} - {SectionKind.UNVERIFIED}
    assert listed <= set(SECTION_TITLES)
    assert set(SECTION_LEADS) <= listed


def test_the_entries_are_frozen() -> None:
    with pytest.raises(TypeError):
        CATALOGUE[ProblemType.BLOCKED] = CATALOGUE[ProblemType.BROKEN_LINK]  # type: ignore[index]
    with pytest.raises(AttributeError):
        kind_of(ProblemType.BLOCKED).wording = "x"  # type: ignore[misc]


def test_site_unreachable_is_fixed_by_a_later_good_run_and_accuses_nobody() -> None:
    kind = kind_of(ProblemType.SITE_UNREACHABLE)
    assert (kind.family, kind.fix, kind.wording) == (Family.CRAWL, Fix.PER_RUN, "网站无法访问")


def test_privacy_leaks_and_hidden_links_are_the_most_urgent() -> None:
    most = max(kind.severity for kind in CATALOGUE.values())
    assert {kind.type for kind in CATALOGUE.values() if kind.severity is most} == {
        ProblemType.PRIVACY_LEAK, ProblemType.HIDDEN_LINK}


def test_the_link_family_is_what_the_link_checker_judges() -> None:
    assert types_of(Family.LINK) == (ProblemType.BROKEN_LINK, ProblemType.DEAD_IMAGE,
                                     ProblemType.BROKEN_ATTACHMENT, ProblemType.BLOCKED)
