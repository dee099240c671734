"""The planning office's dashboard: who may see it, its figures, drill-downs and query count."""

import datetime
from decimal import Decimal
from urllib.parse import parse_qs, urlsplit

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from conftest import shared_data
from hoshin.evaluations.models import (
    CostKind,
    CostLine,
    EvaluationCycle,
    EvaluationSheet,
    EvaluationTemplate,
    Indicator,
    StaffUnitCost,
    Stage,
)
from hoshin.evaluations.selectors.dashboard import BY_DEPARTMENT, BY_NODE, DIRECT, dashboard_rollup
from hoshin.evaluations.selectors.dashboard_sheets import SheetFilter, figure_sheets
from hoshin.evaluations.tests.factories import make_user, make_world, open_year, sheet_of
from hoshin.evaluations.views.dashboard_tables import (
    format_count_diff,
    format_money,
    format_money_diff,
    format_rate,
    format_rate_diff,
)
from hoshin.org.models import Role
from hoshin.plans.models import Action, ActionDepartment, PlanNode

pytestmark = pytest.mark.django_db

DASHBOARD = reverse("evaluations:dashboard")
SHEETS = reverse("evaluations:dashboard_sheets")


def set_sheet(sheet: EvaluationSheet, **fields) -> None:
    EvaluationSheet.objects.filter(pk=sheet.pk).update(**fields)


def set_cost(sheet: EvaluationSheet, kind: str = CostKind.ACTUAL, **fields) -> None:
    CostLine.objects.filter(sheet=sheet, kind=kind).update(**fields)


def indicator(sheet, *, baseline, target, actual, name="指標") -> Indicator:
    return Indicator.objects.create(
        sheet=sheet, kind="outcome", name=name, baseline=baseline, target=target, actual=actual
    )


@shared_data
def world():
    return make_world()


@shared_data(world)
def years(world):
    """FY2024 and FY2025 of the test plan, with figures in both years for 防災 (built once for
    the tests that read them)."""
    today = timezone.localdate()
    last = open_year(world, 2024)
    old = sheet_of(last, world.bousai_action)
    indicator(old, baseline=0, target=100, actual=40)
    set_sheet(old, overall_grade="B", effect_savings=1000)
    set_cost(old, general=2000, person_years=Decimal("1.00"))
    this = open_year(world, 2025)
    EvaluationCycle.objects.filter(pk=this.pk).update(
        submit_due=today - datetime.timedelta(days=1),
        approve_due=today + datetime.timedelta(days=10),
    )
    this.refresh_from_db()
    bousai = sheet_of(this, world.bousai_action)
    shared = sheet_of(this, world.shared_action)
    zaisei = sheet_of(this, world.zaisei_action)
    # 防災: one draft (overdue), one submitted (not overdue yet).
    set_sheet(bousai, overall_grade="A", future_direction="expand", effect_savings=-1200)
    set_sheet(shared, stage=Stage.SUBMITTED, overall_grade="A", progress_grade="S")
    set_sheet(zaisei, stage=Stage.FINAL, overall_grade="C", effect_revenue=500)
    # Carried over from 2024: baseline 0, target 100; this year's actual 70 → 70 %.
    Indicator.objects.filter(sheet=bousai).update(actual=70)
    indicator(bousai, baseline=50, target=50, actual=60, name="維持目標")  # excluded
    indicator(bousai, baseline=0, target=10, actual=None, name="未入力")  # excluded
    indicator(shared, baseline=10, target=20, actual=13)  # 30 %
    set_cost(bousai, general=1234, national=1000, person_years=Decimal("0.50"))
    set_cost(shared, general=100, person_years=Decimal("0.25"), staff_unit_cost=4000)
    set_cost(bousai, kind=CostKind.BUDGET, general=999_999)  # budget lines are not counted
    StaffUnitCost.objects.create(fy=2025, amount=8000)
    StaffUnitCost.objects.create(fy=2024, amount=7000)
    return this


@pytest.fixture
def planner_client(world) -> Client:
    client = Client()
    client.force_login(world.planner)
    return client


# --- who may see it ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("planner", 200),
        ("sysadmin", 200),
        ("editor", 403),
        ("head", 403),
        ("viewer", 403),
        ("committee", 403),
        (None, 302),
    ],
)
@pytest.mark.parametrize("url", [DASHBOARD, SHEETS])
def test_dashboard_is_for_the_planning_office_and_admins_only(world, years, who, status, url):
    client = Client()
    if who == "sysadmin":
        client.force_login(make_user("sysadmin", role=Role.ADMIN))
    elif who is not None:
        client.force_login(getattr(world, who))
    response = client.get(url)
    assert response.status_code == status
    if who is None:
        assert response.url.startswith(reverse("backoffice:login") + "?next=")


