"""The downloaded workbook: tabs, keys and labels, read-only columns, drop-down lists, info."""

import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from hoshin.evaluations import bulk
from hoshin.evaluations.bulk import layout
from hoshin.evaluations.models import EvaluationSheet
from hoshin.evaluations.services.sheets import sheet_update
from hoshin.evaluations.services.workflow import sheet_transition
from hoshin.evaluations.tests.bulk_support import (
    bulk_world,
    cell,
    column_of,
    load,
    row_of,
    save,
)
from hoshin.evaluations.tests.factories import COMPLETE_VALUES, TODAY, open_year, sheet_of
from hoshin.plans.models import Action

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup():
    return bulk_world()


def test_tabs_keys_and_labels(setup):
    workbook = load(bulk.export_workbook(plan=setup.plan, fy=2025, department=setup.bousai))
    assert workbook.sheetnames == ["評価シート", "指標", "コスト", "情報", "選択肢"]
    assert workbook["選択肢"].sheet_state == "hidden"
    main = workbook[layout.MAIN_TAB]
    assert main.row_dimensions[1].hidden
    keys = [c.value for c in main[1]]
    labels = [c.value for c in main[2]]
    assert keys[:6] == ["sheet_id", "version", "number", "subject", "department", "stage"]
    assert labels[keys.index("overall_grade")] == "総合評価"
    assert labels[keys.index("viewpoint.necessity")] == "評価の視点：必要性"
    assert keys.index("previous.overall_grade") == keys.index("overall_grade") - 2
    assert main.freeze_panes == "E3"
    assert main.protection.sheet
    # One row per sheet of 防災 (its own and the one it leads), none of 財政課 or 全庁.
    ids = [main.cell(row=r, column=1).value for r in range(3, main.max_row + 1)]
    assert ids == [setup.sheet.pk, setup.shared.pk]
    assert cell(workbook, layout.MAIN_TAB, setup.sheet.pk, "future_direction").value == "継続"
    assert cell(workbook, layout.MAIN_TAB, setup.sheet.pk, "version").value == 3
    assert cell(workbook, layout.MAIN_TAB, setup.sheet.pk, "stage").value == "作成中"
    indicator = workbook[layout.INDICATOR_TAB]
    row = row_of(indicator, setup.indicator.pk, key="indicator_id")
    assert indicator.cell(row=row, column=column_of(indicator, "target")).value == 1000
    assert indicator.cell(row=row, column=column_of(indicator, "kind")).value == "成果指標"
    costs = workbook[layout.COST_TAB]
    assert [costs.cell(row=r, column=3).value for r in range(3, 6)] == [
        "当年度予算",
        "当年度決算（見込）",
        "次年度予算（見込）",
    ]
    assert (
        cell(workbook, layout.COST_TAB, setup.sheet.pk, "general", kind="当年度予算").value == 1200
    )


def test_read_only_cells_are_grey_and_locked_editable_ones_unlocked(setup):
    sheet_update(
        sheet=setup.shared, by=setup.editor, raw=COMPLETE_VALUES, expected_version=1, today=TODAY
    )
    sheet_transition(sheet=setup.shared, by=setup.editor, name="submit")
    workbook = load(bulk.export_workbook(plan=setup.plan, fy=2025, department=setup.bousai))
    subject = cell(workbook, layout.MAIN_TAB, setup.sheet.pk, "subject")
    assert subject.protection.locked and subject.fill.fgColor.rgb.endswith("D9D9D9")
    grade = cell(workbook, layout.MAIN_TAB, setup.sheet.pk, "overall_grade")
    assert not grade.protection.locked and grade.fill.fill_type is None
    # A submitted sheet's row is read-only throughout.
    submitted = cell(workbook, layout.MAIN_TAB, setup.shared.pk, "overall_grade")
    assert submitted.protection.locked and submitted.value == "A"
    assert cell(workbook, layout.MAIN_TAB, setup.shared.pk, "stage").value.startswith("提出済み")


def test_drop_down_lists_come_from_the_sheets_frozen_scales(setup):
    workbook = load(bulk.export_workbook(plan=setup.plan, fy=2025, department=setup.bousai))
    main = workbook[layout.MAIN_TAB]
    lists = workbook["選択肢"]
    found = {}
    for validation in main.data_validations.dataValidation:
        if validation.type != "list":
            continue
        letter = validation.formula1.split("!")[1].split(":")[0].replace("$", "")[0]
        column = [c.value for c in lists[letter] if c.value is not None]
        found[str(validation.sqref).split(":")[0]] = column
    grade_column = main.cell(row=3, column=column_of(main, "overall_grade")).column_letter
    direction_column = main.cell(row=3, column=column_of(main, "future_direction")).column_letter
    assert found[f"{grade_column}3"] == ["A", "B", "C", "D"]
    assert found[f"{direction_column}3"][:2] == ["拡充", "継続"]
    numbers = [v for v in workbook[layout.COST_TAB].data_validations.dataValidation]
    assert {v.type for v in numbers} == {"whole", "decimal"}


FORMULA_LOOKING = {
    "legal_basis": "=第2条",
    "improvement_plan": "-5%の削減を目指す",
    "department_comment": "@市民の声を反映",
    "activities": "+αの取組",
}


