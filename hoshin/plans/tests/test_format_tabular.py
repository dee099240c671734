"""CSV and XLSX plans: the column layout, both ways of filling level cells, and bad input."""

import copy
import datetime
import io

import openpyxl
import pytest

from hoshin.plans.exporters import export_csv, export_xlsx
from hoshin.plans.formats.base import ParsedKeyProject, ParsedNote, PlanFormatError
from hoshin.plans.formats.detect import detect_format, parse_plan_file
from hoshin.plans.formats.tabular.columns import (
    CellError,
    format_challenges,
    format_level_cell,
    format_notes,
    parse_challenges,
    parse_departments,
    parse_key_projects,
    parse_notes,
    split_level_cell,
)
from hoshin.plans.formats.tabular.csv_format import CsvFormat
from hoshin.plans.formats.tabular.xlsx_format import XlsxFormat
from hoshin.plans.tests.sample_plans import HARD_CHARACTERS, full_plan, without_lines

HEADER = "大項目,中項目,取組,取組名,番号,実施内容,担当課,主要事業"


def csv_bytes(*lines: str, encoding="utf-8-sig") -> bytes:
    return ("\r\n".join(lines) + "\r\n").encode(encoding)


def parse_csv(*lines: str, filename="plan.csv", encoding="utf-8-sig"):
    return parse_plan_file(csv_bytes(*lines, encoding=encoding), filename)


def csv_error(*lines: str, filename="plan.csv") -> PlanFormatError:
    with pytest.raises(PlanFormatError) as info:
        parse_csv(*lines, filename=filename)
    return info.value


def workbook_bytes(rows: list[list], *, title="Sheet1", edit=None) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    if edit:
        edit(sheet)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def xlsx_error(data: bytes, filename="plan.xlsx") -> PlanFormatError:
    with pytest.raises(PlanFormatError) as info:
        parse_plan_file(data, filename)
    return info.value


# --- level cells and the other cell codecs


@pytest.mark.parametrize(
    ("cell", "number", "title"),
    [
        ("1 市民参画・市民協働の一層の推進", "1", "市民参画・市民協働の一層の推進"),
        ("(1)行政情報の積極的開示、市民との共有化", "(1)", "行政情報の積極的開示、市民との共有化"),
        ("（２）　市民参画", "（２）", "市民参画"),
        ("方策1 開かれた市政を推進します", "方策1", "開かれた市政を推進します"),
        ("手法2 市政情報の提供", "手法2", "市政情報の提供"),
        ("第3章 財政", "第3章", "財政"),
        ("1-2 窓口", "1-2", "窓口"),
        ("① 広報", "①", "広報"),
        ("市民が市政に関心を寄せる情報発信の推進", "", "市民が市政に関心を寄せる情報発信の推進"),
        ("自立できる 自治体経営の推進", "", "自立できる 自治体経営の推進"),
        ("｜3R推進", "", "3R推進"),
        ("No.5｜特別な番号", "No.5", "特別な番号"),
    ],
)
def test_level_cell_splits_into_number_and_title(cell, number, title):
    assert split_level_cell(cell) == (number, title)


@pytest.mark.parametrize(
    ("number", "title", "cell"),
    [
        ("1", "市民参画", "1 市民参画"),
        ("(1)", "行政情報", "(1) 行政情報"),
        ("", "3R推進", "｜3R推進"),  # would otherwise read as number 3
        ("No.5", "特別な番号", "No.5｜特別な番号"),  # not a recognised number pattern
        ("", "A｜B", "｜A｜B"),
    ],
)
def test_level_cell_is_written_so_that_it_reads_back(number, title, cell):
    assert format_level_cell(number, title) == cell
    assert split_level_cell(cell) == (number, title)


def test_departments_split_on_line_breaks_and_ideographic_commas():
    assert parse_departments("総務課、財政課\n教育委員会\n\n") == ["総務課", "財政課", "教育委員会"]


def test_key_projects_need_a_marker():
    assert parse_key_projects("○日曜窓口\n★ コンビニ交付") == [
        ParsedKeyProject("日曜窓口", is_new=False),
        ParsedKeyProject("コンビニ交付", is_new=True),
    ]
    with pytest.raises(CellError, match="○（継続）か ★（新規）"):
        parse_key_projects("日曜窓口")


def test_challenges_one_a_line_or_bulleted_when_an_item_spans_lines():
    assert parse_challenges("一つ目\n二つ目") == ["一つ目", "二つ目"]
    items = ["一つ目", "二つ目の前半\n二つ目の後半"]
    assert format_challenges(items) == "・一つ目\n・二つ目の前半\n二つ目の後半"
    assert parse_challenges(format_challenges(items)) == items


