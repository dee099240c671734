"""A published plan with one published sheet, and canaries planted in everything unpublished."""

import io
from dataclasses import dataclass

import pypdf

from conftest import shared_data
from hoshin.evaluations.models import EvaluationSheet, StaffUnitCost, Stage
from hoshin.evaluations.services.cycle import fiscal_year_start
from hoshin.evaluations.services.sheets import indicator_add
from hoshin.evaluations.tests.factories import TODAY, World, make_world, open_year, sheet_of
from hoshin.evaluations.tests.stage_helpers import advance, fill, people
from hoshin.plans.models import Action, Plan, PlanNode

CANARY = "カナリア漏洩ZQX"
ACTION_TITLE = "髙﨑地区ハザードマップの周知"
INDICATOR = "ハザードマップ配布世帯数"
REVIEW = "二次評価：配布後の避難訓練参加率も追うこと。"


@dataclass
class Reports:
    world: World
    plan: Plan
    published: EvaluationSheet
    draft: EvaluationSheet  # another department's, with canaries
    approved: EvaluationSheet  # the user's own department, not yet published
    hidden_plan: Plan  # unpublished plan whose sheet is published


def _with_indicator(world, sheet, name, raw):
    editor, _ = people(world, sheet)
    sheet.refresh_from_db()
    indicator = indicator_add(
        sheet=sheet, by=editor, name=name, unit="世帯", expected_version=sheet.version
    )
    values = {
        f"indicator.{indicator.pk}.baseline": "1000",
        f"indicator.{indicator.pk}.target": "5000",
        f"indicator.{indicator.pk}.actual": "4000",
        **raw,
    }
    return fill(world, sheet, values)


def canary_values(tag: str) -> dict:
    return {
        name: f"{CANARY}{tag}{name}"
        for name in (
            "purpose_target",
            "purpose_intent",
            "activities",
            "department_comment",
            "improvement_plan",
        )
    }


@shared_data
def reports() -> Reports:
    """Built once for the report tests that follow one another (each runs in its own transaction)."""
    world = make_world()
    StaffUnitCost.objects.create(fy=2025, amount=8000)
    Action.objects.filter(pk=world.bousai_action.pk).update(number="1", title=ACTION_TITLE)
    node = world.bousai_action.node
    Plan.objects.filter(pk=world.plan.pk).update(level_names=["大項目", "中項目"])
    cycle = open_year(world)

    published = _with_indicator(
        world,
        sheet_of(cycle, world.bousai_action),
        INDICATOR,
        {
            "activities": "全世帯にハザードマップを配布し、説明会を12回開いた。",
            "department_comment": "配布は順調。",
            "improvement_plan": "外国語版を作成する。",
            "cost.budget.general": "1200",
            "cost.actual.general": "1100",
            "cost.actual.national": "300",
            "cost.actual.person_years": "0.5",
            "cost.next_budget.general": "1300",
        },
    )
    EvaluationSheet.objects.filter(pk=published.pk).update(review_comment=REVIEW)
    published = advance(world, published, Stage.PUBLISHED)

    draft = _with_indicator(
        world,
        sheet_of(cycle, world.zaisei_action),
        f"{CANARY}指標",
        canary_values("DRAFT"),
    )
    approved = _with_indicator(
        world, sheet_of(cycle, world.shared_action), f"{CANARY}承認指標", canary_values("APPROVED")
    )
    approved = advance(world, approved, Stage.APPROVED)

    hidden_plan = Plan.objects.create(
        name=f"{CANARY}非公開計画", kind="reform", level_names=["大項目"], is_published=False
    )
    hidden_node = PlanNode.objects.create(plan=hidden_plan, title="非公開の節", depth=0)
    hidden_action = Action.objects.create(plan=hidden_plan, node=hidden_node, text="非公開の取組。")
    hidden_action.responsibilities.create(department=world.bousai, is_lead=True)
    hidden_cycle = fiscal_year_start(plan=hidden_plan, fy=2025, by=world.planner, today=TODAY).cycle
    hidden = fill(world, sheet_of(hidden_cycle, hidden_action), canary_values("HIDDEN"))
    advance(world, hidden, Stage.PUBLISHED)
    assert node.plan_id == world.plan.pk
    return Reports(world, world.plan, published, draft, approved, hidden_plan)


def pdf_text(data: bytes) -> str:
    reader = pypdf.PdfReader(io.BytesIO(data))
    return "\n".join(page.extract_text() for page in reader.pages)


def pdf_pages(data: bytes) -> list[str]:
    return [page.extract_text() for page in pypdf.PdfReader(io.BytesIO(data)).pages]
