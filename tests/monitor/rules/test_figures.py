"""Figures per unit (SPEC §4.6): completion % as seed 004 prints it, dense ranks as seed 002."""

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from monitor.calendar import WorkCalendar
from monitor.domain import Category
from monitor.rules.figures import (
    PostCount,
    PostFact,
    UnitFigures,
    UnitPosts,
    completion_percent,
    dense_ranks,
    portal_totals,
    ranked_portals,
    unit_figures,
)
from monitor.rules.periods import Period
from monitor.rules.weekly import WeeklyRule

# Seed 004 (信丰, April 2024), 附件1 and 附件2: unit, 本年度任务数, 已发布总数, 完成比例(%).
SEED_004_ROWS = [
    ("县农业农村局", 550, 631, "114.73"), ("县司法局", 350, 376, "107.43"),
    ("县自然资源局", 500, 527, "105.40"), ("县科技局", 550, 463, "84.18"),
    ("县供销社", 550, 386, "70.18"), ("县民政局", 350, 242, "69.14"),
    ("县发改委", 350, 217, "62.00"), ("县林业局", 550, 337, "61.27"),
    ("县应急管理局", 550, 317, "57.64"), ("县行政审批局", 350, 183, "52.29"),
    ("县文广新旅局", 350, 182, "52.00"), ("县退役军人事务局", 350, 180, "51.43"),
    ("县城管局", 550, 282, "51.27"), ("县工业和信息化局", 550, 277, "50.36"),
    ("县公安局交管大队", 580, 268, "46.21"), ("县财政局", 350, 157, "44.86"),
    ("县公安局", 550, 235, "42.73"), ("县教体局", 550, 230, "41.82"),
    ("县税务局", 450, 186, "41.33"), ("县果业发展服务中心", 400, 164, "41.00"),
    ("县卫健委", 450, 184, "40.89"), ("赣州市医疗保障局信丰分局", 500, 190, "38.00"),
    ("县人社局", 550, 206, "37.45"), ("县审计局", 350, 131, "37.43"),
    ("县城市社区管委会", 350, 125, "35.71"), ("县交通运输局", 550, 196, "35.64"),
    ("县统计局", 350, 118, "33.71"), ("县气象局", 550, 179, "32.55"),
    ("县融媒体中心", 550, 170, "30.91"), ("县商务局", 450, 128, "28.44"),
    ("县史志研究室", 400, 110, "27.50"), ("县乡村振兴局", 350, 94, "26.86"),
    ("县住建局", 500, 126, "25.20"), ("信丰公路发展分中心", 550, 128, "23.27"),
    ("赣州市信丰生态环境局", 560, 130, "23.21"), ("统调队", 450, 103, "22.89"),
    ("县市场监督管理局", 350, 71, "20.29"), ("县水利局", 450, 86, "19.11"),
    ("县烟草专卖局", 350, 54, "15.43"), ("高新区管委会", 560, 81, "14.46"),
    ("大桥镇政府", 560, 1180, "210.71"), ("大塘埠镇政府", 560, 1040, "185.71"),
    ("小河镇政府", 560, 991, "176.96"), ("西牛镇政府", 560, 916, "163.57"),
    ("小江镇政府", 560, 908, "162.14"), ("崇仙乡政府", 560, 876, "156.43"),
    ("万隆乡政府", 560, 779, "139.11"), ("油山镇政府", 560, 756, "135.00"),
    ("虎山乡政府", 560, 690, "123.21"), ("正平镇政府", 560, 589, "105.18"),
    ("安西镇政府", 560, 573, "102.32"), ("嘉定镇政府", 560, 558, "99.64"),
    ("新田镇政府", 560, 535, "95.54"), ("古陂镇政府", 560, 534, "95.36"),
    ("大阿镇政府", 560, 426, "76.07"), ("铁石口镇政府", 560, 359, "64.11"),
]

