"""Evaluation templates per plan and the staff unit cost: services, staff pages and admin."""

import copy
import json
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from conftest import shared_data
from hoshin.audit.models import AuditEntry
from hoshin.evaluations import defaults
from hoshin.evaluations.forms.template_config import scale_to_text, text_to_scale
from hoshin.evaluations.models import (
    EvaluationSheet,
    EvaluationTemplate,
    SheetRevision,
    StaffUnitCost,
    Stage,
)
from hoshin.evaluations.services.cycle import fiscal_year_start, template_for
from hoshin.evaluations.services.templates import (
    staff_unit_cost_delete,
    staff_unit_cost_set,
    template_reset_to_defaults,
    template_update,
)
from hoshin.evaluations.tests.factories import TODAY, make_user, make_world, open_year, sheet_of
from hoshin.evaluations.tests.stage_helpers import advance, fill
from hoshin.plans.models import PlanNode

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.filterwarnings("ignore:No directory at:UserWarning"),
]


@shared_data
def world():
    """Built once for the tests that follow one another (each runs in its own transaction)."""
    return make_world()


def values_of(template: EvaluationTemplate, **changes) -> dict:
    values = {
        name: copy.deepcopy(getattr(template, name))
        for name in (
            "viewpoints",
            "viewpoint_scale",
            "grades",
            "directions",
            "blocks",
            "progress_statuses",
            "progress_grades",
            "node_depths",
        )
    }
    values.update(changes)
    return values


def errors_of(excinfo) -> dict:
    return excinfo.value.message_dict


# ---- validation ---------------------------------------------------------------------------------


def test_a_new_template_is_a_copy_of_the_defaults(world):
    template = template_for(plan=world.plan)
    assert template.grades == defaults.DEFAULT_GRADES
    assert template.blocks == defaults.DEFAULT_BLOCKS  # a reform plan keeps "progress"


@pytest.mark.parametrize(
    ("field", "items", "message"),
    [
        ("grades", [{"code": "", "label": "A"}], "コードが空です"),
        ("grades", [{"code": "A", "label": ""}], "名称が空です"),
        ("grades", [{"code": "A", "label": "A"}, {"code": "A", "label": "B"}], "重複"),
        ("directions", [{"code": "x", "label": "継続"}, {"code": "y", "label": "継続"}], "重複"),
        ("viewpoints", [{"code": "a.b", "label": "必要性"}], "使えません"),
        ("grades", [{"code": "A", "label": "B"}, {"code": "B", "label": "C"}], "区別できません"),
        ("grades", [{"code": "TOOLONGCODE", "label": "A"}], "長すぎます"),
        ("grades", [], "1件以上"),
        ("progress_grades", [], "1件以上"),
    ],
)
def test_template_update_refuses_bad_scales_naming_the_item(world, field, items, message):
    template = template_for(plan=world.plan)
    with pytest.raises(ValidationError) as excinfo:
        template_update(plan=world.plan, by=world.planner, **values_of(template, **{field: items}))
    assert message in " ".join(errors_of(excinfo)[field])
    template.refresh_from_db()
    assert template.grades == defaults.DEFAULT_GRADES, "nothing half-saved"


def test_a_scale_may_be_empty_when_its_block_is_not_used(world):
    template = template_for(plan=world.plan)
    blocks = [b for b in defaults.DEFAULT_BLOCKS if b != "progress"]
    template_update(
        plan=world.plan,
        by=world.planner,
        **values_of(template, blocks=blocks, progress_statuses=[], progress_grades=[]),
    )
    template.refresh_from_db()
    assert template.progress_grades == [] and "progress" not in template.blocks


def test_unknown_blocks_and_node_depths_outside_the_plan_are_refused(world):
    template = template_for(plan=world.plan)  # the plan has one level (大項目)
    with pytest.raises(ValidationError) as excinfo:
        template_update(
            plan=world.plan,
            by=world.planner,
            **values_of(template, blocks=["purpose", "photos"], node_depths=[0, 3]),
        )
    errors = errors_of(excinfo)
    assert "photos" in errors["blocks"][0]
    assert "1段階" in errors["node_depths"][0] and "3" in errors["node_depths"][0]


def test_only_the_planning_office_may_change_a_template(world):
    template = template_for(plan=world.plan)
    for user in (world.editor, world.head, world.viewer, world.committee):
        with pytest.raises(PermissionDenied):
            template_update(plan=world.plan, by=user, **values_of(template))


# ---- what a change reaches ---------------------------------------------------------------------------