def test_notes_term_and_body_with_continuation_lines():
    assert parse_notes("※PDCA：計画→実行\n→評価→改善\n※BCP:業務継続計画") == [
        ParsedNote("PDCA", "計画→実行\n→評価→改善"),
        ParsedNote("BCP", "業務継続計画"),
    ]
    notes = [ParsedNote("用語", "説明\n\n二段落目")]
    assert parse_notes(format_notes(notes)) == notes
    with pytest.raises(CellError, match="※用語：説明"):
        parse_notes("説明だけ")


# --- CSV layout


def test_level_cells_repeated_on_every_row():
    parsed = parse_csv(
        HEADER,
        "1 市民参画の推進,(1)行政情報の開示,情報発信の推進,,,ハザードマップを周知する。,地域防災対策室,",
        "1 市民参画の推進,(1)行政情報の開示,情報発信の推進,,,市長の考えを発信する。,秘書課,",
        "1 市民参画の推進,(1)行政情報の開示,経営情報の発信,,,成果を公表する。,総務課,",
        "1 市民参画の推進,(2)市民協働の推進,市民参画の促進,,,行政区加入を進める。,総務課,",
    )
    (pillar,) = parsed.roots
    assert [(n.number, n.title) for n in pillar.children] == [
        ("(1)", "行政情報の開示"),
        ("(2)", "市民協働の推進"),
    ]
    measures = pillar.children[0].children
    assert [m.title for m in measures] == ["情報発信の推進", "経営情報の発信"]
    assert [a.departments for a in measures[0].actions] == [["地域防災対策室"], ["秘書課"]]
    assert measures[0].actions[0].line == 2


def test_empty_level_cells_mean_same_as_above():
    parsed = parse_csv(
        HEADER,
        "1 市民参画の推進,(1)行政情報の開示,情報発信の推進,,,ハザードマップを周知する。,地域防災対策室,",
        ",,,,,市長の考えを発信する。,秘書課,",
        ",,経営情報の発信,,,成果を公表する。,総務課,",
        ",(2)市民協働の推進,市民参画の促進,,,行政区加入を進める。,総務課,",
        "2 行政運営,,,,,全庁で取り組む。,全庁,",
    )
    first, second = parsed.roots
    measures = first.children[0].children
    assert [len(m.actions) for m in measures] == [2, 1]
    assert first.children[1].children[0].title == "市民参画の促進"
    assert second.actions[0].departments == ["全庁"]
    assert second.children == []


def test_a_row_naming_a_shallower_level_puts_the_action_there():
    parsed = parse_csv(
        HEADER,
        "1 柱,(1)方策,取組X,,,Xの取組。,総務課,",
        "1 柱,(1)方策,,,,方策に直接付く取組。,財政課,",
    )
    policy = parsed.roots[0].children[0]
    assert [a.text for a in policy.actions] == ["方策に直接付く取組。"]
    assert [a.text for a in policy.children[0].actions] == ["Xの取組。"]


def test_node_detail_rows_and_action_columns():
    parsed = parse_csv(
        "柱,方策,取組名,番号,実施内容,担当課,主要事業,めざす姿,課題,目的,注記",
        '自立した経営,方策1 開かれた市政,,,,,,情報が届いています。,"課題1\n課題2",,※広聴：声を聴くこと',
        ',,広報活動の推進,(1),広報紙を充実する。,"秘書課、総務課\n全庁","○日曜窓口\n★コンビニ交付",,,,※PDCA：計画→実行',
    )
    policy = parsed.roots[0].children[0]
    assert policy.vision == "情報が届いています。"
    assert policy.challenges == ["課題1", "課題2"]
    assert policy.notes == [ParsedNote("広聴", "声を聴くこと")]
    (action,) = policy.actions
    assert (action.title, action.number) == ("広報活動の推進", "(1)")
    assert action.departments == ["秘書課", "総務課", "全庁"]
    assert [kp.is_new for kp in action.key_projects] == [False, True]
    assert action.notes == [ParsedNote("PDCA", "計画→実行")]
    assert parsed.level_names == ["柱", "方策"]


def test_metadata_comment_lines_set_the_plan_fields():
    parsed = parse_csv(
        "#kind=reform",
        "#種別=reform",
        "#owner_office=総務課 行政管理係",
        '"#contact=〒976-8601\n電話番号:0244-37-2120"',
        "#source_updated_on=2024-03-01",
        "#start_fy=令和5年度",
        "#end_fy=2027",
        "# 自由なコメント",
        HEADER,
        "1 柱,,,,,取組。,総務課,",
    )
    assert parsed.kind == "reform"
    assert parsed.owner_office == "総務課 行政管理係"
    assert parsed.contact == "〒976-8601\n電話番号:0244-37-2120"
    assert parsed.source_updated_on.isoformat() == "2024-03-01"
    assert (parsed.start_fy, parsed.end_fy) == (2023, 2027)