# Seed 002 (商南, 2021 Q2), 附件2: 得分 and 排名. Two rows of the scan lost their rank; the
# ranks 18 and 19 are the only ones that fit between 17 and 20.
SEED_002_SCORES_AND_RANKS = [
    ("68.4", 1), ("66", 2), ("54.8", 3), ("49.6", 4), ("47.2", 5), ("46.4", 6), ("38.2", 7),
    ("21.6", 8), ("20.6", 9), ("18.6", 10), ("15.2", 11), ("13.2", 12), ("9", 13),
    ("8.4", 14), ("6.2", 15), ("6.2", 15), ("6", 16), ("6", 16), ("4.8", 17), ("4.4", 18),
    ("4.2", 19), ("3.6", 20), ("3.2", 21), ("2.6", 22), ("2.4", 23), ("2.4", 23),
    ("2.4", 23), ("2.4", 23), ("2.4", 23), ("1.6", 24), ("1.4", 25), ("1.4", 25),
    ("1.2", 26), ("1.2", 26), ("1.2", 26), ("0.2", 27), ("0", 28), ("0", 28),
]

# Every weekly column read after the periods these tests judge.
READ = date(2025, 1, 1)


@pytest.mark.parametrize(("unit", "target", "total", "printed"), SEED_004_ROWS)
def test_completion_matches_seed_004(unit: str, target: int, total: int, printed: str) -> None:
    assert completion_percent(total, target) == Decimal(printed)


def test_completion_has_two_decimals_even_when_whole() -> None:
    assert str(completion_percent(341, 550)) == "62.00"


def test_completion_rounds_half_up() -> None:
    assert completion_percent(1, 800) == Decimal("0.13")  # 0.125
    assert completion_percent(66, 456) == Decimal("14.47")  # 14.4736…


def test_completion_without_target_is_none() -> None:
    assert completion_percent(10, None) is None
    assert completion_percent(10, 0) is None


@given(st.integers(0, 10**6), st.integers(1, 10**5))
def test_completion_is_within_half_a_hundredth(total: int, target: int) -> None:
    exact = Decimal(total) * 100 / Decimal(target)
    assert abs(completion_percent(total, target) - exact) <= Decimal("0.005")


def test_dense_ranks_match_seed_002() -> None:
    scores = [Decimal(score) for score, _ in SEED_002_SCORES_AND_RANKS]
    assert dense_ranks(scores) == [rank for _, rank in SEED_002_SCORES_AND_RANKS]


def test_dense_ranks_follow_on_after_ties_and_skip_none() -> None:
    values = [Decimal("5"), None, Decimal("9"), Decimal("5"), Decimal("1")]
    assert dense_ranks(values) == [2, None, 1, 2, 3]


def _post(day: date | None, category: Category = Category.DYNAMICS) -> PostFact:
    return PostFact(date=day, category=category, column="工作动态")


def test_unit_figures_counts_period_and_year_to_date() -> None:
    posts = [
        _post(date(2024, 1, 8)),
        _post(date(2024, 3, 31), Category.NOTICE),
        _post(date(2024, 4, 1)),
        _post(date(2024, 4, 2), Category.POLICY),
        _post(date(2024, 4, 30), Category.DISCLOSURE),
        _post(None),  # undated: counts nowhere
        _post(date(2024, 5, 6)),  # after the period
    ]
    unit = UnitPosts("县水利局", "县直单位", 450, posts, READ)
    [figures] = unit_figures(
        [unit], Period.month(2024, 4), date(2024, 5, 10), WorkCalendar(), WeeklyRule()
    )
    assert figures.period == PostCount(dynamics=1, disclosure=2)
    assert figures.period.total == 3
    assert figures.ytd == PostCount(dynamics=2, disclosure=3)
    assert figures.completion == Decimal("1.11")  # 5 / 450
    # April 2024: the weeks of 04-01, 04-08, 04-15, 04-22 and 04-29 (04-29/30 are working days).
    assert figures.weeks == 5
    assert figures.missed == 4  # only the week of 04-01 has a dynamics post


def test_unit_figures_year_to_date_stops_at_as_of() -> None:
    posts = [_post(date(2024, 4, 3)), _post(date(2024, 4, 20), Category.NOTICE)]
    unit = UnitPosts("县水利局", "县直单位", 100, posts, READ)
    [figures] = unit_figures(
        [unit], Period.month(2024, 4), date(2024, 4, 10), WorkCalendar(), WeeklyRule()
    )
    assert figures.period.total == 1
    assert figures.ytd.total == 1
    assert figures.weeks == 1  # only the week of 04-01 has ended by 04-10


