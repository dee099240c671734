"""Export → import is lossless: a plan written as JSON, CSV or XLSX comes back the same."""

import copy
import csv
import io

import pytest
from openpyxl import load_workbook

from hoshin.lib.spreadsheets import cp932_message
from hoshin.org.models import Department
from hoshin.plans.exporters import PlanExportError, export_csv, export_json, export_xlsx
from hoshin.plans.formats.base import ParsedAction, ParsedNode, ParsedPlan
from hoshin.plans.formats.detect import parse_plan_file
from hoshin.plans.models import Plan
from hoshin.plans.selectors import plan_to_parsed
from hoshin.plans.services import plan_import
from hoshin.plans.tests.sample_plans import full_plan, without_lines

pytestmark = pytest.mark.django_db

EXPORTS = {
    "json": (lambda parsed: export_json(parsed), "plan.json"),
    "csv-utf8-bom": (lambda parsed: export_csv(parsed), "plan.csv"),
    "csv-cp932": (lambda parsed: export_csv(parsed, encoding="cp932"), "plan.csv"),
    "xlsx": (lambda parsed: export_xlsx(parsed), "plan.xlsx"),
}
DETECTED_AS = {"json": "json", "csv-utf8-bom": "csv", "csv-cp932": "csv", "xlsx": "xlsx"}


def stored(plan: Plan) -> ParsedPlan:
    parsed = plan_to_parsed(plan=plan)
    parsed.format_name = ""
    return parsed


def round_trip(plan: Plan, export: str) -> Plan:
    """Export the plan, import the file under a new name; the new Plan."""
    write, filename = EXPORTS[export]
    data = write(plan_to_parsed(plan=plan))
    parsed = parse_plan_file(data, filename)
    # Detected as what it is, even though the text formats are asked first.
    assert parsed.format_name == DETECTED_AS[export]
    return plan_import(parsed=parsed, name=f"{plan.name}（{export}）").plan


@pytest.fixture
def sample_plan() -> Plan:
    return plan_import(parsed=full_plan(), name="見本の計画", create_departments=True).plan


@pytest.fixture
def reform_plan(reform_seed_bytes) -> Plan:
    parsed = parse_plan_file(reform_seed_bytes, "001_93b4eaf820d612a8.txt")
    return plan_import(parsed=parsed, name="行財政改革実施計画", create_departments=True).plan


@pytest.fixture
def comprehensive_plan(comprehensive_seed_bytes) -> Plan:
    parsed = parse_plan_file(comprehensive_seed_bytes, "000_78a06c49d3f23c0e.txt")
    return plan_import(parsed=parsed, name="総合計画", create_departments=True).plan


def test_sample_plan_keeps_every_field_in_the_database(sample_plan):
    assert stored(sample_plan) == without_lines(full_plan())


@pytest.mark.parametrize("export", EXPORTS)
def test_sample_plan_round_trip(sample_plan, export):
    departments = Department.objects.count()
    copy_plan = round_trip(sample_plan, export)
    assert stored(copy_plan) == stored(sample_plan)
    assert Department.objects.count() == departments  # the copy found every department


@pytest.mark.parametrize("export", EXPORTS)
def test_reform_seed_round_trip(reform_plan, export):
    copy_plan = round_trip(reform_plan, export)
    assert stored(copy_plan) == stored(reform_plan)
    assert copy_plan.actions.count() == reform_plan.actions.count() > 40


@pytest.mark.parametrize("export", EXPORTS)
def test_comprehensive_seed_round_trip(comprehensive_plan, export):
    copy_plan = round_trip(comprehensive_plan, export)
    assert stored(copy_plan) == stored(comprehensive_plan)
    assert copy_plan.nodes.filter(depth=2).count() == 6


def test_round_trip_keeps_a_tree_deeper_than_its_level_names():
    parsed = ParsedPlan(
        format_name="test",
        level_names=["柱"],
        roots=[
            ParsedNode(
                "柱",
                0,
                children=[ParsedNode("深い節", 1, actions=[ParsedAction(text="取組。")])],
            )
        ],
    )
    for write, filename in EXPORTS.values():
        assert without_lines(parse_plan_file(write(parsed), filename)) == without_lines(
            copy.deepcopy(parsed)
        )