def test_dashboard_without_any_year_says_how_to_start_one(world, planner_client):
    response = planner_client.get(DASHBOARD)
    assert response.status_code == 200
    assert reverse("evaluations:cycles") in response.content.decode()


# --- figures ----------------------------------------------------------------------------------


def test_department_rollup_counts_stages_overdue_grades_and_directions(world, years):
    board = dashboard_rollup(cycle=years, by=BY_DEPARTMENT, today=timezone.localdate())
    rows = {row.key: row for row in board.rows}
    bousai = rows[world.bousai.pk].current
    assert bousai.sheets == 2
    assert bousai.stages[Stage.DRAFT] == 1 and bousai.stages[Stage.SUBMITTED] == 1
    assert bousai.overdue == 1  # the draft: the submit due date has passed
    assert bousai.grades["A"] == 2 and bousai.grades["B"] == 0
    assert bousai.directions["expand"] == 1
    assert bousai.progress_grades["S"] == 1
    zaisei = rows[world.zaisei.pk].current
    assert zaisei.stages[Stage.FINAL] == 1 and zaisei.overdue == 0
    assert zaisei.grades["C"] == 1
    nobody = rows[None].current  # 全庁: the planning office's sheet
    assert nobody.sheets == 1 and nobody.overdue == 1
    total = board.total.current
    assert total.sheets == 4 and total.overdue == 2
    assert sum(total.stages.values()) == 4


def test_mean_progress_leaves_out_equal_targets_and_missing_values(world, years):
    board = dashboard_rollup(cycle=years, by=BY_DEPARTMENT, today=timezone.localdate())
    bousai = next(row for row in board.rows if row.key == world.bousai.pk)
    # 70 % and 30 %; the "keep the level" target and the missing actual are left out.
    assert bousai.current.rated_indicators == 2
    assert bousai.current.mean_progress == pytest.approx(0.5)
    assert bousai.previous.mean_progress == pytest.approx(0.4)
    zaisei = next(row for row in board.rows if row.key == world.zaisei.pk)
    assert zaisei.current.mean_progress is None


def test_costs_use_the_actual_line_and_the_years_unit_cost(world, years):
    board = dashboard_rollup(cycle=years, by=BY_DEPARTMENT, today=timezone.localdate())
    bousai = next(row for row in board.rows if row.key == world.bousai.pk)
    # Project cost: 1234 + 1000 + 100 (the budget line is not counted).
    assert bousai.current.project_cost == Decimal(2334)
    # Staff cost: 0.5 × 8000 (the year's) + 0.25 × 4000 (the line's own unit cost).
    assert bousai.current.staff_cost == Decimal(5000)
    assert bousai.current.total_cost == Decimal(7334)
    assert bousai.current.effect_savings == Decimal(-1200)
    assert bousai.previous.total_cost == Decimal(2000 + 7000)
    zaisei = next(row for row in board.rows if row.key == world.zaisei.pk)
    assert zaisei.current.effect_revenue == Decimal(500)
    assert zaisei.current.effect_savings is None


def test_without_a_unit_cost_staff_and_total_cost_are_unknown_not_zero(world, years):
    StaffUnitCost.objects.filter(fy=2025).delete()
    board = dashboard_rollup(cycle=years, by=BY_DEPARTMENT, today=timezone.localdate())
    bousai = next(row for row in board.rows if row.key == world.bousai.pk)
    assert bousai.current.staff_cost is None and bousai.current.total_cost is None
    assert board.total.current.total_cost is None


def test_node_rollup_shows_top_level_then_children(world, years):
    top = world.bousai_action.node
    child = PlanNode.objects.create(plan=world.plan, parent=top, depth=1, title="訓練", position=0)
    Action.objects.filter(pk=world.shared_action.pk).update(node=child)
    board = dashboard_rollup(cycle=years, by=BY_NODE, today=timezone.localdate())
    assert [(row.key, row.current.sheets) for row in board.rows] == [(top.pk, 4)]
    assert board.rows[0].has_children
    inner = dashboard_rollup(cycle=years, by=BY_NODE, node=top, today=timezone.localdate())
    assert [(row.key, row.current.sheets) for row in inner.rows] == [(child.pk, 1), (DIRECT, 3)]
    assert inner.path == [top]
    child_row = inner.rows[0].current
    assert child_row.stages[Stage.SUBMITTED] == 1 and child_row.mean_progress == pytest.approx(0.3)
    assert inner.total.current.sheets == 4


