"""Bad uploads: each gets a clear message at its tab/row/column (or JSON path) and saves nothing."""

import json

import pytest

from conftest import shared_data
from hoshin.evaluations import bulk
from hoshin.evaluations.bulk import layout
from hoshin.evaluations.bulk.errors import column_letter
from hoshin.evaluations.services.bulk import BulkApplyError, upload_apply
from hoshin.evaluations.services.sheets import sheet_update
from hoshin.evaluations.services.workflow import sheet_transition
from hoshin.evaluations.tests.bulk_support import (
    bulk_world,
    cell,
    column_of,
    load,
    row_of,
    save,
    state,
)
from hoshin.evaluations.tests.factories import COMPLETE_VALUES, TODAY, open_year, sheet_of
from hoshin.plans.models import Plan, PlanNode

pytestmark = pytest.mark.django_db


@shared_data
def setup():
    """Built once for the tests that follow one another (each runs in its own transaction)."""
    return bulk_world()


@pytest.fixture
def workbook(setup):
    return load(bulk.export_workbook(plan=setup.plan, fy=2025, department=setup.bousai))


def refused(data: bytes, setup, *, user=None, filename="sheets.xlsx", **expected) -> list[str]:
    """Read and try to apply; assert nothing changed; return the error texts."""
    before = state()
    preview = bulk.read_upload(data, filename, user=user or setup.editor, today=TODAY, **expected)
    assert preview.errors, "the upload should have been refused"
    with pytest.raises(BulkApplyError):
        upload_apply(preview=preview, by=user or setup.editor)
    assert state() == before
    return [str(error) for error in preview.errors]


def where(workbook, tab: str, row_value, key: str, **kwargs) -> str:
    target = cell(workbook, tab, row_value, key, **kwargs)
    return f"{tab}!{target.coordinate}"


def test_non_numeric_money(setup, workbook):
    target = cell(workbook, layout.COST_TAB, setup.sheet.pk, "national", kind="当年度予算")
    target.value = "百万"
    errors = refused(save(workbook), setup)
    assert errors == [
        f"コスト!{target.coordinate}（国庫支出金（千円））: 「百万」は数値ではありません。"
    ]


def test_negative_money(setup, workbook):
    target = cell(workbook, layout.COST_TAB, setup.sheet.pk, "general", kind="当年度予算")
    target.value = -5
    errors = refused(save(workbook), setup)
    assert errors == [f"コスト!{target.coordinate}（一般財源（千円））: 負の値は入力できません。"]


def test_money_with_fractions_of_a_thousand_yen(setup, workbook):
    cell(workbook, layout.COST_TAB, setup.sheet.pk, "other", kind="当年度予算").value = 12.5
    (error,) = refused(save(workbook), setup)
    assert "千円単位の整数" in error


def test_viewpoint_score_outside_the_scale(setup, workbook):
    target = cell(workbook, layout.MAIN_TAB, setup.sheet.pk, "viewpoint.efficiency")
    target.value = 5
    errors = refused(save(workbook), setup)
    assert errors == [
        f"評価シート!{target.coordinate}（評価の視点：効率性）: "
        "「5」は評価の視点の区分にありません（4、3、2、1）。"
    ]


def test_grade_not_in_the_template(setup, workbook):
    target = cell(workbook, layout.MAIN_TAB, setup.sheet.pk, "overall_grade")
    target.value = "E"
    (error,) = refused(save(workbook), setup)
    assert error.startswith(
        f"評価シート!{target.coordinate}（総合評価）: 「E」は総合評価の区分にありません"
    )


def test_text_over_the_fields_length(setup, workbook):
    target = cell(workbook, layout.MAIN_TAB, setup.sheet.pk, "legal_basis")
    target.value = "法" * 301
    (error,) = refused(save(workbook), setup)
    assert (
        error == f"評価シート!{target.coordinate}（根拠法令等）: 301文字あります（上限300文字）。"
    )


def test_every_error_is_reported_not_only_the_first(setup, workbook):
    cell(workbook, layout.MAIN_TAB, setup.sheet.pk, "overall_grade").value = "E"
    cell(workbook, layout.MAIN_TAB, setup.shared.pk, "future_direction").value = "倍増"
    cell(
        workbook, layout.INDICATOR_TAB, setup.indicator.pk, "target", id_key="indicator_id"
    ).value = "x"
    cell(workbook, layout.COST_TAB, setup.shared.pk, "person_years", kind="当年度予算").value = -1
    cell(workbook, layout.MAIN_TAB, setup.shared.pk, "purpose_target").value = "正しい変更"
    errors = refused(save(workbook), setup)
    assert len(errors) == 4
    assert [e.split("!")[0] for e in errors] == ["評価シート", "指標", "評価シート", "コスト"]


