"""Data for open-data tests: published results built through the real services.

``published_results()`` gives a published plan (hoshin.evaluations.tests.factories.make_world)
with one published FY2025 sheet carrying indicators, costs and effect amounts, and characters
Excel users care about (①㈱髙﨑). ``attacked_results()`` adds canaries everywhere citizens must
not see: a draft plan, sheets in every unpublished stage, a published sheet of a draft plan.
"""

from dataclasses import dataclass, field

from hoshin.evaluations.models import CostKind, CostLine, EvaluationSheet, StaffUnitCost, Stage
from hoshin.evaluations.services.comments import sheet_comment_add
from hoshin.evaluations.services.cycle import fiscal_year_start
from hoshin.evaluations.services.sheets import indicator_add
from hoshin.evaluations.tests.factories import TODAY, World, make_world, open_year, sheet_of
from hoshin.evaluations.tests.stage_helpers import advance, fill, people
from hoshin.org.models import Department
from hoshin.plans.models import Action, Plan, PlanNode
from hoshin.portal.tests import factories as portal_factories

EXCEL_CHARS = "①㈱髙﨑"  # NEC/IBM extensions: in CP932, absent from plain Shift_JIS
STAGES = [Stage.DRAFT, Stage.RETURNED, Stage.SUBMITTED, Stage.APPROVED, Stage.FINAL]
TEXT_FIELDS = (
    "purpose_target",
    "purpose_intent",
    "purpose_means",
    "legal_basis",
    "activities",
    "department_comment",
    "improvement_plan",
)


def canary(tag: str, name: str) -> str:
    return f"CANARY{tag}{name}ZQX漏洩"


@dataclass
class Published:
    world: World
    sheet: EvaluationSheet
    indicator_id: int
    canaries: list[str] = field(default_factory=list)  # texts that must never be downloaded


def _sheet_with_values(world: World, sheet: EvaluationSheet, *, texts: dict, numbers: dict):
    editor, _ = people(world, sheet)
    sheet.refresh_from_db()
    indicator = indicator_add(
        sheet=sheet,
        by=editor,
        name=texts.pop("indicator"),
        unit=texts.pop("unit"),
        expected_version=sheet.version,
    )
    values = {
        **texts,
        f"indicator.{indicator.pk}.baseline": numbers["baseline"],
        f"indicator.{indicator.pk}.target": numbers["target"],
        f"indicator.{indicator.pk}.actual": numbers["actual"],
        "cost.actual.general": numbers["general"],
        "cost.actual.person_years": "0.5",
        "effect_savings": numbers["savings"],
    }
    return fill(world, sheet, values), indicator


def published_results() -> Published:
    """One published sheet (防災 action, FY2025) with indicator, cost and effect amount."""
    world = make_world()
    StaffUnitCost.objects.create(fy=2025, amount=8000)
    cycle = open_year(world)
    sheet, indicator = _sheet_with_values(
        world,
        sheet_of(cycle, world.bousai_action),
        texts={
            "purpose_target": f"市民（{EXCEL_CHARS}）",
            "activities": "ハザードマップを配布した。\n説明会を9回開いた。",
            "department_comment": "=1+1 は数式ではなく文字です。",
            "indicator": "説明会の開催回数",
            "unit": "回",
        },
        numbers={
            "baseline": "4",
            "target": "10",
            "actual": "9",
            "general": "1234",
            "savings": "500",
        },
    )
    sheet = advance(world, sheet, Stage.PUBLISHED)
    return Published(world=world, sheet=sheet, indicator_id=indicator.pk)


def attacked_results() -> Published:
    """``published_results`` plus canaries in everything unpublished (see the module docstring).

    Canary numbers (24680, 13579, 97531, 86420) appear only in unpublished sheets.
    """
    published = published_results()
    world = published.world
    canaries: list[str] = []
    node = world.bousai_action.node
    cycle = published.sheet.cycle
    for number, stage in enumerate(STAGES):
        action = Action.objects.create(
            plan=world.plan, node=node, position=20 + number, text=f"追加の取組{number}。"
        )
        action.responsibilities.create(department=world.bousai, is_lead=True)
        sheet = EvaluationSheet.objects.create(
            cycle=cycle,
            action=action,
            department=world.bousai,
            scales=published.sheet.scales,
        )
        CostLine.objects.bulk_create(CostLine(sheet=sheet, kind=kind) for kind in CostKind.values)
        canaries += _plant(world, sheet, stage.upper(), stage)

    # A published sheet of a draft plan, and the draft plan's own texts.
    draft_plan = Plan.objects.create(
        name=canary("PLAN", "name"), kind="reform", level_names=["大項目"], is_published=False
    )
    draft_node = PlanNode.objects.create(plan=draft_plan, title=canary("PLAN", "node"), depth=0)
    hidden = Action.objects.create(plan=draft_plan, node=draft_node, text=canary("PLAN", "action"))
    hidden.responsibilities.create(department=world.bousai, is_lead=True)
    only_draft = Department.objects.create(name=canary("PLAN", "department"), kind="ka")
    hidden.responsibilities.create(department=only_draft, position=1)
    hidden_cycle = fiscal_year_start(plan=draft_plan, fy=2025, by=world.planner, today=TODAY).cycle
    canaries += _plant(world, sheet_of(hidden_cycle, hidden), "HIDDENPLAN", Stage.PUBLISHED)
    canaries += [canary("PLAN", name) for name in ("name", "node", "action", "department")]

    # The portal factories' draft plan too (shares a department with the published plan).
    draft = portal_factories.draft_sample(shared_department=world.bousai)
    canaries += [portal_factories.DRAFT_ACTION_TEXT, draft.draft_only_department.name]

    # Staff comments on the published sheet are never public.
    sheet_comment_add(sheet=published.sheet, by=world.planner, body=canary("STAFF", "comment"))
    canaries.append(canary("STAFF", "comment"))
    published.canaries = canaries
    return published


def _plant(world: World, sheet: EvaluationSheet, tag: str, stage: str) -> list[str]:
    texts = {name: canary(tag, name) for name in TEXT_FIELDS}
    _sheet_with_values(
        world,
        sheet,
        texts={**texts, "indicator": canary(tag, "indicator"), "unit": f"U{tag}"[:30]},
        numbers={
            "baseline": "10",
            "target": "24680",
            "actual": "13579",
            "general": "97531",
            "savings": "86420",
        },
    )
    advance(world, sheet, stage)
    EvaluationSheet.objects.filter(pk=sheet.pk).update(review_comment=canary(tag, "review"))
    return [*texts.values(), canary(tag, "indicator"), canary(tag, "review")]
