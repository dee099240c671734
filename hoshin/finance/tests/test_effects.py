"""The effect-amount ledger: continuing effects, totals per pillar, figures fed by sheets."""

from decimal import Decimal

import pytest

from hoshin.audit.models import AuditEntry
from hoshin.evaluations.models import Stage
from hoshin.evaluations.tests.factories import make_world, open_year, sheet_of
from hoshin.finance.errors import FinanceError
from hoshin.finance.models import EffectEntry, EffectSource
from hoshin.finance.selectors import counted_effect, effect_totals
from hoshin.finance.services.effects import effect_record, effects_from_sheets
from hoshin.finance.tests.factories import make_finance_staff
from hoshin.org.tests.factories import make_action, make_plan
from hoshin.plans.models import PlanNode

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff():
    return make_finance_staff()


@pytest.fixture
def plan():
    return make_plan("第6次行財政改革実施計画", start_fy=2023, end_fy=2026)


def node(plan, title, *, parent=None, position=0):
    return PlanNode.objects.create(
        plan=plan,
        parent=parent,
        depth=parent.depth + 1 if parent else 0,
        position=position,
        title=title,
    )


def test_a_continuing_effect_counts_again_in_every_later_year(plan, staff):
    action = make_action(plan)
    effect_record(
        action=action, fy=2024, kind="saving", duration="continuing", actual=Decimal(100), by=staff
    )
    effect_record(
        action=action, fy=2025, kind="revenue", actual=Decimal(30), by=staff
    )  # single year
    entries = list(EffectEntry.objects.all())
    assert [counted_effect(entries, fy=fy) for fy in (2023, 2024, 2025, 2026)] == [0, 100, 130, 100]


def test_totals_per_pillar_and_for_the_plan_period(plan, staff):
    pillar_a = node(plan, "1 市民参画・市民協働の一層の推進")
    pillar_b = node(plan, "2 健全な財政運営", position=1)
    section = node(plan, "(1) 行政情報の積極的開示", parent=pillar_a)
    a1 = make_action(plan, node=section, text="窓口業務を委託する。")
    a2 = make_action(plan, node=pillar_a, text="使用料を見直す。")
    b1 = make_action(plan, node=pillar_b, text="未利用地を売却する。")
    effect_record(
        action=a1,
        fy=2023,
        kind="saving",
        duration="continuing",
        planned=Decimal(120),
        actual=Decimal(100),
        by=staff,
    )
    effect_record(
        action=a1, fy=2024, kind="revenue", planned=Decimal(20), actual=Decimal(30), by=staff
    )
    effect_record(
        action=a2, fy=2025, kind="revenue", duration="continuing", actual=Decimal(50), by=staff
    )
    effect_record(
        action=b1, fy=2024, kind="revenue", planned=Decimal(80), actual=Decimal(70), by=staff
    )

    totals = effect_totals(plan=plan)
    assert [row.pillar for row in totals] == [pillar_a, pillar_b]
    first, second = totals
    assert first.actual == {2023: 100, 2024: 130, 2025: 150, 2026: 150}
    assert first.actual_total == 530
    assert first.planned == {2023: 120, 2024: 140, 2025: 120, 2026: 120}
    assert first.by_kind["saving"] == {2023: 100, 2024: 100, 2025: 100, 2026: 100}
    assert first.by_kind["revenue"] == {2023: 0, 2024: 30, 2025: 50, 2026: 50}
    assert second.actual == {2023: 0, 2024: 70, 2025: 0, 2026: 0}
    assert second.planned_total == 80


def test_an_effect_outside_the_plan_period_or_of_an_unknown_kind_is_refused(plan, staff):
    action = make_action(plan)
    with pytest.raises(FinanceError, match="2027年度は計画期間"):
        effect_record(action=action, fy=2027, kind="saving", actual=Decimal(1), by=staff)
    with pytest.raises(FinanceError, match="歳出削減か歳入確保"):
        effect_record(action=action, fy=2024, kind="tax", actual=Decimal(1), by=staff)


def test_published_sheets_feed_the_ledger_and_hand_entered_figures_win(staff):
    world = make_world()
    cycle = open_year(world, 2025)
    fed_sheet = sheet_of(cycle, world.bousai_action)
    fed_sheet.effect_savings, fed_sheet.effect_revenue, fed_sheet.stage = (
        Decimal(1_200),
        Decimal(-300),
        Stage.PUBLISHED,
    )
    fed_sheet.save()
    typed = sheet_of(cycle, world.zaisei_action)
    typed.effect_savings, typed.stage = Decimal(999), Stage.PUBLISHED
    typed.save()
    draft = sheet_of(cycle, world.shared_action)
    draft.effect_savings = Decimal(50)  # not published: not a figure the city stands behind yet
    draft.save()
    effect_record(action=world.zaisei_action, fy=2025, kind="saving", actual=Decimal(800), by=staff)

    fed = effects_from_sheets(plan=world.plan, fy=2025, by=staff)

    assert {(entry.action_id, entry.kind, entry.actual) for entry in fed} == {
        (world.bousai_action.pk, "saving", 1_200),
        (world.bousai_action.pk, "revenue", -300),  # a negative effect is kept as it is (△)
    }
    assert all(entry.source == EffectSource.SHEET and entry.sheet == fed_sheet for entry in fed)
    assert EffectEntry.objects.get(action=world.zaisei_action).actual == 800
    assert not EffectEntry.objects.filter(action=world.shared_action).exists()
    # Feeding again updates the same entries instead of adding new ones.
    fed_sheet.effect_savings = Decimal(1_500)
    fed_sheet.save()
    effects_from_sheets(plan=world.plan, fy=2025, by=staff)
    assert EffectEntry.objects.get(action=world.bousai_action, kind="saving").actual == 1_500
    assert AuditEntry.objects.filter(verb="finance.effects_from_sheets").count() == 2


def test_totals_on_a_general_revenue_basis_leave_other_entries_out(plan, staff):
    action = make_action(plan)
    effect_record(action=action, fy=2024, kind="saving", actual=Decimal(100), by=staff)
    effect_record(
        action=action,
        fy=2024,
        kind="revenue",
        actual=Decimal(40),
        general_revenue_basis=False,
        by=staff,
    )
    assert effect_totals(plan=plan)[0].actual[2024] == 140
    assert effect_totals(plan=plan, general_revenue_only=True)[0].actual[2024] == 100
