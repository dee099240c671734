"""The one policy for CSV and XLSX files: encodings, the CP932 refusal, formula escaping."""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from openpyxl import Workbook, load_workbook

from hoshin.lib.spreadsheets import (
    CP932,
    UTF8_BOM,
    CsvEncodingError,
    CsvWriter,
    XlsxTextError,
    cp932_message,
    csv_encoding,
    csv_escape,
    csv_unescape,
    xlsx_append,
    xlsx_put,
)

FORMULAS = ["=1+1", '=HYPERLINK("http://example.com")', "+81 3", "-5", "@SUM(A1)", "\tx", "\rx"]
PLAIN = ["", "市民", "1-2", "a=b", " =1", "'quoted", "''", "'", "#key=value", "５－３"]


def read_csv(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text, newline="")))


# ---- formula escaping ------------------------------------------------------------------------


@pytest.mark.parametrize("text", FORMULAS)
def test_text_starting_like_a_formula_gets_an_apostrophe(text):
    assert csv_escape(text) == "'" + text


@pytest.mark.parametrize("text", PLAIN)
def test_other_text_is_written_as_it_is(text):
    assert csv_escape(text) == text


@pytest.mark.parametrize("text", FORMULAS + PLAIN + ["'=1+1", "''-5", "'@", "'\tx"])
def test_unescape_gives_back_exactly_what_was_escaped(text):
    assert csv_unescape(csv_escape(text)) == text


def test_a_text_already_written_with_an_apostrophe_keeps_it():
    # "'=1" is what someone typed; it gets one more so that reading removes only ours.
    assert csv_escape("'=1") == "''=1"
    assert csv_unescape("'quoted") == "'quoted"


# ---- the CSV writer ----------------------------------------------------------------------


def test_only_text_is_escaped_numbers_stay_numbers():
    writer = CsvWriter(header=["a", "b", "c", "d", "e", "f"])
    line = writer.row([-5, Decimal("-1.5"), -0.5, "-5", "=1+1", None])
    assert read_csv(line) == [["-5", "-1.5", "-0.5", "'-5", "'=1+1", ""]]
    assert line.endswith("\r\n")


def test_a_caller_formats_values_that_are_not_text():
    writer = CsvWriter(text=lambda value: f"{value:.1f}" if isinstance(value, float) else "")
    assert read_csv(writer.row([66.66, -1.0, datetime.date(2025, 4, 1)])) == [["66.7", "-1.0", ""]]


def test_utf8_has_one_bom_and_keeps_every_character():
    writer = CsvWriter()
    text = "".join(writer.row(values) for values in (["見出し"], ["𠮷野家", "😀"], ["〜"]))
    data = writer.encode(text)
    assert data.startswith(b"\xef\xbb\xbf") and data.count(b"\xef\xbb\xbf") == 1
    assert read_csv(data.decode(UTF8_BOM)) == [["見出し"], ["𠮷野家", "😀"], ["〜"]]


def test_cp932_keeps_nec_and_ibm_extension_characters():
    # NEC special (①, ㈱) and IBM extension (髙, 﨑) characters: all four are in CP932.
    for char in "①㈱髙﨑":
        assert char.encode(CP932).decode(CP932) == char
    writer = CsvWriter(encoding=CP932)
    data = writer.encode(writer.row(["①㈱髙﨑", "～", "－"]))
    assert read_csv(data.decode(CP932)) == [["①㈱髙﨑", "～", "－"]]