def test_unknown_metadata_key_is_a_warning_and_bad_values_are_errors():
    parsed = parse_csv("#colour=blue", HEADER, "1 柱,,,,,取組。,,")
    assert parsed.warnings == ["1行目: 計画情報「colour」は不明な項目なので無視しました。"]
    assert csv_error("#kind=city", HEADER, "1 柱,,,,,取組。,,").where == "1行目"
    error = csv_error("#start_fy=2027", "#end_fy=2023", HEADER, "1 柱,,,,,取組。,,")
    assert "開始年度" in error.message


def test_tab_separated_files():
    parsed = parse_plan_file(
        "大項目\t取組名\t実施内容\t担当課\n1 柱\t\t取組、その1。\t総務課\n".encode(), "plan.tsv"
    )
    assert parsed.roots[0].actions[0].text == "取組、その1。"


def test_header_only_needs_the_columns_it_uses():
    parsed = parse_csv("大項目,取組名,実施内容", "1 柱,,取組。")
    assert parsed.roots[0].actions[0].departments == []


# --- bad CSV input


def test_wrong_column_count_names_the_row():
    error = csv_error(HEADER, "1 柱,,,,,取組。,総務課,", "1 柱,,,,,取組。,総務課,,余分")
    assert error.where == "3行目"
    assert "見出しは8列、この行は9列" in error.message


def test_row_numbers_count_lines_inside_quoted_cells():
    error = csv_error(HEADER, '1 柱,,,,,"二行の\n取組。",総務課,', "1 柱,,,,,取組。,総務課")
    assert error.where == "4行目"


def test_skipped_level_is_an_error_naming_the_cell():
    error = csv_error(HEADER, "1 柱,,取組X,,,取組。,総務課,")
    assert error.where == "2行目 2列目(中項目)"
    assert "中項目が空欄で、上の行にもありません" in error.message


def test_skipped_level_after_a_new_parent_is_an_error():
    error = csv_error(
        HEADER,
        "1 柱,(1)方策,取組X,,,取組。,総務課,",
        "2 次の柱,,取組Y,,,取組。,総務課,",
    )
    assert error.where == "3行目 2列目(中項目)"


def test_department_without_action_text_is_an_error():
    error = csv_error(HEADER, "1 柱,(1)方策,取組X,,,,総務課,")
    assert error.where == "2行目 6列目(実施内容)"
    assert "担当課が書かれていますが、実施内容が空です" in error.message


def test_unknown_header_is_an_error():
    error = csv_error("大項目,取組名,実施内容,予算額", "1 柱,,取組。,100")
    assert error.where == "1行目 4列目"
    assert "見出し「予算額」は読めません" in error.message


def test_missing_action_title_column_is_an_error():
    error = csv_error("大項目,実施内容,担当課", "1 柱,取組。,総務課")
    assert error.where == "1行目"
    assert "「取組名」の列がありません" in error.message


def test_first_data_row_must_name_a_level():
    error = csv_error(HEADER, ",,,,,取組。,総務課,")
    assert error.where == "2行目 1列目(大項目)"


def test_key_project_without_marker_names_the_cell():
    error = csv_error(HEADER, "1 柱,,,,,取組。,総務課,日曜窓口")
    assert error.where == "2行目 8列目(主要事業)"


def test_conflicting_node_details_are_an_error():
    error = csv_error(
        "大項目,取組名,実施内容,めざす姿",
        "1 柱,,,一つ目の姿",
        "1 柱,,,二つ目の姿",
    )
    assert error.where == "3行目 4列目(めざす姿)"


def test_empty_csv_is_rejected():
    with pytest.raises(PlanFormatError, match="空"):
        parse_plan_file(b"", "plan.csv")
    with pytest.raises(PlanFormatError, match="見出し行がありません"):
        parse_plan_file(b"\xef\xbb\xbf\r\n\r\n", "plan.csv")


def test_binary_file_is_rejected():
    data = bytes(range(256)) * 8
    with pytest.raises(PlanFormatError, match="バイナリ"):
        parse_plan_file(data, "plan.csv")
    with pytest.raises(PlanFormatError, match="形式を判別できません"):
        parse_plan_file(data, "plan.bin")


def test_euc_jp_csv_is_rejected_with_the_accepted_encodings():
    data = csv_bytes(HEADER, "1 市民参画の推進,,,,,情報発信を行う。,総務課,", encoding="euc_jp")
    with pytest.raises(PlanFormatError) as info:
        parse_plan_file(data, "plan.csv")
    assert "UTF-8" in info.value.message and "Shift_JIS" in info.value.message


def test_file_over_the_size_limit_is_rejected(settings):
    settings.PLAN_IMPORT_MAX_BYTES = 100
    data = csv_bytes(HEADER, *["1 柱,,,,,取組。,総務課,"] * 10)
    with pytest.raises(PlanFormatError, match="ファイルが大きすぎます"):
        parse_plan_file(data, "plan.csv")