def test_a_change_refreshes_draft_and_returned_sheets_only(world):
    """Submitted, approved, final and published sheets keep the scales they were written with."""
    extra = []
    for number in range(2):  # two more actions of 地域防災対策室: six sheets, six stages
        action = world.plan.actions.create(
            node=world.bousai_action.node, position=10 + number, text=f"取組{number}"
        )
        action.responsibilities.create(department=world.bousai, is_lead=True)
        extra.append(action)
    cycle = open_year(world)
    sheets = [
        sheet_of(cycle, action)
        for action in (
            world.bousai_action,
            world.shared_action,
            *extra,
            world.zaisei_action,
            world.all_action,
        )
    ]
    stages = [
        Stage.DRAFT,
        Stage.RETURNED,
        Stage.SUBMITTED,
        Stage.APPROVED,
        Stage.FINAL,
        Stage.PUBLISHED,
    ]
    by_stage = {}
    for sheet, stage in zip(sheets, stages, strict=True):
        fill(world, sheet)
        by_stage[stage] = advance(world, sheet, stage)
    before = {stage: copy.deepcopy(s.scales) for stage, s in by_stage.items()}

    template = template_for(plan=world.plan)
    grades = [*template.grades, {"code": "E", "label": "E", "meaning": "廃止を検討"}]
    grades[0] = {**grades[0], "label": "Ａ（優）"}
    saved = template_update(plan=world.plan, by=world.planner, **values_of(template, grades=grades))

    assert saved.sheets_refreshed == 2 and saved.changed == ["grades"]
    for stage, sheet in by_stage.items():
        sheet.refresh_from_db()
        if stage in (Stage.DRAFT, Stage.RETURNED):
            assert sheet.scales["grades"] == grades, stage
        else:
            assert sheet.scales == before[stage], f"{stage} must keep its frozen scales"
            assert sheet.scale_label("grades", "A") == "A"
    audit = AuditEntry.objects.filter(verb="template.update").get()
    assert audit.data["sheets_refreshed"] == 2 and audit.actor == world.planner


def test_removing_a_grade_clears_it_on_drafts_with_a_revision_and_a_new_version(world):
    cycle = open_year(world)
    sheet = fill(world, sheet_of(cycle, world.bousai_action))  # grade A, direction 継続
    version = sheet.version
    template = template_for(plan=world.plan)
    grades = [g for g in template.grades if g["code"] != "A"]
    viewpoints = [v for v in template.viewpoints if v["code"] != "priority"]
    saved = template_update(
        plan=world.plan,
        by=world.planner,
        **values_of(template, grades=grades, viewpoints=viewpoints),
    )
    sheet.refresh_from_db()
    assert sheet.overall_grade == "" and "priority" not in sheet.viewpoint_scores
    assert sheet.future_direction == "continue", "values still in their scale stay"
    assert sheet.version == version + 1, "an open form must not overwrite the cleared values"
    revision = SheetRevision.objects.get(sheet=sheet, version=sheet.version)
    assert revision.source == "template"
    assert revision.changes["overall_grade"] == ["A", ""]
    assert revision.changes["viewpoint.priority"] == ["4", ""]
    assert saved.values_cleared == 2


def test_saving_the_same_values_changes_nothing_and_records_nothing(world):
    template = template_for(plan=world.plan)
    saved = template_update(plan=world.plan, by=world.planner, **values_of(template))
    assert saved.changed == [] and not AuditEntry.objects.filter(verb="template.update").exists()


def test_reset_to_defaults_restores_the_default_lists(world):
    template = template_for(plan=world.plan)
    template_update(
        plan=world.plan,
        by=world.planner,
        **values_of(template, grades=[{"code": "S", "label": "S", "meaning": ""}], node_depths=[0]),
    )
    template_reset_to_defaults(plan=world.plan, by=world.planner)
    template.refresh_from_db()
    assert template.grades == defaults.DEFAULT_GRADES and template.node_depths == []


def test_node_depths_make_the_next_year_open_node_sheets(world):
    template = template_for(plan=world.plan)
    template_update(plan=world.plan, by=world.planner, **values_of(template, node_depths=[0]))
    cycle = open_year(world)
    node = PlanNode.objects.get(plan=world.plan)
    assert EvaluationSheet.objects.filter(cycle=cycle, node=node).exists()


# ---- the staff page ---------------------------------------------------------------------------------