def test_text_that_looks_like_a_formula_stays_text(setup):
    sheet_update(
        sheet=setup.sheet,
        by=setup.editor,
        raw={**FORMULA_LOOKING, "purpose_intent": "①髙﨑㈱と協議\n②継続"},
        expected_version=3,
        today=TODAY,
    )
    data = bulk.export_workbook(plan=setup.plan, fy=2025, department=setup.bousai)
    workbook = load(data)
    for key, text in FORMULA_LOOKING.items():
        target = cell(workbook, layout.MAIN_TAB, setup.sheet.pk, key)
        # The exact text (no apostrophe added), a string cell, marked as Excel marks '=… typed.
        assert (target.value, target.data_type, target.quotePrefix) == (text, "s", True)
    # Uploaded again, the file changes nothing: every text reads back as written.
    preview = bulk.read_upload(data, "s.xlsx", user=setup.editor, today=TODAY)
    assert preview.errors == [] and preview.sheets == []


def test_formula_looking_text_typed_in_excel_is_uploaded_as_typed(setup):
    workbook = load(bulk.export_workbook(plan=setup.plan, fy=2025, department=setup.bousai))
    for key, text in FORMULA_LOOKING.items():
        target = cell(workbook, layout.MAIN_TAB, setup.sheet.pk, key)
        target.value = text
        target.data_type = "s"  # what Excel stores for '=第2条 typed with an apostrophe
    preview = bulk.read_upload(save(workbook), "s.xlsx", user=setup.editor, today=TODAY)
    assert preview.errors == []
    (item,) = preview.sheets
    assert {change.path: change.new for change in item.changes} == FORMULA_LOOKING


def test_info_tab(setup):
    workbook = load(
        bulk.export_workbook(plan=setup.plan, fy=2025, department=setup.bousai, user=setup.editor)
    )
    info = {
        row[0]: row[1] for row in workbook["情報"].iter_rows(min_row=2, values_only=True) if row[0]
    }
    assert info["format"] == "hoshin-evaluation-sheets"
    assert info["plan"] == "評価テスト計画" and info["plan_id"] == setup.plan.pk
    assert info["fiscal_year"] == "令和7年度（2025年度）"
    assert info["department"] == "地域防災対策室" and info["department_id"] == setup.bousai.pk
    assert info["exported_by"] == "editor" and info["sheet_count"] == 2
    assert info["exported_at"]


def test_the_planning_office_exports_every_department(setup):
    workbook = load(bulk.export_workbook(plan=setup.plan, fy=2025))
    main = workbook[layout.MAIN_TAB]
    ids = [main.cell(row=r, column=1).value for r in range(3, main.max_row + 1)]
    assert len(ids) == 4
    assert (
        cell(
            workbook, layout.MAIN_TAB, sheet_of(setup.cycle, setup.all_action).pk, "department"
        ).value
        == "（企画担当）"
    )


def test_last_years_values_are_shown_for_reference(setup):
    sheet_update(
        sheet=setup.sheet,
        by=setup.editor,
        raw={f"indicator.{setup.indicator.pk}.actual": "800"},
        expected_version=3,
        today=TODAY,
    )
    next_year = open_year(setup.world, 2026)
    workbook = load(bulk.export_workbook(plan=setup.plan, fy=2026, department=setup.bousai))
    sheet = sheet_of(next_year, setup.bousai_action)
    assert cell(workbook, layout.MAIN_TAB, sheet.pk, "previous.overall_grade").value == "B"
    assert cell(workbook, layout.MAIN_TAB, sheet.pk, "previous.future_direction").value == "継続"
    assert cell(workbook, layout.MAIN_TAB, sheet.pk, "overall_grade").value is None
    new_indicator = sheet.indicators.get()
    row = cell(
        workbook, layout.INDICATOR_TAB, new_indicator.pk, "previous.actual", id_key="indicator_id"
    )
    assert row.value == 800 and row.protection.locked


def test_json_has_the_same_content(setup):
    document = json.loads(bulk.export_json(plan=setup.plan, fy=2025, department=setup.bousai))
    assert document["format"] == "hoshin-evaluation-sheets"
    assert document["plan"] == {"id": setup.plan.pk, "name": "評価テスト計画"}
    assert document["fiscal_year"] == 2025 and document["department"]["name"] == "地域防災対策室"
    sheet = document["sheets"][0]
    assert (sheet["id"], sheet["version"], sheet["stage"]) == (setup.sheet.pk, 3, "draft")
    assert sheet["fields"]["future_direction"] == "continue"
    assert sheet["indicators"][0]["target"] == "1000"
    assert sheet["costs"]["budget"]["general"] == "1200"


def test_an_unopened_year_is_refused(setup):
    with pytest.raises(bulk.BulkExportError, match="まだ開始していません"):
        bulk.export_workbook(plan=setup.plan, fy=2030)


def test_the_export_query_count_does_not_grow_with_the_sheets(setup):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            bulk.export_workbook(plan=setup.plan, fy=2026, department=setup.bousai)
            bulk.export_json(plan=setup.plan, fy=2026, department=setup.bousai)
        return len(captured)

    open_year(setup.world, 2026)
    few = queries()
    node = setup.bousai_action.node
    for position in range(10, 30):
        action = Action.objects.create(
            plan=setup.plan, node=node, position=position, text=f"取組{position}"
        )
        action.responsibilities.create(department=setup.bousai, is_lead=True, position=0)
    setup.plan.evaluation_cycles.filter(fy=2026).delete()
    open_year(setup.world, 2026)
    assert queries() == few


def test_a_control_character_excel_cannot_hold_is_refused_naming_the_cell(setup):
    """Dropping it would change the text on upload; the workbook is exact or not written."""
    EvaluationSheet.objects.filter(pk=setup.sheet.pk).update(legal_basis="第2条\x0b")
    with pytest.raises(bulk.BulkExportError) as info:
        bulk.export_workbook(plan=setup.plan, fy=2025, department=setup.bousai)
    assert re.fullmatch(
        r"評価シート![A-Z]+3（[^）]+）: Excel のセルに入れられない制御文字があります。"
        r"画面で修正してください。",
        str(info.value),
    )