def test_unit_figures_ranks_within_group_and_overall_in_input_order() -> None:
    def unit(name: str, group: str, target: int | None, count: int) -> UnitPosts:
        return UnitPosts(name, group, target, [_post(date(2024, 4, 3))] * count, READ)

    units = [
        unit("乙镇", "乡镇", 10, 5),  # 50.00
        unit("甲局", "县直单位", 10, 8),  # 80.00
        unit("丙局", "县直单位", 10, 5),  # 50.00
        unit("丁局", "县直单位", None, 9),  # no target: no completion, no rank
        unit("戊镇", "乡镇", 10, 9),  # 90.00
    ]
    figures = unit_figures(
        units, Period.month(2024, 4), date(2024, 4, 30), WorkCalendar(), WeeklyRule()
    )
    assert [f.unit for f in figures] == ["乙镇", "甲局", "丙局", "丁局", "戊镇"]
    assert [f.rank for f in figures] == [3, 2, 3, None, 1]
    assert [f.rank_in_group for f in figures] == [2, 1, 2, None, 1]


def test_weekly_rule_categories_choose_which_posts_keep_weeks() -> None:
    posts = [_post(date(2024, 4, d), Category.NOTICE) for d in (1, 8, 15, 22, 29)]
    unit = UnitPosts("县水利局", "县直单位", None, posts, READ)
    period, as_of, calendar = Period.month(2024, 4), date(2024, 5, 10), WorkCalendar()
    only_dynamics = WeeklyRule(frozenset({Category.DYNAMICS}), 1)
    with_notices = WeeklyRule(frozenset({Category.DYNAMICS, Category.NOTICE}), 1)
    assert unit_figures([unit], period, as_of, calendar, only_dynamics)[0].missed == 5
    assert unit_figures([unit], period, as_of, calendar, with_notices)[0].missed == 0


def test_a_unit_never_read_has_no_week_counted_or_missed() -> None:
    unknown = UnitPosts("青石镇", "乡镇", 200, [], None)
    read_and_empty = UnitPosts("青石镇", "乡镇", 200, [], date(2024, 5, 10))
    period, as_of = Period.month(2024, 4), date(2024, 5, 10)
    [figures] = unit_figures([unknown], period, as_of, WorkCalendar(), WeeklyRule())
    assert (figures.weeks, figures.missed) == (0, 0)
    [figures] = unit_figures([read_and_empty], period, as_of, WorkCalendar(), WeeklyRule())
    assert (figures.weeks, figures.missed) == (5, 5)


def _unit_row(name: str, group: str, target: int | None, period: tuple[int, int],
              ytd: tuple[int, int], missed: int) -> UnitFigures:
    return UnitFigures(unit=name, group=group, annual_target=target,
                       period=PostCount(*period), ytd=PostCount(*ytd), weeks=5, missed=missed,
                       completion=completion_percent(sum(ytd), target), rank_in_group=None,
                       rank=None)


def test_a_portals_row_adds_up_its_units_figures() -> None:
    row = portal_totals("北河县", [
        _unit_row("县水利局", "县直单位", 100, (2, 3), (10, 20), 1),
        _unit_row("青石镇", "乡镇", None, (1, 0), (4, 0), 0),
        _unit_row("县卫健局", "县直单位", 50, (0, 0), (0, 6), 2),
    ])
    assert (row.units, row.annual_target, row.period, row.ytd) == (
        3, 150, PostCount(3, 3), PostCount(14, 26))
    assert (row.missed, row.units_missed) == (3, 2)
    assert row.completion == Decimal("26.67")  # 40 posts of 150


def test_portals_rank_densely_by_completion_and_without_a_target_last() -> None:
    rows = ranked_portals([
        portal_totals("甲县", [_unit_row("a", "g", 10, (0, 0), (5, 0), 0)]),
        portal_totals("乙县", [_unit_row("a", "g", None, (0, 0), (9, 0), 0)]),
        portal_totals("丙县", [_unit_row("a", "g", 10, (0, 0), (8, 0), 0)]),
        portal_totals("丁县", [_unit_row("a", "g", 20, (0, 0), (10, 0), 0)]),
    ])
    assert [(row.portal, row.rank) for row in rows] == [
        ("丙县", 1), ("丁县", 2), ("甲县", 2), ("乙县", None)]