def test_node_sheets_of_a_policy_evaluation_are_counted_under_their_node(world, years):
    EvaluationSheet.objects.create(cycle=years, node=world.bousai_action.node, stage=Stage.FINAL)
    board = dashboard_rollup(cycle=years, by=BY_NODE, today=timezone.localdate())
    assert board.rows[0].current.sheets == 5
    assert board.rows[0].current.stages[Stage.FINAL] == 2


def test_without_last_year_the_comparison_shows_no_data(world):
    cycle = open_year(world, 2025)
    board = dashboard_rollup(cycle=cycle, today=timezone.localdate())
    assert board.previous_cycle is None and board.total.previous is None
    assert all(row.previous is None for row in board.rows)


def test_last_years_sheets_stay_with_last_years_department(world, years):
    """A reorganised department: its old sheets are compared under the old department."""
    last = EvaluationCycle.objects.get(plan=world.plan, fy=2024)
    EvaluationSheet.objects.filter(cycle=last, department=world.zaisei).update(department=None)
    board = dashboard_rollup(cycle=years, today=timezone.localdate())
    rows = {row.key: row for row in board.rows}
    assert rows[world.zaisei.pk].previous is None
    assert rows[None].previous.sheets == 2


def test_grade_codes_no_longer_in_the_template_are_counted_as_other(world, years):
    template = EvaluationTemplate.objects.get(plan=world.plan)
    template.grades = [g for g in template.grades if g["code"] != "C"]
    template.save()
    board = dashboard_rollup(cycle=years, today=timezone.localdate())
    assert board.total.current.grades[""] == 1 and board.has_other_grades
    sheets = figure_sheets(cycle=years, filters=SheetFilter(grade="*"), today=timezone.localdate())
    assert list(sheets) == [sheet_of(years, world.zaisei_action)]


# --- the page ----------------------------------------------------------------------------------


def test_page_formats_money_rates_and_differences(world, years, planner_client):
    response = planner_client.get(DASHBOARD, {"plan": world.plan.pk, "fy": 2025})
    html = response.content.decode()
    assert response.status_code == 200
    assert "7,334" in html  # total cost of 防災, 千円 with commas
    assert "△1,200" in html  # a negative effect amount
    assert "50.0%" in html and "40.0%" in html and "+10.0pt" in html
    assert "△1,666" in html  # total cost 7,334 − 9,000 last year
    assert "－" in html  # 財政課 has no rated indicator
    assert "<caption" in html and 'scope="col"' in html and 'scope="row"' in html
    assert 'scope="colgroup"' in html


def test_page_defaults_to_the_newest_year_and_lists_the_years(world, years, planner_client):
    response = planner_client.get(DASHBOARD)
    assert response.context["board"].fy == 2025
    html = response.content.decode()
    assert "令和7年度（2025年度）" in html and "令和6年度（2024年度）" in html


def test_unknown_node_is_404(world, years, planner_client):
    response = planner_client.get(DASHBOARD, {"by": "node", "node": 999_999})
    assert response.status_code == 404


def test_department_stage_counts_link_to_the_sheet_list(world, years, planner_client):
    response = planner_client.get(DASHBOARD, {"plan": world.plan.pk, "fy": 2025})
    stage_table = response.context["tables"][0]
    bousai = next(row for row in stage_table.rows if row.label == world.bousai.name)
    draft_cell = bousai.cells[1]
    url = urlsplit(draft_cell.href)
    assert url.path == reverse("evaluations:sheets")
    assert parse_qs(url.query) == {
        "plan": [str(world.plan.pk)],
        "fy": ["2025"],
        "stage": ["draft"],
        "department": [str(world.bousai.pk)],
    }
    listing = planner_client.get(draft_cell.href)
    assert listing.status_code == 200
    assert sheet_of(years, world.bousai_action).action.text in listing.content.decode()


def test_overdue_count_drills_down_to_the_overdue_sheets(world, years, planner_client):
    response = planner_client.get(DASHBOARD, {"plan": world.plan.pk, "fy": 2025})
    stage_table = response.context["tables"][0]
    overdue = stage_table.total.cells[-1]
    assert overdue.text == "2"
    listing = planner_client.get(overdue.href)
    assert listing.status_code == 200
    sheets = [row["sheet"] for row in listing.context["rows"]]
    assert set(sheets) == {
        sheet_of(years, world.bousai_action),
        sheet_of(years, world.all_action),
    }
    html = listing.content.decode()
    assert reverse("evaluations:sheet", args=[sheets[0].pk]) in html
    assert "期限超過" in html