@pytest.mark.parametrize("encoding", ["utf-8-sig", "cp932"])
def test_hard_characters_survive_csv(encoding):
    for char in HARD_CHARACTERS:
        assert char.encode("cp932").decode("cp932") == char
    exported = export_csv(full_plan(), encoding=encoding)
    if encoding == "cp932":
        assert not exported.startswith(b"\xef\xbb\xbf")
        assert HARD_CHARACTERS.encode("cp932") in exported
    else:
        assert exported.startswith(b"\xef\xbb\xbf")
    parsed = parse_plan_file(exported, "plan.csv")
    assert without_lines(parsed) == without_lines(full_plan())
    action = parsed.roots[0].children[0].children[0].actions[0]
    assert action.departments[1] == f"{HARD_CHARACTERS}課"


# --- XLSX


def test_xlsx_reads_like_csv_and_ignores_value_types():
    data = workbook_bytes(
        [
            ["大項目", "取組名", "番号", "実施内容", "担当課"],
            ["1 柱", None, 1, "取組。", "総務課\n財政課"],
            [None, None, 2.0, "二つ目。", "全庁"],
        ]
    )
    parsed = parse_plan_file(data, "plan.xlsx")
    assert parsed.format_name == "xlsx"
    assert [a.number for a in parsed.roots[0].actions] == ["1", "2"]
    assert parsed.roots[0].actions[0].departments == ["総務課", "財政課"]


def test_xlsx_errors_name_sheet_and_cell():
    data = workbook_bytes(
        [
            ["大項目", "中項目", "取組名", "実施内容", "担当課"],
            ["1 柱", None, None, None, "総務課"],
        ],
        title="体系",
    )
    error = xlsx_error(data)
    assert error.where == "体系!D2(実施内容)"


def test_xlsx_with_merged_cells_is_rejected_naming_the_range():
    def merge(sheet):
        sheet.merge_cells("A2:A5")

    rows = [["大項目", "取組名", "実施内容"]] + [["1 柱", None, f"取組{i}。"] for i in range(4)]
    error = xlsx_error(workbook_bytes(rows, edit=merge))
    assert error.where == "Sheet1!A2:A5"
    assert "結合を解除" in error.message


def test_xlsx_with_a_formula_is_rejected_naming_the_cell():
    rows = [["大項目", "取組名", "実施内容"], ["1 柱", None, '=A1&"の取組"']]
    error = xlsx_error(workbook_bytes(rows))
    assert error.where == "Sheet1!C2"
    assert "値の貼り付け" in error.message


def test_xlsx_name_on_other_bytes_is_rejected():
    error = xlsx_error(b"this is not a workbook at all")
    assert "Excel ブック（.xlsx）として読めません" in error.message
    assert isinstance(detect_format(b"PK\x03\x04 nothing", "plan.xlsx"), XlsxFormat)


def test_old_xls_is_rejected_with_advice():
    error = xlsx_error(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x01" * 600, "plan.xlsx")
    assert ".xls" in error.message


def test_xlsx_metadata_sheet():
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["大項目", "取組名", "実施内容"])
    sheet.append(["1 柱", None, "取組。"])
    info = workbook.create_sheet("計画情報")
    info.append(["key", "値"])
    info.append(["kind", "行財政改革計画"])  # the label is accepted too
    info.append(["start_fy", 2023])
    info.append(["原資料の更新日", datetime.datetime(2024, 3, 1)])
    buffer = io.BytesIO()
    workbook.save(buffer)
    parsed = parse_plan_file(buffer.getvalue(), "plan.xlsx")
    assert (parsed.kind, parsed.start_fy) == ("reform", 2023)
    assert parsed.source_updated_on.isoformat() == "2024-03-01"


def test_hard_characters_survive_xlsx():
    data = export_xlsx(full_plan())
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    assert workbook.sheetnames == ["計画体系", "計画情報"]
    parsed = parse_plan_file(data, "plan.xlsx")
    assert without_lines(parsed) == without_lines(full_plan())


def test_exported_text_starting_with_equals_is_not_a_formula():
    plan = full_plan()
    plan.roots[1].actions.append(copy.deepcopy(plan.roots[0].children[1].actions[0]))
    plan.roots[1].actions[0].text = "=1+1 ではなく文字列"
    parsed = parse_plan_file(export_xlsx(plan), "plan.xlsx")
    assert parsed.roots[1].actions[0].text == "=1+1 ではなく文字列"


def test_formats_are_detected_by_name_and_content():
    assert isinstance(detect_format(b"a,b", "plan.csv"), CsvFormat)
    assert isinstance(detect_format(csv_bytes(HEADER), "upload"), CsvFormat)
    assert isinstance(detect_format(export_xlsx(full_plan()), "upload"), XlsxFormat)