def test_an_actual_without_a_target_is_refused_at_its_cell(setup, workbook):
    ws = workbook[layout.INDICATOR_TAB]
    row = row_of(ws, setup.indicator.pk, key="indicator_id")
    ws.cell(row=row, column=column_of(ws, "target")).value = None
    ws.cell(row=row, column=column_of(ws, "actual")).value = 10
    (error,) = refused(save(workbook), setup)
    assert error.startswith(f"指標!{column_letter(column_of(ws, 'actual'))}{row}（実績値）: ")
    assert "目標値のない指標" in error


def test_a_sheet_of_another_department(setup, workbook):
    # A row of 財政課's sheet pasted over one of 防災's rows.
    target = cell(workbook, layout.MAIN_TAB, setup.shared.pk, "sheet_id")
    target.value = setup.zaisei.pk
    ws = workbook[layout.MAIN_TAB]
    ws.cell(row=target.row, column=column_of(ws, "version")).value = 1
    ws.cell(row=target.row, column=column_of(ws, "overall_grade")).value = "A"
    # The planning office sees every sheet, so it is told whose sheet it is …
    errors = refused(save(workbook), setup, user=setup.planner)
    assert (
        f"評価シート!{target.row}行目（シートID {setup.zaisei.pk}）: シートID {setup.zaisei.pk}"
        "「長期財政計画を策定する。」は財政課のシートです（このファイルは地域防災対策室の書き出し）。"
    ) in errors
    # … the 防災 editor may not see it: a missing id, word for word (issue 10, finding 1).
    assert (
        f"評価シート!{target.row}行目（シートID {setup.zaisei.pk}）: シートID {setup.zaisei.pk}"
        " のシートはありません。"
    ) in refused(save(workbook), setup)
    # The overwritten sheet's cost rows now have no row on the main tab: said so, row by row.
    assert sum("の行がタブ「評価シート」にありません" in e for e in errors) == 3


def test_a_file_of_last_year(setup):
    setup.plan.evaluation_cycles.all().delete()
    last_year = open_year(setup.world, 2024)
    this_year = open_year(setup.world, 2025)
    old_file = bulk.export_workbook(plan=setup.plan, fy=2024, department=setup.bousai)
    errors = refused(old_file, setup, plan=setup.plan, fy=2025)
    assert errors == [
        "情報!B6（年度）: このファイルは令和6年度（2024年度）のものです。"
        "選んだ令和7年度（2025年度）のファイルを書き出して入力してください。"
    ]
    # A row copied from last year's file into this year's.
    workbook = load(bulk.export_workbook(plan=setup.plan, fy=2025, department=setup.bousai))
    old_sheet = sheet_of(last_year, setup.bousai_action)
    target = cell(
        workbook, layout.MAIN_TAB, sheet_of(this_year, setup.bousai_action).pk, "sheet_id"
    )
    target.value = old_sheet.pk
    workbook[layout.MAIN_TAB].cell(
        row=target.row, column=column_of(workbook[layout.MAIN_TAB], "overall_grade")
    ).value = "A"
    errors = refused(save(workbook), setup)
    assert any(f"シートID {old_sheet.pk} は令和6年度（2024年度）のシートです" in e for e in errors)


def test_a_file_of_another_plan(setup, workbook):
    other = Plan.objects.create(name="別の計画", kind="reform", level_names=["柱"])
    PlanNode.objects.create(plan=other, title="柱", depth=0)
    errors = refused(save(workbook), setup, plan=other, fy=2025)
    assert errors == [
        "情報!B5（計画）: このファイルは計画「評価テスト計画」のものです。"
        "選んだ計画「別の計画」のファイルを書き出して入力してください。"
    ]


def test_merged_cells(setup, workbook):
    ws = workbook[layout.MAIN_TAB]
    first = column_letter(column_of(ws, "purpose_target"))
    second = column_letter(column_of(ws, "purpose_intent"))
    ws.merge_cells(f"{first}3:{second}3")
    errors = refused(save(workbook), setup)
    assert errors == [
        f"評価シート!{first}3:{second}3: 結合されたセルがあります。"
        "セルの結合を解除し、1つのセルに1つの値を入力してください。"
    ]


