"""manage.py seed_demo_evaluations on the imported reform seed: a realistic, reproducible history."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db.models import F
from django.test import override_settings

from conftest import REFORM_SEED, shared_data
from hoshin.audit.models import AuditEntry
from hoshin.evaluations.models import (
    EvaluationCycle,
    EvaluationSheet,
    Indicator,
    SheetRevision,
    SheetTransition,
    StaffUnitCost,
    Stage,
)
from hoshin.plans.formats.detect import parse_plan_file
from hoshin.plans.models import Action, Plan
from hoshin.plans.services import plan_import

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.filterwarnings("ignore:No directory at:UserWarning"),
]

REFORM_PLAN = "第6次行財政改革大綱に基づく実施計画"


def run(name: str, *args) -> str:
    out = StringIO()
    call_command(name, *args, stdout=out)
    return out.getvalue()


@shared_data
def seeded_demo() -> Plan:
    """The reform seed imported and published, the demo users, and the demo evaluations.

    Built once for the tests below (about 15 s); each test runs in its own transaction.
    """
    parsed = parse_plan_file(REFORM_SEED.read_bytes(), REFORM_SEED.name)
    plan_import(parsed=parsed, name=REFORM_PLAN, create_departments=True, publish=True)
    with override_settings(DEBUG=True):  # create_demo_users refuses to run on a production server
        run("create_demo_users")
    output = run("seed_demo_evaluations")
    assert "評価データを作成しました" in output
    return Plan.objects.get(name=REFORM_PLAN)


@pytest.fixture
def demo(settings, seeded_demo) -> Plan:
    settings.DEBUG = True  # as when the demo is built in the test itself
    return seeded_demo


def fingerprint(plan: Plan) -> list[tuple]:
    """What the demo holds, sorted in Python: the same whatever order the database returns.

    (Ordering the queries is not enough: sheets of nodes share a null action, and PostgreSQL
    returns ties in any order.) ``repr`` sorts rows that hold None next to Decimals.
    """
    sheets = EvaluationSheet.objects.filter(cycle__plan=plan).values_list(
        "cycle__fy", "action__text", "node_id", "stage", "overall_grade", "future_direction"
    )
    indicators = Indicator.objects.filter(sheet__cycle__plan=plan).values_list(
        "sheet__cycle__fy",
        "sheet__action__text",
        "sheet__node_id",
        "position",
        "name",
        "baseline",
        "target",
        "actual",
    )
    return sorted(sheets, key=repr) + sorted(indicators, key=repr)


def test_it_needs_the_plan_and_the_demo_users(settings, db):
    with pytest.raises(CommandError, match="import_plan"):
        run("seed_demo_evaluations")
    Plan.objects.create(name=REFORM_PLAN, kind="reform", is_published=True)
    with pytest.raises(CommandError, match="create_demo_users"):
        run("seed_demo_evaluations")


def test_fy2024_is_fully_published_and_fy2025_has_every_stage(demo):
    actions = Action.objects.filter(plan=demo).count()
    first = EvaluationCycle.objects.get(plan=demo, fy=2024)
    second = EvaluationCycle.objects.get(plan=demo, fy=2025)
    assert first.sheets.count() == actions == second.sheets.count()
    assert set(first.sheets.values_list("stage", flat=True)) == {Stage.PUBLISHED}
    stages = list(second.sheets.values_list("stage", flat=True))
    assert set(stages) == set(Stage.values), "every stage is in the FY2025 demo"
    assert stages.count(Stage.PUBLISHED) > len(stages) / 2, "most sheets are published"
    assert second.sheets.filter(previous__isnull=False).count() == actions, "carried over"
    assert [
        (fy, int(amount)) for fy, amount in StaffUnitCost.objects.values_list("fy", "amount")
    ] == [(2026, 8100), (2025, 8000), (2024, 7900)]


def test_it_went_through_the_services_so_history_exists(demo):
    returned = EvaluationSheet.objects.filter(cycle__plan=demo, stage=Stage.RETURNED)
    for sheet in returned:
        last = sheet.transitions.order_by("at", "id").last()
        assert last.to_stage == Stage.RETURNED and last.comment.strip()
    published = EvaluationSheet.objects.published().filter(cycle__plan=demo)
    assert published.exclude(review_comment="").count() == published.count()
    assert SheetRevision.objects.filter(sheet__cycle__plan=demo).count() >= published.count()
    assert SheetTransition.objects.filter(
        sheet__cycle__plan=demo, to_stage=Stage.PUBLISHED
    ).exists()
    assert AuditEntry.objects.filter(verb="cycle.start").count() == 2


def test_content_is_realistic(demo):
    sheets = EvaluationSheet.objects.filter(cycle__plan=demo, cycle__fy=2024)
    assert not sheets.filter(purpose_intent="").exists()
    assert not sheets.filter(purpose_means="").exists()
    hazard = sheets.get(action__text__contains="ハザードマップ")
    assert hazard.purpose_intent.startswith("市民一人一人が水害の危険箇所を認識し")
    assert "災害対策基本法" in hazard.legal_basis
    units = set(Indicator.objects.filter(sheet__cycle__plan=demo).values_list("unit", flat=True))
    assert {"回", "人", "%", "件"} <= units
    published = Indicator.objects.filter(sheet__in=EvaluationSheet.objects.published())
    assert published.filter(target=F("baseline")).exists(), "a maintenance target"
    assert published.filter(actual__isnull=True).exists(), "a missing actual"
    grades = set(sheets.values_list("overall_grade", flat=True))
    directions = set(sheets.values_list("future_direction", flat=True))
    assert len(grades) >= 3 and len(directions) >= 2
    assert sheets.filter(effect_revenue__lt=0).exists(), "a negative effect (△)"
    assert (
        sheets.filter(costs__national__gt=0).exists()
        and sheets.filter(costs__municipal_bonds__gt=0).exists()
    )
    assert sheets.filter(unit_cost_indicator__isnull=False).exists()


def test_each_demo_user_has_something_to_do(demo):
    second = EvaluationSheet.objects.filter(cycle__plan=demo, cycle__fy=2025)
    ours = second.filter(department__name="地域防災対策室")
    assert ours.filter(stage=Stage.DRAFT).exists()  # demo-editor fills and submits
    assert ours.filter(stage=Stage.SUBMITTED).exists()  # demo-head approves
    assert second.filter(stage=Stage.APPROVED).exists()  # demo-planning reviews
    assert second.filter(stage=Stage.FINAL).exists()  # … and publishes


def test_it_is_idempotent_and_reproducible(demo):
    before = fingerprint(demo)
    counts = (
        SheetRevision.objects.count(),
        SheetTransition.objects.count(),
        AuditEntry.objects.count(),
    )
    assert "作成済み" in run("seed_demo_evaluations")
    assert fingerprint(demo) == before
    assert (
        SheetRevision.objects.count(),
        SheetTransition.objects.count(),
        AuditEntry.objects.count(),
    ) == counts
    # From scratch again: the fixed seed gives the same history.
    EvaluationCycle.objects.filter(plan=demo).delete()
    run("seed_demo_evaluations")
    assert fingerprint(demo) == before


def test_the_hazard_map_action_page_shows_its_published_results(client, demo):
    action = Action.objects.get(plan=demo, text__contains="ハザードマップ")
    html = client.get(action.get_absolute_url()).content.decode()
    assert "令和7年度（2025年度）の評価結果" in html
    assert "令和6年度（2024年度）の評価結果" in html
    assert "ハザードマップ出前講座・説明会の開催回数" in html
    assert 'role="img" aria-labelledby="chart-1-title chart-1-desc"' in html
    assert "実績値がありません" in html  # the survey runs every other year
    plan_html = client.get(demo.get_absolute_url()).content.decode()
    assert "評価結果の概要（令和7年度（2025年度））" in plan_html