def test_grade_and_node_drill_downs(world, years, planner_client):
    a_sheets = planner_client.get(SHEETS, {"plan": world.plan.pk, "fy": 2025, "grade": "A"})
    assert {row["sheet"].action for row in a_sheets.context["rows"]} == {
        world.bousai_action,
        world.shared_action,
    }
    blank = planner_client.get(SHEETS, {"plan": world.plan.pk, "fy": 2025, "grade": "-"})
    assert [row["sheet"].action for row in blank.context["rows"]] == [world.all_action]
    node = planner_client.get(
        SHEETS, {"plan": world.plan.pk, "fy": 2025, "node": world.bousai_action.node_id}
    )
    assert node.context["page"].paginator.count == 4
    none = planner_client.get(SHEETS, {"plan": world.plan.pk, "fy": 2025, "department": "none"})
    assert [row["sheet"].action for row in none.context["rows"]] == [world.all_action]


def test_node_view_links_into_children(world, years, planner_client):
    top = world.bousai_action.node
    PlanNode.objects.create(plan=world.plan, parent=top, depth=1, title="訓練", position=0)
    response = planner_client.get(DASHBOARD, {"plan": world.plan.pk, "fy": 2025, "by": "node"})
    row = response.context["tables"][0].rows[0]
    assert f"node={top.pk}" in row.href
    inner = planner_client.get(row.href)
    assert inner.status_code == 200
    assert inner.context["board"].node == top
    assert "訓練" in inner.content.decode()


# --- query count ------------------------------------------------------------------------------


def _grow(world, cycle_2024, cycle_2025, count: int) -> None:
    """Add ``count`` actions under four top-level nodes, with sheets in both years."""
    nodes = [world.bousai_action.node] + [
        PlanNode.objects.create(plan=world.plan, title=f"大項目{i}", depth=0, position=i + 1)
        for i in range(3)
    ]
    actions = Action.objects.bulk_create(
        Action(plan=world.plan, node=nodes[i % 4], position=100 + i, text=f"取組{i}")
        for i in range(count)
    )
    ActionDepartment.objects.bulk_create(
        ActionDepartment(action=a, department=world.bousai, is_lead=True) for a in actions
    )
    for cycle in (cycle_2024, cycle_2025):
        sheets = EvaluationSheet.objects.bulk_create(
            EvaluationSheet(cycle=cycle, action=a, department=world.bousai, overall_grade="B")
            for a in actions
        )
        Indicator.objects.bulk_create(
            Indicator(sheet=s, kind="outcome", name="x", baseline=0, target=10, actual=5)
            for s in sheets
        )
        CostLine.objects.bulk_create(
            CostLine(sheet=s, kind=CostKind.ACTUAL, general=10) for s in sheets
        )


@pytest.mark.parametrize("params", [{}, {"by": "node"}])
def test_query_count_does_not_grow_with_the_number_of_sheets(world, years, planner_client, params):
    last = EvaluationCycle.objects.get(plan=world.plan, fy=2024)
    query = {"plan": world.plan.pk, "fy": 2025, **params}
    planner_client.get(DASHBOARD, query)  # warm caches (content types, sessions)
    with CaptureQueriesContext(connection) as small:
        assert planner_client.get(DASHBOARD, query).status_code == 200
    _grow(world, last, years, 60)
    with CaptureQueriesContext(connection) as large:
        response = planner_client.get(DASHBOARD, query)
    assert response.context["board"].total.current.sheets == 64
    assert len(large.captured_queries) == len(small.captured_queries)


def test_drill_down_is_paginated(world, years, planner_client):
    last = EvaluationCycle.objects.get(plan=world.plan, fy=2024)
    _grow(world, last, years, 60)
    query = {"plan": world.plan.pk, "fy": 2025, "department": world.bousai.pk}
    first = planner_client.get(SHEETS, query)
    assert first.context["page"].paginator.count == 62
    assert len(first.context["rows"]) == 50
    second = planner_client.get(SHEETS, {**query, "page": 2})
    assert len(second.context["rows"]) == 12


# --- formats ----------------------------------------------------------------------------------


def test_number_formats():
    assert format_money(Decimal(1234567)) == "1,234,567"
    assert format_money(Decimal(-1200)) == "△1,200"
    assert format_money(None) == "－"
    assert format_rate(0.5) == "50.0%"
    assert format_rate(-0.125) == "△12.5%"
    assert format_rate(None) == "－"
    assert format_money_diff(Decimal(100), Decimal(1300)) == "△1,200"
    assert format_money_diff(Decimal(1300), Decimal(100)) == "+1,200"
    assert format_money_diff(Decimal(1), None) == "－"
    assert format_rate_diff(0.55, 0.5) == "+5.0pt"
    assert format_rate_diff(0.5, None) == "－"
    assert format_count_diff(3, 5) == "△2"
    assert format_count_diff(5, 5) == "0"
