"""Which problems the 月报 states, how it words them, and last month's rectification."""

from __future__ import annotations

from datetime import date

from monitor.domain import ProblemState, ProblemType
from reports import build_monthly_report
from reports.model import ProblemSection, ReportProblem, SectionKind
from reports.problems import problem_sections, rectification, unverified_count
from reports.wording import monitoring_text, problem_link, rectification_text, section_text


def test_sections_follow_the_report_order_and_skip_empty_headings(april_report) -> None:
    assert [s.kind for s in april_report.sections] == [
        SectionKind.UPDATES, SectionKind.LINKS, SectionKind.PRIVACY]


def test_overdue_is_stated_with_date_unit_and_column(april_report) -> None:
    text = section_text(april_report.sections[0])
    assert "4月29日县卫健委工作动态出现逾期" in text


def test_only_units_reminded_on_two_days_are_repeatedly_due_soon(april_report) -> None:
    text = section_text(april_report.sections[0])
    assert "小江镇政府多次被提醒工作动态即将逾期" in text
    assert "县水利局" not in text  # reminded once, then updated in time


def test_recurring_due_soon_counts_as_repeated_even_on_one_day(make_problem) -> None:
    problem = make_problem(ProblemType.DUE_SOON_COLUMN, "县水利局", 18, column="工作动态",
                           recurring=True)
    (section,) = problem_sections([problem])
    assert "县水利局多次被提醒工作动态即将逾期" in section_text(section)


def test_ignored_problems_are_not_reported(april_report) -> None:
    units = {p.unit for s in april_report.sections for p in s.problems}
    assert "县司法局" not in units


def test_blocked_targets_are_counted_as_unverified_not_accused(april_report) -> None:
    assert april_report.unverified_links == 1
    assert all(p.type is not ProblemType.BLOCKED
               for s in april_report.sections for p in s.problems)
    assert "另有1个链接因目标网站访问防护未能核实，未作为问题通报。" in monitoring_text(april_report)


def test_dead_images_and_broken_links_by_unit_with_dates(april_report) -> None:
    links = april_report.sections[1]
    assert [(p.seen_on.day, p.unit) for p in links.problems] == [(8, "县发改委"), (19, "万隆乡政府")]
    assert section_text(links).endswith(
        "4月8日县发改委通知公告出现不可用链接；4月19日万隆乡政府工作动态照片不能显示。")


def test_same_unit_column_and_type_are_one_clause_with_all_dates(make_problem) -> None:
    problems = [make_problem(ProblemType.BROKEN_LINK, "县住建局", day, column="工作动态",
                             url=f"http://127.0.0.1:8000/{day}.html") for day in (3, 3, 9)]
    (section,) = problem_sections(problems)
    assert "4月3日、4月9日县住建局工作动态出现不可用链接（共3处）" in section_text(section)


def test_privacy_is_worded_as_a_suspicion(april_report) -> None:
    assert "疑似含有个人隐私" in section_text(april_report.sections[2])


def test_monitoring_summary_counts_problems_and_units(april_report) -> None:
    # The headings of 存在问题 follow with the findings: no count by heading here.
    assert monitoring_text(april_report).startswith("4月常态化监测共发现问题6个，涉及5个单位。另有")


def test_rectification_splits_last_months_reported_problems(april_report) -> None:
    rect = april_report.rectification
    assert [p.unit for p in rect.still_open] == ["大塘埠镇政府"]
    assert [p.unit for p in rect.fixed] == ["县水利局"]
    assert rectification_text(rect) == (
        "上期通报的2个问题中，已整改1个，仍有1个未整改，涉及大塘埠镇政府。")


def test_rectification_when_everything_was_fixed() -> None:
    fixed = ReportProblem(ProblemType.EMPTY_COLUMN, "县商务局", date(2024, 3, 1),
                          column="政策解读", state=ProblemState.FIXED)
    assert rectification_text(rectification([fixed])) == "上期通报的1个问题中，已整改1个，已全部整改。"


def test_nothing_found_is_said_plainly(make_settings) -> None:
    report = build_monthly_report([], [], [], {}, make_settings())
    assert report.sections == () and unverified_count([]) == 0
    assert monitoring_text(report) == "4月常态化监测未发现需要通报的问题。"
    assert rectification_text(report.rectification) == "上期未通报需要整改的问题。"


def test_findings_of_one_type_and_day_name_units_and_columns_together(make_problem) -> None:
    problems = tuple(make_problem(ProblemType.EMPTY_COLUMN, "县市场监督管理局", 24, column=c)
                     for c in ("工作动态", "通知公告"))
    problems += (make_problem(ProblemType.OVERDUE_COLUMN, "县市场监督管理局", 24, column="年报"),
                 make_problem(ProblemType.OVERDUE_COLUMN, "桃源镇", 24, column="年度报告"),
                 make_problem(ProblemType.OVERDUE_COLUMN, "县农业农村局", 29, column="工作动态"))
    text = section_text(ProblemSection(SectionKind.UPDATES, problems))
    assert text == ("栏目按期更新是政府网站的基本要求。4月24日县市场监督管理局工作动态、通知公告"
                    "栏目尚无任何信息；县市场监督管理局年报、桃源镇年度报告出现逾期；"
                    "4月29日县农业农村局工作动态出现逾期。")


def test_units_with_the_same_column_and_problem_share_it(make_problem) -> None:
    problems = tuple(make_problem(ProblemType.OVERDUE_COLUMN, unit, 29, column="工作动态")
                     for unit in ("县农业农村局", "县教育体育局", "县自然资源局"))
    text = section_text(ProblemSection(SectionKind.UPDATES, problems))
    assert text.endswith("4月29日县农业农村局、县教育体育局、县自然资源局工作动态出现逾期。")


def test_a_site_wide_link_is_counted_as_a_problem_but_not_as_a_unit(make_problem,
                                                                      make_settings) -> None:
    problems = [
        make_problem(ProblemType.BROKEN_LINK, "县住建局", 3, column="工作动态",
                     url="http://127.0.0.1:8000/zjj/1.html", target="http://127.0.0.1:8000/a"),
        make_problem(ProblemType.BROKEN_LINK, "瑞河县人民政府门户网站", 4,
                     url="http://127.0.0.1:8000/", target="http://127.0.0.1:8000/b",
                     site_wide=True),
    ]
    report = build_monthly_report([], problems, [], {}, make_settings())
    assert monitoring_text(report).startswith("4月常态化监测共发现问题2个，涉及1个单位。")


def test_only_site_wide_problems_name_no_unit_count(make_problem, make_settings) -> None:
    footer = make_problem(ProblemType.BROKEN_LINK, "瑞河县人民政府门户网站", 4,
                          url="http://127.0.0.1:8000/", target="http://127.0.0.1:8000/b",
                          site_wide=True)
    report = build_monthly_report([], [footer], [], {}, make_settings())
    assert monitoring_text(report).startswith("4月常态化监测共发现问题1个。")


def test_a_privacy_rows_link_is_its_page_not_the_masked_number(make_problem) -> None:
    leak = make_problem(ProblemType.PRIVACY_LEAK, "县财政局", 5, column="工作动态",
                        url="http://127.0.0.1:8000/czj/1.html", target="139****2468")
    broken = make_problem(ProblemType.BROKEN_LINK, "县财政局", 5, column="工作动态",
                          url="http://127.0.0.1:8000/czj/1.html",
                          target="http://127.0.0.1:8000/gone.html")
    assert problem_link(leak) == "http://127.0.0.1:8000/czj/1.html"
    assert problem_link(broken) == "http://127.0.0.1:8000/gone.html"
