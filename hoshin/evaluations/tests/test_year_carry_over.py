"""Opening a year: a sheet per action, the plan part and targets carried over, results empty."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from hoshin.evaluations.models import CostKind, EvaluationSheet, EvaluationTemplate, Indicator
from hoshin.evaluations.services.cycle import fiscal_year_start
from hoshin.evaluations.services.sheets import indicator_add, sheet_update
from hoshin.evaluations.tests.factories import TODAY, make_world, open_year, sheet_of
from hoshin.org.reorganization import department_reorganize

pytestmark = pytest.mark.django_db


def test_every_action_gets_one_sheet_owned_by_its_lead_department():
    world = make_world()
    cycle = open_year(world)
    owners = dict(
        EvaluationSheet.objects.filter(cycle=cycle).values_list("action_id", "department_id")
    )
    assert owners == {
        world.bousai_action.pk: world.bousai.pk,
        world.shared_action.pk: world.bousai.pk,  # the lead, not the co-responsible 財政課
        world.zaisei_action.pk: world.zaisei.pk,
        world.all_action.pk: None,  # 全庁: the planning office owns it
    }
    assert all(s.scales["grades"] for s in EvaluationSheet.objects.filter(cycle=cycle))
    assert EvaluationSheet.objects.filter(cycle=cycle).first().costs.count() == len(CostKind.values)


def test_next_year_carries_purpose_indicators_and_targets_not_results():
    world = make_world()
    sheet = sheet_of(open_year(world, 2024), world.bousai_action)
    indicator = indicator_add(
        sheet=sheet, by=world.editor, name="訓練回数", unit="回", expected_version=1
    )
    sheet_update(
        sheet=sheet,
        by=world.editor,
        raw={
            "purpose_target": "市民",
            "legal_basis": "災害対策基本法",
            f"indicator.{indicator.pk}.baseline": "2",
            f"indicator.{indicator.pk}.target": "6",
            f"indicator.{indicator.pk}.actual": "5",
            "overall_grade": "B",
            "cost.next_budget.general": "900",
            "cost.next_budget.person_years": "0.3",
        },
        expected_version=2,
        today=TODAY,
    )
    opened = fiscal_year_start(plan=world.plan, fy=2025, by=world.planner, today=TODAY)
    assert (opened.sheets, opened.carried_over) == (4, 4)
    new = sheet_of(opened.cycle, world.bousai_action)
    assert new.previous_id == sheet.pk
    assert (new.purpose_target, new.legal_basis, new.overall_grade) == (
        "市民",
        "災害対策基本法",
        "",
    )
    carried = Indicator.objects.get(sheet=new)
    assert (carried.series, carried.name, carried.baseline, carried.target, carried.actual) == (
        indicator.series,
        "訓練回数",
        2,
        6,
        None,
    )
    budget = new.costs.get(kind=CostKind.BUDGET)
    assert (budget.general, budget.person_years) == (Decimal(900), Decimal("0.3"))


def test_a_year_cannot_be_opened_twice_too_early_or_outside_the_plan():
    world = make_world()
    open_year(world, 2025)
    with pytest.raises(ValidationError, match="既に開始"):
        open_year(world, 2025)
    with pytest.raises(ValidationError, match="まだ開始できません"):
        fiscal_year_start(plan=world.plan, fy=2027, today=TODAY)
    world.plan.start_fy, world.plan.end_fy = 2023, 2024
    world.plan.save()
    with pytest.raises(ValidationError, match="計画期間"):
        fiscal_year_start(plan=world.plan, fy=2026, today=TODAY)


def test_after_a_merge_the_new_year_goes_to_the_successor_and_last_year_keeps_its_department():
    world = make_world()
    old_cycle = open_year(world, 2024)
    department_reorganize(
        kind="merge",
        predecessors=[world.bousai, world.zaisei],
        successor_names=[("危機管理課", "ka", None)],
        effective_fy=2025,
        by=world.planner,
    )
    new_cycle = fiscal_year_start(plan=world.plan, fy=2025, today=datetime.date(2025, 4, 2)).cycle
    assert sheet_of(old_cycle, world.bousai_action).department == world.bousai
    merged = sheet_of(new_cycle, world.bousai_action).department
    assert merged.name == "危機管理課"
    assert sheet_of(new_cycle, world.zaisei_action).department == merged
    assert sheet_of(old_cycle, world.zaisei_action).department == world.zaisei


def test_node_sheets_are_created_for_configured_levels():
    world = make_world()
    EvaluationTemplate.objects.create(
        plan=world.plan, **EvaluationTemplate.default_values(plan=world.plan), node_depths=[0]
    )
    cycle = open_year(world)
    assert EvaluationSheet.objects.filter(cycle=cycle, node__isnull=False).count() == 1