@pytest.mark.parametrize(
    "char",
    [
        "𠮷",  # outside CP932
        "😀",  # outside CP932
        "〜",  # U+301C: encodes, but reads back as ～ U+FF5E
        "−",  # U+2212: reads back as － U+FF0D
        "¢",  # reads back as ￠
    ],
)
def test_cp932_refuses_what_it_cannot_give_back_naming_line_column_row_and_character(char):
    writer = CsvWriter(encoding=CP932, header=["番号", "内容"])
    writer.row(["番号", "内容"], label="見出し")
    with pytest.raises(CsvEncodingError) as info:
        writer.row(["1", f"取組{char}の説明"], label="action_id=7")
    assert str(info.value) == (
        f"2行目 2列目(内容)（action_id=7）: 「{char}」(U+{ord(char):04X}) は Shift_JIS（CP932）で"
        "書けません。UTF-8（BOM付き）で書き出してください（Excel でそのまま開けます）。"
    )


def test_cp932_lines_are_counted_as_an_editor_shows_them():
    writer = CsvWriter(encoding=CP932)
    writer.row(["一行目"])
    writer.row(["二行目\n三行目"])  # a quoted cell with a line break spans two lines
    with pytest.raises(CsvEncodingError, match=r"^4行目 1列目: 「𠮷」"):
        writer.row(["𠮷"])


def test_the_message_shortens_a_long_column_title():
    message = cp932_message(line=1, column=9, title="問5 " + "あ" * 40, label="", char="𠮷")
    assert message.startswith("1行目 9列目(問5 " + "あ" * 27 + "…): 「𠮷」(U+20BB7)")


def test_unknown_encodings_are_refused():
    with pytest.raises(CsvEncodingError, match="utf-8-sig、cp932"):
        CsvWriter(encoding="euc_jp")


@pytest.mark.parametrize(
    ("name", "codec"),
    [
        ("utf-8", UTF8_BOM),
        ("UTF8", UTF8_BOM),
        ("utf-8-sig", UTF8_BOM),
        ("cp932", CP932),
        ("Shift_JIS", CP932),
        ("sjis", CP932),
        (" windows-31j ", CP932),
        ("latin-1", None),
        ("", None),
    ],
)
def test_encoding_names(name, codec):
    assert csv_encoding(name) == codec


# ---- XLSX ----------------------------------------------------------------------------------------


def reopened(workbook: Workbook):
    buffer = io.BytesIO()
    workbook.save(buffer)
    return load_workbook(io.BytesIO(buffer.getvalue()))


@pytest.mark.parametrize("text", [*FORMULAS[:5], "'=1", "普通の文字"])
def test_xlsx_text_is_a_text_cell_with_the_exact_value(text):
    workbook = Workbook()
    xlsx_put(workbook.active, 1, 1, text)
    cell = reopened(workbook).active["A1"]
    assert cell.data_type == "s" and cell.value == text
    # Excel's own mark for "typed with an apostrophe": the cell stays text when edited.
    assert cell.quotePrefix == text.startswith(("=", "+", "-", "@"))


def test_xlsx_numbers_stay_numbers():
    workbook = Workbook()
    xlsx_append(workbook.active, [-5, -1.5, Decimal("-2.25"), "-5"])
    row = reopened(workbook).active[1]
    assert [(cell.value, cell.data_type) for cell in row] == [
        (-5, "n"),
        (-1.5, "n"),
        (-2.25, "n"),
        ("-5", "s"),
    ]


def test_xlsx_write_only_rows_hold_text_cells():
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("data")
    xlsx_append(sheet, ["=1+1", 3, None, "@x"])
    row = reopened(workbook)["data"][1]
    assert [(cell.value, cell.data_type) for cell in row] == [
        ("=1+1", "s"),
        (3, "n"),
        (None, "n"),
        ("@x", "s"),
    ]


def test_xlsx_control_characters_are_dropped_or_refused_when_exact():
    workbook = Workbook()
    sheet = workbook.active
    xlsx_put(sheet, 1, 1, "取組\x0bの\x00説明\tと\n改行")
    assert reopened(workbook).active["A1"].value == "取組の説明\tと\n改行"
    with pytest.raises(XlsxTextError, match="制御文字"):
        xlsx_put(sheet, 2, 1, "取組\x0bの説明", exact=True)