def test_formulas(setup, workbook):
    target = cell(workbook, layout.COST_TAB, setup.sheet.pk, "general", kind="当年度決算（見込）")
    target.value = "=1000+200"
    (error,) = refused(save(workbook), setup)
    assert error.startswith(
        f"コスト!{target.coordinate}（一般財源（千円））: 数式が入っています（=1000+200）"
    )


@pytest.mark.parametrize(
    ("data", "filename", "message"),
    [
        (b"", "sheets.xlsx", "ファイルが空です。"),
        (b"   \n", "sheets.json", "ファイルが空です。"),
        (b"not a workbook", "sheets.xlsx", "Excel ブック（.xlsx）として読めません"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "sheets.xls", "古い Excel 形式"),
        (b"a,b,c\n1,2,3\n", "sheets.csv", "Excel ブック（.xlsx）でも JSON でもありません"),
        (b'{"sheets": [', "sheets.json", "JSON として読めません（1行目"),
        (b'{"format": "other"}', "sheets.json", "一括入力用に書き出したファイルではありません"),
    ],
)
def test_files_that_are_not_sheet_workbooks(setup, data, filename, message):
    before = state()
    with pytest.raises(bulk.BulkFormatError, match=message.replace("(", r"\(")):
        bulk.read_upload(data, filename, user=setup.editor)
    assert state() == before


def test_another_workbook_such_as_a_plan_export(setup):
    from hoshin.plans.exporters import export_xlsx
    from hoshin.plans.selectors import plan_to_parsed

    data = export_xlsx(plan_to_parsed(plan=setup.plan))
    with pytest.raises(bulk.BulkFormatError, match="タブ「情報」がありません"):
        bulk.read_upload(data, "plan.xlsx", user=setup.editor)


def test_a_row_whose_sheet_does_not_exist(setup, workbook):
    target = cell(workbook, layout.MAIN_TAB, setup.shared.pk, "sheet_id")
    target.value = 99999
    errors = refused(save(workbook), setup)
    assert (
        f"評価シート!{target.row}行目（シートID 99999）: シートID 99999 のシートはありません。"
        in errors
    )


def test_an_unreadable_sheet_id_and_a_duplicated_row(setup, workbook):
    ws = workbook[layout.MAIN_TAB]
    row = row_of(ws, setup.shared.pk)
    ws.cell(row=row, column=column_of(ws, "sheet_id")).value = "二"
    ws.cell(row=row + 1, column=1).value = None
    for column in range(1, ws.max_column + 1):  # a copy of the first row below the others
        ws.cell(row=ws.max_row + 1, column=column).value = ws.cell(row=3, column=column).value
    errors = refused(save(workbook), setup)
    assert any(f"評価シート!A{row}（シートID）: シートID「二」が読めません" in e for e in errors)
    assert any("の行が2つあります" in e for e in errors)


def test_a_sheet_changed_since_the_download(setup, workbook):
    sheet_update(
        sheet=setup.sheet,
        by=setup.editor,
        raw={"purpose_intent": "避難できる"},
        expected_version=3,
        today=TODAY,
    )
    cell(workbook, layout.MAIN_TAB, setup.sheet.pk, "overall_grade").value = "A"
    version = cell(workbook, layout.MAIN_TAB, setup.sheet.pk, "version")
    (error,) = refused(save(workbook), setup)
    assert error.startswith(f"評価シート!{version.coordinate}（版）: シートID {setup.sheet.pk}")
    assert "書き出した後にeditorが更新しました（ファイルは第3版、現在は第4版）" in error


def test_a_user_without_rights(setup, workbook):
    target = cell(workbook, layout.MAIN_TAB, setup.sheet.pk, "overall_grade")
    target.value = "A"
    grade = cell(workbook, layout.MAIN_TAB, setup.sheet.pk, "future_direction")
    grade.value = "拡充"
    data = save(workbook)
    for user in (setup.head, setup.viewer):
        (error,) = refused(data, setup, user=user)
        assert error == (
            f"評価シート!{target.coordinate}, {grade.coordinate}（総合評価、今後の方向性）: "
            "このシートを編集する権限がありません（地域防災対策室のシートです）。"
        )
    # 財政課's editor may not see the sheet at all: a missing id (issue 10, finding 1).
    (error,) = refused(data, setup, user=setup.other_editor)
    assert error == (
        f"評価シート!{target.row}行目（シートID {setup.sheet.pk}）: "
        f"シートID {setup.sheet.pk} のシートはありません。"
    )