def client_for(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.mark.parametrize(
    ("who", "outcome"),
    [
        ("planner", 200),
        ("sysadmin", 200),
        ("editor", 403),
        ("head", 403),
        ("viewer", 403),
        ("other_editor", 403),
        (None, "login"),
    ],
)
def test_template_pages_permission_matrix(world, who, outcome):
    users = {
        "planner": world.planner,
        "editor": world.editor,
        "head": world.head,
        "viewer": world.viewer,
        "other_editor": world.other_editor,
        "sysadmin": make_user("sysadmin", role="admin"),
        None: None,
    }
    client = client_for(users[who])
    urls = [
        ("get", reverse("evaluations:template_config", args=[world.plan.pk])),
        ("post", reverse("evaluations:template_config", args=[world.plan.pk])),
        ("post", reverse("evaluations:template_reset", args=[world.plan.pk])),
        ("get", reverse("evaluations:unit_costs")),
        ("post", reverse("evaluations:unit_costs")),
    ]
    for method, url in urls:
        response = getattr(client, method)(url, {})
        if outcome == "login":
            assert response.status_code == 302 and "/staff/login/" in response.url, url
        elif outcome == 403:
            assert response.status_code == 403, (method, url)
        else:
            assert response.status_code in (200, 302), (method, url)


def form_data(template: EvaluationTemplate, **changes) -> dict:
    data = {
        "viewpoints": scale_to_text(template.viewpoints),
        "viewpoint_scale": scale_to_text(template.viewpoint_scale),
        "grades": scale_to_text(template.grades),
        "directions": scale_to_text(template.directions),
        "progress_statuses": scale_to_text(template.progress_statuses),
        "progress_grades": scale_to_text(template.progress_grades),
        "blocks": list(template.blocks),
    }
    data.update(changes)
    return data


def test_the_form_shows_one_textarea_per_scale_and_saves_a_change(world):
    template = template_for(plan=world.plan)
    client = client_for(world.planner)
    url = reverse("evaluations:template_config", args=[world.plan.pk])
    html = client.get(url).content.decode()
    assert "A|A|順調に成果が上がっている" in html
    assert "expand|拡充" in html
    assert 'type="checkbox" name="blocks" value="progress"' in html
    assert "大項目（1段目）" in html
    text = scale_to_text(template.grades) + "\nE|E|廃止を検討"
    response = client.post(url, form_data(template, grades=text, node_depths=["0"]), follow=True)
    assert "様式を保存しました" in response.content.decode()
    template.refresh_from_db()
    assert template.grades[-1] == {"code": "E", "label": "E", "meaning": "廃止を検討"}
    assert template.node_depths == [0]


def test_a_wrong_scale_is_reported_at_its_field_and_nothing_is_saved(world):
    template = template_for(plan=world.plan)
    client = client_for(world.planner)
    url = reverse("evaluations:template_config", args=[world.plan.pk])
    response = client.post(url, form_data(template, grades="A|優\nA|良"))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'id="id_grades_errors"' in html
    assert "2件目: コード「A」が1件目と重複しています。" in html
    assert (
        'aria-invalid="true"' in html
        and 'aria-describedby="id_grades_helptext id_grades_errors"' in html
    )
    template.refresh_from_db()
    assert template.grades == defaults.DEFAULT_GRADES


def test_text_to_scale_reads_code_label_meaning_and_a_label_alone():
    assert text_to_scale("A|A|良い\n\n継続\nx｜名前") == [
        {"code": "A", "label": "A", "meaning": "良い"},
        {"code": "継続", "label": "継続", "meaning": ""},
        {"code": "x", "label": "名前", "meaning": ""},
    ]
    assert text_to_scale(scale_to_text(defaults.DEFAULT_GRADES)) == defaults.DEFAULT_GRADES


def test_reset_view_needs_post(world):
    client = client_for(world.planner)
    assert (
        client.get(reverse("evaluations:template_reset", args=[world.plan.pk])).status_code == 405
    )


# ---- staff unit cost -----------------------------------------------------------------------------


def test_unit_cost_is_set_in_either_year_form_and_audited(world):
    client = client_for(world.planner)
    response = client.post(
        reverse("evaluations:unit_costs"), {"fy": "令和7年度", "amount": "８，０００"}, follow=True
    )
    assert "令和7年度（2025年度）の人件費単価を8,000千円にしました。" in response.content.decode()
    assert StaffUnitCost.objects.get(fy=2025).amount == Decimal(8000)
    assert AuditEntry.objects.filter(verb="unit_cost.set").count() == 1


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"fy": "平成40年度", "amount": "8000"}, "fy", "平成"),
        ({"fy": "2025", "amount": "-1"}, "amount", "負の値"),
        ({"fy": "2025", "amount": "8000.5"}, "amount", "整数"),
        ({"fy": "2025", "amount": "abc"}, "amount", "数値ではありません"),
    ],
)
def test_unit_cost_errors_are_shown_at_the_field(world, data, field, message):
    response = client_for(world.planner).post(reverse("evaluations:unit_costs"), data)
    html = response.content.decode()
    assert response.status_code == 200 and f'id="id_{field}_errors"' in html
    assert message in html
    assert not StaffUnitCost.objects.exists()


