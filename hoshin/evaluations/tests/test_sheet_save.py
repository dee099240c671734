"""Saving a sheet: concurrent edits, bad values at their field, the history and frozen scales."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from conftest import shared_data
from hoshin.evaluations.models import (
    EvaluationSheet,
    EvaluationTemplate,
    SheetRevision,
    StaffUnitCost,
    Stage,
)
from hoshin.evaluations.services.cycle import fiscal_year_start
from hoshin.evaluations.services.errors import (
    SheetConflictError,
    SheetPermissionError,
    SheetValidationError,
)
from hoshin.evaluations.services.sheets import indicator_add, indicator_remove, sheet_update
from hoshin.evaluations.services.workflow import sheet_transition
from hoshin.evaluations.tests.factories import (
    COMPLETE_VALUES,
    TODAY,
    make_user,
    make_world,
    open_year,
    sheet_of,
)
from hoshin.lib.fiscal import fiscal_year_of
from hoshin.org.models import Role

pytestmark = pytest.mark.django_db


def sheet_url(name, sheet):
    return reverse(f"evaluations:{name}", args=[sheet.pk])


@shared_data
def world():
    """Built once for the tests that follow one another (each runs in its own transaction)."""
    return make_world()


@shared_data(world)
def sheet(world):
    return sheet_of(open_year(world), world.bousai_action)


@pytest.fixture
def second_editor(world):
    return make_user("editor2", role=Role.DEPARTMENT_EDITOR, department=world.bousai)


def snapshot(sheet):
    """Everything a save could change, to prove a refused save changed nothing."""
    sheet = EvaluationSheet.objects.get(pk=sheet.pk)
    return (
        sheet.version,
        {f.name: getattr(sheet, f.name) for f in EvaluationSheet._meta.concrete_fields},
        list(sheet.indicators.values()),
        list(sheet.costs.values()),
        SheetRevision.objects.filter(sheet=sheet).count(),
    )


# ---- two people, one sheet -------------------------------------------------------------------


def test_second_save_from_a_stale_version_is_refused_with_the_first_users_changes(
    world, sheet, second_editor
):
    loaded = sheet.version  # both load version N
    sheet_update(
        sheet=sheet,
        by=world.editor,
        raw={"purpose_target": "市民と事業者"},
        expected_version=loaded,
    )
    before = snapshot(sheet)
    with pytest.raises(SheetConflictError) as caught:
        sheet_update(
            sheet=sheet,
            by=second_editor,
            raw={"purpose_intent": "避難できる", "purpose_target": "市民"},
            expected_version=loaded,
        )
    error = caught.value
    assert error.current_version == loaded + 1
    assert [(r.by, r.changes) for r in error.revisions] == [
        (world.editor, {"purpose_target": ["", "市民と事業者"]})
    ]
    assert "editor" in str(error)
    assert snapshot(sheet) == before
    sheet.refresh_from_db()
    assert sheet.purpose_target == "市民と事業者" and sheet.purpose_intent == ""


def full_form(sheet) -> dict:
    """What the browser posts: every field of the form as rendered, plus the version."""
    from hoshin.evaluations.views.workspace_data import SheetData
    from hoshin.evaluations.views.workspace_layout import build_layout

    layout = build_layout(SheetData.load(sheet))
    data = {"version": str(sheet.version)}
    for path, item in layout.by_path.items():
        if item.widget == "radio" and not item.value:
            continue  # an unchecked radio group is not posted
        data[path] = item.value
    return data


def test_conflict_through_the_form_shows_the_changes_and_keeps_the_typed_values(
    client, world, sheet, second_editor
):
    form_of_second = full_form(sheet)  # loaded before the first user saves
    sheet_update(
        sheet=sheet,
        by=world.editor,
        raw={"purpose_target": "市民と事業者", "overall_grade": "B"},
        expected_version=sheet.version,
    )
    client.force_login(second_editor)
    form_of_second["purpose_intent"] = "誰もが安全に避難できる"
    response = client.post(sheet_url("sheet_save", sheet), form_of_second)
    assert response.status_code == 409
    page = response.content.decode()
    assert "保存していません：このシートは他の職員が先に更新しました" in page
    # What the other person changed: field label, old → new, who.
    assert "対象（誰・何を）" in page and "市民と事業者" in page and "総合評価" in page
    assert "<td>editor</td>" in page
    # The user's own typing is kept; the fields they did not touch show the newer values.
    assert ">誰もが安全に避難できる</textarea>" in page
    assert ">市民と事業者</textarea>" in page
    assert 'id="f-overall-grade-conflict"' in page
    sheet.refresh_from_db()
    assert sheet.purpose_intent == "" and sheet.version == 2
    # Saving the page as shown again applies their change without undoing the other's.
    resubmit = full_form(sheet)
    resubmit["purpose_intent"] = "誰もが安全に避難できる"
    assert client.post(sheet_url("sheet_save", sheet), resubmit).status_code == 302
    sheet.refresh_from_db()
    assert (sheet.purpose_target, sheet.purpose_intent, sheet.overall_grade) == (
        "市民と事業者",
        "誰もが安全に避難できる",
        "B",
    )
    assert sheet.revisions.first().by == second_editor


def test_conflict_through_save_as_you_go_answers_409_with_the_changes(
    client, world, sheet, second_editor
):
    sheet_update(sheet=sheet, by=world.editor, raw={"activities": "説明会"}, expected_version=1)
    client.force_login(second_editor)
    response = client.post(
        sheet_url("sheet_autosave", sheet), {"version": "1", "activities": "配布"}
    )
    assert response.status_code == 409
    data = response.json()
    assert data["version"] == 2
    assert data["changes"][0]["label"] == "今年度の取組内容"
    assert data["changes"][0]["new"] == "説明会" and data["changes"][0]["who"] == "editor"
    sheet.refresh_from_db()
    assert sheet.activities == "説明会"


# ---- bad values, each at its field, nothing saved ------------------------------------------


def with_indicator(world, sheet, *, unit="件"):
    indicator = indicator_add(
        sheet=sheet, by=world.editor, name="説明会の参加者数", unit=unit, expected_version=1
    )
    sheet.refresh_from_db()
    return indicator


BAD_VALUES = [
    ("non-numeric money", "cost.actual.general", "千二百", "数値ではありません"),
    ("negative money", "cost.budget.national", "-5", "負の値は入力できません"),
    ("negative money with △", "cost.budget.other", "△5", "負の値は入力できません"),
    ("fractional money", "cost.next_budget.general", "12.5", "整数"),
    ("negative effect is fine, text is not", "effect_savings", "約千円", "数値ではありません"),
    ("score outside the scale", "viewpoint.necessity", "5", "評価の視点の区分にありません"),
    ("grade not in the template", "overall_grade", "E", "総合評価の区分にありません"),
    ("direction not in the template", "future_direction", "拡大", "今後の方向性の区分にありません"),
    ("text over max length", "legal_basis", "法" * 301, "上限300文字"),
]


@pytest.mark.parametrize(
    ("case", "path", "raw", "message"), BAD_VALUES, ids=[c[0] for c in BAD_VALUES]
)
def test_bad_value_is_refused_at_its_field_through_the_service(
    world, sheet, case, path, raw, message
):
    before = snapshot(sheet)
    with pytest.raises(SheetValidationError) as caught:
        sheet_update(
            sheet=sheet,
            by=world.editor,
            raw={"purpose_target": "市民", path: raw},
            expected_version=1,
            today=TODAY,
        )
    assert message in caught.value.errors[path]
    assert list(caught.value.errors) == [path]
    assert snapshot(sheet) == before


def assert_error_at_field(response, path, message):
    assert response.status_code == 400
    page = response.content.decode()
    field_id = "f-" + path.replace(".", "-").replace("_", "-")
    error_id = f"{field_id}-error"
    assert f'<p class="field-error" id="{error_id}">' in page
    error_at = page.index(f'id="{error_id}"')
    assert message in page[error_at : error_at + 400]
    # The input (or the radio group's fieldset) points at its message and is marked invalid.
    if path.startswith("viewpoint.") or path in ("overall_grade", "future_direction"):
        assert f'id="{field_id}" data-path="{path}" aria-describedby="{error_id}' in page
        assert f'name="{path}" id="{field_id}-1"' in page and 'aria-invalid="true"' in page
    else:
        tag_at = page.index(f'id="{field_id}" name="{path}"')
        tag = page[tag_at : page.index(">", tag_at)]
        assert f'aria-describedby="{error_id}' in tag and 'aria-invalid="true"' in tag
    # … and the summary at the top links to it.
    assert f'href="#{field_id}' in page


@pytest.mark.parametrize(
    ("case", "path", "raw", "message"), BAD_VALUES, ids=[c[0] for c in BAD_VALUES]
)
def test_bad_value_is_refused_at_its_field_through_the_form(
    client, world, sheet, case, path, raw, message
):
    before = snapshot(sheet)
    client.force_login(world.editor)
    response = client.post(
        sheet_url("sheet_save", sheet), {"version": "1", "purpose_target": "市民", path: raw}
    )
    assert_error_at_field(response, path, message)
    assert snapshot(sheet) == before
    # The typed values stay in the form, the wrong one included.
    page = response.content.decode()
    assert ">市民</textarea>" in page


def test_effect_amounts_accept_triangle_minus(world, sheet, client):
    sheet_update(
        sheet=sheet,
        by=world.editor,
        raw={"effect_savings": "△1,200", "effect_revenue": "３，４００"},
        expected_version=1,
    )
    sheet.refresh_from_db()
    assert sheet.effect_savings == Decimal(-1200) and sheet.effect_revenue == Decimal(3400)
    client.force_login(world.editor)
    page = client.get(sheet_url("sheet", sheet)).content.decode()
    assert 'value="△1,200"' in page and 'value="3,400"' in page


def test_actual_without_target_is_refused(world, sheet, client):
    indicator = with_indicator(world, sheet)
    path = f"indicator.{indicator.pk}.actual"
    before = snapshot(sheet)
    with pytest.raises(SheetValidationError) as caught:
        sheet_update(sheet=sheet, by=world.editor, raw={path: "120"}, expected_version=2)
    assert "目標値のない指標に実績値は入力できません" in caught.value.errors[path]
    client.force_login(world.editor)
    response = client.post(sheet_url("sheet_save", sheet), {"version": "2", path: "120"})
    assert_error_at_field(response, path, "目標値のない指標に実績値は入力できません")
    assert snapshot(sheet) == before


def test_percent_indicator_over_100_is_refused(world, sheet, client):
    indicator = with_indicator(world, sheet, unit="％")
    path = f"indicator.{indicator.pk}.target"
    before = snapshot(sheet)
    with pytest.raises(SheetValidationError) as caught:
        sheet_update(sheet=sheet, by=world.editor, raw={path: "120"}, expected_version=2)
    assert "0から100の範囲" in caught.value.errors[path]
    client.force_login(world.editor)
    response = client.post(sheet_url("sheet_save", sheet), {"version": "2", path: "120"})
    assert_error_at_field(response, path, "0から100の範囲")
    assert snapshot(sheet) == before


def test_actual_in_a_year_not_yet_started_is_refused(world, client):
    open_year(world, 2025)
    next_year = sheet_of(open_year(world, 2026), world.bousai_action)  # TODAY is in FY2025
    indicator = with_indicator(world, next_year)
    path = f"indicator.{indicator.pk}.actual"
    raw = {f"indicator.{indicator.pk}.target": "10", path: "5"}
    before = snapshot(next_year)
    with pytest.raises(SheetValidationError) as caught:
        sheet_update(sheet=next_year, by=world.editor, raw=raw, expected_version=2, today=TODAY)
    assert "まだ始まっていない年度の実績値" in caught.value.errors[path]
    with pytest.raises(SheetValidationError) as caught:
        sheet_update(
            sheet=next_year,
            by=world.editor,
            raw={"cost.actual.general": "100"},
            expected_version=2,
            today=TODAY,
        )
    assert "まだ始まっていない年度の決算額" in caught.value.errors["cost.actual.general"]
    assert snapshot(next_year) == before


def test_actual_in_a_future_year_is_refused_through_the_form(world, client):
    """The page uses the real date: open the year after the current one."""
    today = datetime.date.today()
    future_fy = fiscal_year_of(today) + 1
    cycle = fiscal_year_start(plan=world.plan, fy=future_fy, by=world.planner, today=today).cycle
    sheet = sheet_of(cycle, world.bousai_action)
    indicator = with_indicator(world, sheet)
    path = f"indicator.{indicator.pk}.actual"
    before = snapshot(sheet)
    client.force_login(world.editor)
    response = client.post(
        sheet_url("sheet_save", sheet),
        {"version": "2", f"indicator.{indicator.pk}.target": "10", path: "5"},
    )
    assert_error_at_field(response, path, "まだ始まっていない年度の実績値")
    assert snapshot(sheet) == before


def test_several_bad_values_are_all_reported_and_nothing_is_saved(world, sheet, client):
    client.force_login(world.editor)
    before = snapshot(sheet)
    response = client.post(
        sheet_url("sheet_save", sheet),
        {
            "version": "1",
            "purpose_target": "市民",
            "overall_grade": "Z",
            "cost.actual.general": "abc",
        },
    )
    assert_error_at_field(response, "overall_grade", "総合評価の区分にありません")
    assert_error_at_field(response, "cost.actual.general", "数値ではありません")
    assert snapshot(sheet) == before


def test_save_as_you_go_reports_errors_by_path_and_saves_nothing(world, sheet, client):
    client.force_login(world.editor)
    before = snapshot(sheet)
    response = client.post(
        sheet_url("sheet_autosave", sheet),
        {"version": "1", "activities": "説明会", "viewpoint.priority": "9"},
    )
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["viewpoint.priority"]
    assert snapshot(sheet) == before


def test_save_as_you_go_saves_and_returns_version_and_computed_values(world, sheet, client):
    indicator = with_indicator(world, sheet)
    StaffUnitCost.objects.create(fy=2025, amount=Decimal(8000))
    client.force_login(world.editor)
    prefix = f"indicator.{indicator.pk}"
    response = client.post(
        sheet_url("sheet_autosave", sheet),
        {
            "version": "2",
            f"{prefix}.baseline": "100",
            f"{prefix}.target": "100",
            "cost.actual.general": "1,200",
            "cost.actual.person_years": "0.5",
        },
    )
    assert response.status_code == 200
    data = response.json()
    assert data["version"] == 3 and data["message"] == "保存しました"
    assert data["computed"]["c-cost-actual-staff"] == "4,000"
    assert data["computed"]["c-cost-actual-total"] == "5,200"
    assert data["computed"][f"c-indicator-{indicator.pk}-progress"] == "－"
    # A target equal to its baseline is allowed, with a warning at the target.
    assert "維持目標" in data["warnings"][f"{prefix}.target"]
    assert SheetRevision.objects.get(sheet=sheet, version=3).source == "autosave"


def test_warning_is_shown_at_the_field_after_saving(world, sheet, client):
    indicator = with_indicator(world, sheet)
    client.force_login(world.editor)
    prefix = f"indicator.{indicator.pk}"
    response = client.post(
        sheet_url("sheet_save", sheet),
        {"version": "2", f"{prefix}.baseline": "50", f"{prefix}.target": "50"},
        follow=True,
    )
    page = response.content.decode()
    warning_id = f"f-indicator-{indicator.pk}-target-warning"
    assert f'id="{warning_id}"' in page and "維持目標" in page
    assert f'aria-describedby="{warning_id}' in page


@pytest.mark.parametrize("role", ["head", "planner", "viewer", "other_editor"])
def test_only_the_departments_editor_may_save_a_draft(world, sheet, client, role):
    before = snapshot(sheet)
    client.force_login(getattr(world, role))
    for name in ("sheet_save", "sheet_autosave"):
        response = client.post(sheet_url(name, sheet), {"version": "1", "activities": "x"})
        assert response.status_code == (404 if role == "other_editor" else 403)
    with pytest.raises(SheetPermissionError):
        sheet_update(
            sheet=sheet, by=getattr(world, role), raw={"activities": "x"}, expected_version=1
        )
    assert snapshot(sheet) == before


def test_anonymous_save_goes_to_the_login_page(world, sheet, client):
    response = client.post(sheet_url("sheet_save", sheet), {"version": "1", "activities": "x"})
    assert response.status_code == 302 and "/staff/login/" in response["Location"]
    assert client.get(sheet_url("sheet_save", sheet)).status_code == 405


def test_a_submitted_sheet_can_no_longer_be_edited(world, sheet, client):
    sheet_update(sheet=sheet, by=world.editor, raw=COMPLETE_VALUES, expected_version=1)
    sheet_transition(sheet=sheet, by=world.editor, name="submit")
    client.force_login(world.editor)
    page = client.get(sheet_url("sheet", sheet)).content.decode()
    assert 'id="sheet-form"' not in page
    response = client.post(sheet_url("sheet_save", sheet), {"version": "2", "activities": "x"})
    assert response.status_code == 403


# ---- the history --------------------------------------------------------------------------


def test_each_save_is_a_revision_with_old_and_new_values(world, sheet, client):
    sheet_update(
        sheet=sheet,
        by=world.editor,
        raw={"overall_grade": "B", "cost.budget.general": "1200", "delivery_method": "委託"},
        expected_version=1,
    )
    sheet_update(sheet=sheet, by=world.editor, raw={"overall_grade": "A"}, expected_version=2)
    revisions = list(sheet.revisions.order_by("version"))
    assert [r.version for r in revisions] == [2, 3]
    assert revisions[0].changes == {
        "overall_grade": ["", "B"],
        "cost.budget.general": ["0", "1200"],
        "delivery_method": ["", "outsourced"],
    }
    assert revisions[1].changes == {"overall_grade": ["B", "A"]}
    client.force_login(world.head)  # anyone who may see the sheet may read its history
    page = client.get(sheet_url("sheet_history", sheet)).content.decode()
    assert "第3版" in page and "第2版" in page
    assert "当年度予算：一般財源" in page and "1,200" in page
    assert "実施方法" in page and "委託" in page  # labels, not codes
    assert "outsourced" not in page
    assert page.index("第3版") < page.index("第2版")  # newest first


def test_indicator_add_and_remove_are_readable_in_the_history(world, sheet, client):
    client.force_login(world.editor)
    response = client.post(
        sheet_url("indicator_add", sheet),
        {
            "indicator-name": "配布部数",
            "indicator-unit": "部",
            "indicator-kind": "activity",
            "indicator-version": "1",
        },
    )
    assert response.status_code == 302
    indicator = sheet.indicators.get()
    assert indicator.kind == "activity" and indicator.unit == "部"
    sheet_update(
        sheet=sheet,
        by=world.editor,
        raw={f"indicator.{indicator.pk}.target": "5000"},
        expected_version=2,
    )
    response = client.post(
        reverse("evaluations:indicator_remove", args=[sheet.pk, indicator.pk]), {"version": "3"}
    )
    assert response.status_code == 302
    assert not sheet.indicators.exists()
    page = client.get(sheet_url("sheet_history", sheet)).content.decode()
    assert "指標を追加" in page and "指標を削除" in page
    assert "配布部数（単位 部、目標値 5,000）" in page
    assert "削除された指標：目標値" in page


def test_indicator_add_with_a_stale_version_is_refused(world, sheet, client):
    sheet_update(sheet=sheet, by=world.editor, raw={"activities": "説明会"}, expected_version=1)
    client.force_login(world.editor)
    response = client.post(
        sheet_url("indicator_add", sheet),
        {"indicator-name": "配布部数", "indicator-kind": "outcome", "indicator-version": "1"},
    )
    assert response.status_code == 400
    assert "更新しました" in response.content.decode()
    assert not sheet.indicators.exists()
    with pytest.raises(SheetConflictError):
        indicator_remove(
            indicator=indicator_add(sheet=sheet, by=world.editor, name="x", expected_version=2),
            by=world.editor,
            expected_version=2,
        )


# ---- templates change, submitted sheets do not ------------------------------------------


def test_changing_the_template_does_not_rewrite_a_submitted_sheet(world, sheet, client):
    sheet_update(sheet=sheet, by=world.editor, raw=COMPLETE_VALUES, expected_version=1)
    sheet_transition(sheet=sheet, by=world.editor, name="submit")
    frozen = EvaluationSheet.objects.get(pk=sheet.pk).scales
    template = EvaluationTemplate.objects.get(plan=world.plan)
    template.grades = [
        {"code": "S", "label": "S", "meaning": "特に優れている"},
        {"code": "A", "label": "A（良）", "meaning": "良い"},
    ]
    template.viewpoints = [{"code": "fairness", "label": "公平性", "meaning": ""}]
    template.save()
    sheet.refresh_from_db()
    assert sheet.scales == frozen
    assert sheet.stage == Stage.SUBMITTED and sheet.overall_grade == "A"
    assert sheet.scale_label("grades", "A") == "A"
    client.force_login(world.head)
    page = client.get(sheet_url("sheet", sheet)).content.decode()
    assert "順調に成果が上がっている" in page and "特に優れている" not in page
    assert "必要性" in page and "公平性" not in page
    # The next year's sheets take the new template.
    next_sheet = sheet_of(open_year(world, 2026), world.bousai_action)
    assert next_sheet.scales["grades"][0]["code"] == "S"


def test_last_years_values_are_shown_beside_this_years(world, client):
    first = sheet_of(open_year(world, 2025), world.bousai_action)
    indicator = indicator_add(sheet=first, by=world.editor, name="配布部数", expected_version=1)
    sheet_update(
        sheet=first,
        by=world.editor,
        raw={
            **COMPLETE_VALUES,
            f"indicator.{indicator.pk}.target": "1000",
            f"indicator.{indicator.pk}.actual": "870",
            "cost.actual.general": "2,345",
        },
        expected_version=2,
        today=TODAY,
    )
    second = sheet_of(open_year(world, 2026), world.bousai_action)
    carried = second.indicators.get()
    client.force_login(world.editor)
    page = client.get(sheet_url("sheet", second)).content.decode()
    actual_previous = f'id="f-indicator-{carried.pk}-actual-previous">前年度：870<'
    assert actual_previous in page
    assert f'aria-describedby="f-indicator-{carried.pk}-actual-previous"' in page
    assert "前年度決算" in page and "2,345" in page
    assert 'id="f-overall-grade-previous">前年度：A<' in page
    assert f'href="{sheet_url("sheet", first)}">前年度のシートを見る' in page


def test_saving_with_the_button_after_autosave_says_the_sheet_is_saved(world, sheet, client):
    client.force_login(world.editor)
    autosaved = client.post(
        sheet_url("sheet_autosave", sheet), {"version": "1", "activities": "説明会"}
    )
    assert autosaved.json()["version"] == 2

    # The button then posts the same values: nothing differs, and that must not read "not saved".
    response = client.post(
        sheet_url("sheet_save", sheet), {"version": "2", "activities": "説明会"}, follow=True
    )
    page = response.content.decode()
    assert "保存済みです（入力内容は自動保存などで保存されていました。第2版）。" in page
    assert "変更はありませんでした" not in page
    sheet.refresh_from_db()
    assert sheet.activities == "説明会" and sheet.version == 2