def test_a_changed_row_of_a_sheet_no_longer_in_draft(setup):
    sheet_update(
        sheet=setup.sheet, by=setup.editor, raw=COMPLETE_VALUES, expected_version=3, today=TODAY
    )
    workbook = load(bulk.export_workbook(plan=setup.plan, fy=2025, department=setup.bousai))
    sheet_transition(sheet=setup.sheet, by=setup.editor, name="submit")
    # Unchanged rows of a submitted sheet are fine; a changed one is refused at its cells.
    assert bulk.read_upload(save(workbook), "s.xlsx", user=setup.editor, today=TODAY).errors == []
    target = cell(
        workbook, layout.INDICATOR_TAB, setup.indicator.pk, "actual", id_key="indicator_id"
    )
    target.value = 10
    (error,) = refused(save(workbook), setup)
    assert error == (
        f"指標!{target.coordinate}（実績値）: 「提出済み（所属長の承認待ち）」のシートは変更できません"
        "（変更できるのは作成中・差し戻しのシートだけです）。"
    )


def test_a_cell_for_something_the_sheet_does_not_have(setup, workbook):
    # The 評価シート tab offers the 進捗 columns of a reform plan; a sheet frozen without them
    # (its template had no progress block) must keep them empty.
    setup.shared.scales = {
        **setup.shared.scales,
        "blocks": ["purpose", "indicators", "cost", "viewpoints"],
    }
    setup.shared.save(update_fields=["scales"])
    target = cell(workbook, layout.MAIN_TAB, setup.shared.pk, "progress_status")
    target.value = "取組中"
    (error,) = refused(save(workbook), setup)
    # The refusal is sheet_parse's, the same for the form, the API and this file.
    assert error == (
        f"評価シート!{target.coordinate}（進捗状況）: このシートの様式には"
        "「進捗状況・効果額（行財政改革）」の欄がないため、入力できません。"
    )


def test_an_unknown_column_key_and_a_keyless_column(setup, workbook):
    ws = workbook[layout.MAIN_TAB]
    ws.cell(row=1, column=ws.max_column + 1).value = "budget_total"
    ws.cell(row=2, column=ws.max_column + 1).value = "メモ（キーなし）"
    ws.cell(row=3, column=ws.max_column).value = "自分用のメモは読まない"
    errors = refused(save(workbook), setup)
    assert errors == [
        f"評価シート!{column_letter(ws.max_column - 1)}1（budget_total）: 列のキー「budget_total」は分かりません。"
        "1行目（非表示）のキーは変更しないでください。"
    ]


def test_an_indicator_of_another_sheet(setup, workbook):
    target = cell(
        workbook, layout.INDICATOR_TAB, setup.indicator.pk, "sheet_id", id_key="indicator_id"
    )
    target.value = setup.shared.pk
    errors = refused(save(workbook), setup)
    assert errors == [
        f"指標!{target.row}行目: 指標ID {setup.indicator.pk} はシートID {setup.shared.pk} の指標ではありません"
        "（指標の追加・削除は評価シートの画面で行ってください）。"
    ]


def test_json_errors_are_reported_at_the_json_path(setup):
    document = json.loads(bulk.export_json(plan=setup.plan, fy=2025, department=setup.bousai))
    index = next(i for i, s in enumerate(document["sheets"]) if s["id"] == setup.sheet.pk)
    document["sheets"][index]["fields"]["overall_grade"] = "E"
    document["sheets"][index]["indicators"][0]["actual"] = "many"
    document["sheets"][index]["costs"]["budget"]["general"] = -1
    document["sheets"][index]["fields"]["viewpoint.priority"] = 9
    data = json.dumps(document, ensure_ascii=False).encode()
    errors = refused(data, setup, filename="sheets.json")
    prefix = f"$.sheets[{index}]"
    assert sorted(errors) == sorted(
        [
            f"{prefix}.fields.overall_grade: 「E」は総合評価の区分にありません（A、B、C、D）。",
            f"{prefix}.indicators[0].actual: 「many」は数値ではありません。",
            f"{prefix}.costs.budget.general: 負の値は入力できません。",
            f"{prefix}.fields['viewpoint.priority']: 「9」は評価の視点の区分にありません（4、3、2、1）。",
        ]
    )


def test_an_indicator_value_with_more_decimals_than_stored(setup, workbook):
    target = cell(
        workbook, layout.INDICATOR_TAB, setup.indicator.pk, "actual", id_key="indicator_id"
    )
    target.value = 1 / 3  # what a calculation pasted as a value leaves in a cell
    (error,) = refused(save(workbook), setup)
    assert error == f"指標!{target.coordinate}（実績値）: 小数第4位までで入力してください。"