def test_a_published_years_unit_cost_cannot_change(world):
    staff_unit_cost_set(fy=2025, amount="8000", by=world.planner)
    cycle = open_year(world)
    sheet = fill(world, sheet_of(cycle, world.bousai_action))
    advance(world, sheet, Stage.PUBLISHED)
    with pytest.raises(ValidationError) as excinfo:
        staff_unit_cost_set(fy=2025, amount="9000", by=world.planner)
    assert "公表済み" in errors_of(excinfo)["amount"][0]
    staff_unit_cost_set(fy=2025, amount="8,000", by=world.planner)  # the same value is fine
    with pytest.raises(ValidationError):
        staff_unit_cost_delete(unit_cost=StaffUnitCost.objects.get(fy=2025), by=world.planner)
    # Setting next year's missing unit cost is allowed; once set, it prices the published
    # sheet's next year's budget (evaluations.figures), so it is locked like this year's.
    staff_unit_cost_set(fy=2026, amount="8100", by=world.planner)
    with pytest.raises(ValidationError) as excinfo:
        staff_unit_cost_set(fy=2026, amount="8200", by=world.planner)
    assert "令和7年度（2025年度）の評価結果を公表済み" in errors_of(excinfo)["amount"][0]
    with pytest.raises(ValidationError):
        staff_unit_cost_delete(unit_cost=StaffUnitCost.objects.get(fy=2026), by=world.planner)
    staff_unit_cost_set(fy=2027, amount="8100", by=world.planner)
    staff_unit_cost_set(fy=2027, amount="8200", by=world.planner)  # nothing uses it: may change
    assert StaffUnitCost.objects.get(fy=2027).amount == 8200
    with pytest.raises(PermissionDenied):
        staff_unit_cost_set(fy=2028, amount="8000", by=world.editor)


# ---- admin ---------------------------------------------------------------------------------------------


@pytest.fixture
def admin_client(client):
    root = make_user("root")
    root.is_staff = root.is_superuser = True
    root.save()
    client.force_login(root)
    return client


def test_admin_lists_every_evaluation_model(admin_client, world):
    cycle = open_year(world)
    sheet = fill(world, sheet_of(cycle, world.bousai_action))
    advance(world, sheet, Stage.RETURNED, comment="根拠を確認")
    for model in (
        "evaluationtemplate",
        "staffunitcost",
        "evaluationcycle",
        "evaluationsheet",
        "sheettransition",
        "sheetrevision",
        "sheetcomment",
        "reminderlog",
        "sheetupload",
    ):
        response = admin_client.get(reverse(f"admin:evaluations_{model}_changelist"))
        assert response.status_code == 200, model
    response = admin_client.get(
        reverse("admin:evaluations_evaluationsheet_change", args=[sheet.pk])
    )
    assert response.status_code == 200 and "根拠を確認" in response.content.decode()


def test_admin_template_change_goes_through_the_service(admin_client, world):
    template = template_for(plan=world.plan)
    url = reverse("admin:evaluations_evaluationtemplate_change", args=[template.pk])
    data = {
        name: json.dumps(value, ensure_ascii=False) for name, value in values_of(template).items()
    }
    data["grades"] = json.dumps([{"code": "A", "label": "A"}, {"code": "A", "label": "B"}])
    response = admin_client.post(url, data)
    assert response.status_code == 200 and "重複" in response.content.decode()
    data["grades"] = json.dumps([{"code": "A", "label": "A", "meaning": "良い"}])
    response = admin_client.post(url, data)
    assert response.status_code == 302
    template.refresh_from_db()
    assert template.grades == [{"code": "A", "label": "A", "meaning": "良い"}]
    assert AuditEntry.objects.filter(verb="template.update").exists()


def test_admin_unit_cost_and_publish_action_use_the_services(admin_client, world):
    response = admin_client.post(
        reverse("admin:evaluations_staffunitcost_add"), {"fy": "2025", "amount": "8000"}
    )
    assert response.status_code == 302
    assert AuditEntry.objects.filter(verb="unit_cost.set").exists()
    cycle = open_year(world)
    sheet = advance(world, fill(world, sheet_of(cycle, world.bousai_action)), Stage.FINAL)
    response = admin_client.post(
        reverse("admin:evaluations_evaluationsheet_changelist"),
        {"action": "publish", "index": "0", "_selected_action": [sheet.pk]},
    )
    assert response.status_code == 302
    sheet.refresh_from_db()
    assert sheet.stage == Stage.PUBLISHED and sheet.transitions.last().to_stage == Stage.PUBLISHED


def test_fiscal_year_start_uses_the_template_at_that_time(world):
    template = template_for(plan=world.plan)
    template_update(
        plan=world.plan,
        by=world.planner,
        **values_of(template, directions=[{"code": "keep", "label": "現状維持", "meaning": ""}]),
    )
    cycle = fiscal_year_start(plan=world.plan, fy=2025, by=world.planner, today=TODAY).cycle
    assert sheet_of(cycle, world.bousai_action).scales["directions"][0]["label"] == "現状維持"