def test_cp932_export_names_the_row_and_column_of_a_character_it_lacks():
    parsed = full_plan()
    parsed.roots[0].children[0].children[0].actions[1].text = "〜9時から17時まで〜"
    with pytest.raises(PlanExportError) as info:
        export_csv(parsed, encoding="cp932")
    message = str(info.value)
    # The line an editor shows: cells with line breaks above it span several lines.
    text = export_csv(parsed).decode("utf-8-sig")
    line = text[: text.index("〜9時")].count("\n") + 1
    assert line == 22
    # The one message of hoshin.lib.spreadsheets, with the action as the row's label.
    assert message == cp932_message(
        line=line,
        column=6,
        title="実施内容",
        label="手法1 広報・広聴の充実 の2番目の主な取組事項",
        char="〜",
    )
    assert "「〜」(U+301C)" in message and "UTF-8（BOM付き）" in message
    # UTF-8 keeps it.
    assert "〜9時" in parse_plan_file(export_csv(parsed), "plan.csv").all_actions()[1].text


def test_cp932_export_rejects_characters_outside_cp932():
    parsed = full_plan()
    parsed.owner_office = "𠮷野家"
    with pytest.raises(PlanExportError, match=r"1列目\(担当\).*𠮷"):
        export_csv(parsed, encoding="cp932")


def test_consecutive_twin_nodes_cannot_be_written_as_a_table():
    parsed = full_plan()
    parsed.roots.append(copy.deepcopy(parsed.roots[-1]))
    with pytest.raises(PlanExportError, match="JSON"):
        export_csv(parsed)
    json_copy = parse_plan_file(export_json(parsed), "plan.json")
    assert len(json_copy.roots) == 3


def test_department_label_with_a_separator_cannot_be_written_as_a_table():
    parsed = full_plan()
    parsed.roots[0].children[1].actions[0].departments = ["総務課、財政課"]
    with pytest.raises(PlanExportError, match="担当課"):
        export_xlsx(parsed)


def formula_looking_plan() -> ParsedPlan:
    """full_plan() with texts a spreadsheet would run as formulas, in every kind of cell."""
    parsed = full_plan()
    parsed.source_title = '=HYPERLINK("http://example.com")'
    parsed.level_names = ["=柱", "方策", "手法"]
    parsed.roots[0].vision = "-"
    parsed.roots[0].children[0].challenges[0] = "=課題"
    node = parsed.roots[0].children[0].children[0]
    node.purpose = "'=引用のまま"  # an apostrophe that was there before ours
    first, second = node.actions
    first.text = "=1+1 は数式ではありません。"
    first.title = "-5%の削減"
    first.notes[0].term = "@注"
    second.title = "@市民の声"
    second.text = "+αの取組"
    parsed.roots[1].number, parsed.roots[1].title = "", "-マイナスで始まる柱"
    return parsed


@pytest.mark.parametrize("export", EXPORTS)
def test_formula_looking_text_round_trips_exactly(export):
    write, filename = EXPORTS[export]
    data = write(formula_looking_plan())
    assert without_lines(parse_plan_file(data, filename)) == without_lines(formula_looking_plan())


@pytest.mark.parametrize("encoding", ["utf-8-sig", "cp932"])
def test_csv_cells_that_look_like_formulas_get_an_apostrophe(encoding):
    data = export_csv(formula_looking_plan(), encoding=encoding)
    rows = list(csv.reader(io.StringIO(data.decode(encoding), newline="")))
    cells = {cell for row in rows for cell in row}
    assert {
        "'=柱",
        "'=1+1 は数式ではありません。",
        "'-5%の削減",
        "'@市民の声",
        "'+αの取組",
    } <= cells
    assert "''=引用のまま" in cells and "'-" in cells
    assert not {"=1+1 は数式ではありません。", "-5%の削減", "@市民の声"} & cells


def test_xlsx_cells_that_look_like_formulas_are_text():
    workbook = load_workbook(io.BytesIO(export_xlsx(formula_looking_plan())))
    cells = {
        cell.value: cell
        for sheet in workbook.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.value is not None
    }
    for text in ("=柱", "=1+1 は数式ではありません。", "-5%の削減", "@市民の声", "+αの取組"):
        assert cells[text].data_type == "s"
    assert cells['=HYPERLINK("http://example.com")'].data_type == "s"
