"""A published plan with results, and unpublished data full of canaries, for the API tests."""

from dataclasses import dataclass

import pytest

from conftest import shared_data
from hoshin.api.services import api_token_create
from hoshin.evaluations.models import EvaluationSheet, Stage
from hoshin.evaluations.tests.factories import World, make_world, open_year, sheet_of
from hoshin.evaluations.tests.stage_helpers import advance, fill
from hoshin.plans.models import Action, Plan, PlanNode

CANARY = "漏洩カナリアAPIZQX"


@dataclass
class ApiWorld:
    world: World
    published: EvaluationSheet  # bousai_action, FY2025, published
    draft: EvaluationSheet  # zaisei_action, draft, canaries in every text
    final: EvaluationSheet  # shared_action, final (not published), canaries
    draft_plan: Plan
    draft_action: Action


@shared_data
def api_world() -> ApiWorld:
    """Built once for the API tests that follow one another (each runs in its own transaction)."""
    world = make_world()
    cycle = open_year(world)
    published = sheet_of(cycle, world.bousai_action)
    fill(world, published, {"activities": "防災マップを全戸に配布した。", "overall_grade": "A"})
    published = advance(world, published, Stage.PUBLISHED)

    draft = sheet_of(cycle, world.zaisei_action)
    fill(world, draft, {"activities": CANARY + "draft", "department_comment": CANARY})
    final = sheet_of(cycle, world.shared_action)
    fill(world, final, {"activities": CANARY + "final", "improvement_plan": CANARY})
    final = advance(world, final, Stage.FINAL)

    draft_plan = Plan.objects.create(
        name=CANARY + "計画", kind=world.plan.kind, level_names=["大項目"], is_published=False
    )
    node = PlanNode.objects.create(plan=draft_plan, title=CANARY + "節", depth=0)
    draft_action = Action.objects.create(
        plan=draft_plan, node=node, position=0, text=CANARY + "取組"
    )
    return ApiWorld(world, published, draft, final, draft_plan, draft_action)


@pytest.fixture
def token_for():
    """``token_for(user)`` → the secret of a new token of ``user``."""

    def make(user, name="テスト") -> str:
        return api_token_create(user=user, name=name).secret

    return make
