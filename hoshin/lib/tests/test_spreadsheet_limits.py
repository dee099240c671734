"""The bounded reading policy of ``hoshin.lib.spreadsheets`` (issue 10, finding 2, the nested-JSON
RecursionError, "What to build" 2): every hostile file is refused quickly with a message naming
what exceeded which limit; fuzzed input gives a clean result or the policy's own error."""

import contextlib
import io
import json
import time
import zipfile

import openpyxl
import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from hoshin.lib.spreadsheets import (
    ReadLimits,
    SpreadsheetReadError,
    UploadLimitError,
    csv_rows,
    json_check,
    json_load,
    text_lines_check,
    xlsx_check,
    xlsx_open,
)
from hoshin.lib.tests import bombs

LIMITS = ReadLimits()  # the defaults: also those of settings.py
FAST = 4.0  # seconds: about 1 s measured alone; room for 2 cores shared by 6 (before: 228 s)
FUZZ = hypothesis_settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


def refused(data: bytes) -> str:
    started = time.perf_counter()
    with pytest.raises(UploadLimitError) as caught:
        xlsx_open(data, LIMITS)
    assert time.perf_counter() - started < FAST
    return str(caught.value)


# Finding 2: each bomb of the report, refused before openpyxl builds anything.
@pytest.mark.parametrize(
    ("bomb", "expected"),
    [
        (
            bombs.merge_bomb,
            'シート「Sheet1」（mergeCell ref="A1000:XFD1015"）の列数が上限を超えています（16,384、上限 500）',
        ),
        (
            lambda: bombs.merge_bomb("A1000:XFD1048576"),
            "の行数が上限を超えています（1,048,576、上限 20,000）",
        ),
        (
            bombs.dimension_bomb,
            'シート「Sheet1」（dimension ref="A1:XFD1048576"）の行数が上限を超えています',
        ),
        (
            bombs.plain_cells,
            "シート「Sheet1」までのセルの数（使われている範囲の行数×列数、シートの合計）が上限を超えています",
        ),
        (bombs.zip_bomb, "展開後のサイズ（バイト）が上限を超えています"),
        (bombs.entity_bomb, "XML に DTD・実体宣言があります"),
    ],
    ids=[
        "merge 16 rows",
        "merge to the last row",
        "dimension",
        "2 million cells",
        "zip bomb",
        "entities",
    ],
)
def test_each_bomb_is_refused_quickly_with_its_reason(bomb, expected):
    assert expected in refused(bomb())


def test_the_report_sizes_of_the_bombs():
    assert len(bombs.merge_bomb()) < 14_000
    assert 3_000_000 < len(bombs.plain_cells()) < 8_000_000  # the report's was 5.7 MB


def test_many_small_merges_count_by_their_area():
    merges = tuple(f"A{row}:J{row + 99}" for row in range(1, 300))  # 299 × 1,000 cells, overlapping
    assert "の結合セルの面積が上限を超えています" in refused(bombs.workbook(merges=merges))


def test_cells_without_a_place_count_where_excel_puts_them():
    row = "<row><c><v>1</v></c></row>"  # under 1 MB in all: the ratio check stays out
    message = refused(bombs.workbook(row * 20_001))
    assert "の行数が上限を超えています（20,001、上限 20,000）" in message


def test_a_packed_part_beyond_the_ratio_is_refused():
    data = bombs.workbook(extra={"xl/media/zeros.xml": b"\0" * (10 * 1024 * 1024)})
    assert "xl/media/zeros.xml の圧縮率が上限を超えています" in refused(data)


def test_too_many_parts_are_refused():
    extra = {f"xl/media/{index}.bin": b"x" for index in range(1_001)}
    assert "ブック内のファイル数が上限を超えています（1,006、上限 1,000）" in refused(
        bombs.workbook(extra=extra)
    )


def test_a_workbook_within_the_limits_reads_as_before():
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    for row in range(1, 2_001):
        sheet.append([f"取組{row}", row, "=SUM(1,2)" if row == 1 else None])
    sheet.merge_cells("D1:E2")
    buffer = io.BytesIO()
    workbook.save(buffer)
    merges = xlsx_check(buffer.getvalue(), LIMITS)
    assert list(merges.values()) == [["D1:E2"]]
    read = xlsx_open(buffer.getvalue(), LIMITS)
    assert read.active["A2000"].value == "取組2000"
    assert read.active["C1"].data_type == "f"  # formulas are kept, for the readers to refuse


def test_the_limits_are_settings(settings):
    settings.HOSHIN_UPLOAD_MAX_ROWS = 10
    with pytest.raises(UploadLimitError, match="上限 10）"):
        xlsx_check(bombs.workbook('<row r="11"><c r="A11"><v>1</v></c></row>'))


@pytest.mark.parametrize("data", [b"", b"PK\x03\x04 broken", b"\xd0\xcf\x11\xe0old", b"plain text"])
def test_a_damaged_file_is_a_read_error_not_a_crash(data):
    with pytest.raises(SpreadsheetReadError):
        xlsx_open(data, LIMITS)


# The nested-JSON finding: 100,000 brackets are a message, not a RecursionError (a 500).
def test_deeply_nested_json_is_refused_before_parsing():
    started = time.perf_counter()
    with pytest.raises(
        UploadLimitError, match="JSON の入れ子が深すぎます（1行目で65段、上限 64段）"
    ):
        json_load(bombs.nested_json().decode(), limits=LIMITS)
    assert time.perf_counter() - started < FAST


def test_brackets_inside_strings_do_not_count():
    text = json.dumps({"text": "[" * 10_000 + '\\"{' * 100, "list": [[[1]]]})
    assert json_load(text, limits=LIMITS)["list"] == [[[1]]]


def test_too_many_json_values_are_refused():
    with pytest.raises(UploadLimitError, match="JSON の値の数"):
        json_check("[" + "0," * 200_000 + "0]", LIMITS)


def test_csv_rows_are_bounded():
    assert list(csv_rows("a,b\r\n1,2\r\n", limits=LIMITS)) == [(1, ["a", "b"]), (2, ["1", "2"])]
    with pytest.raises(UploadLimitError, match="CSV の行数が上限を超えています（20,001"):
        list(csv_rows("x\n" * 30_000, limits=LIMITS))
    with pytest.raises(UploadLimitError, match="1行目の列数"):
        list(csv_rows("," * 600, limits=LIMITS))
    with pytest.raises(SpreadsheetReadError, match="1行目: CSVとして読めません"):
        list(csv_rows('"' + "x" * 200_000 + '"', limits=LIMITS))  # csv's field_size_limit


def test_text_lines_are_bounded():
    text_lines_check("a\n" * 19_999, LIMITS)
    with pytest.raises(UploadLimitError, match="行数が上限を超えています（30,001"):
        text_lines_check("a\n" * 30_000, LIMITS)


# ---- fuzzing: never anything but a clean result or the policy's own error -----------------


def _valid_xlsx() -> bytes:
    workbook = openpyxl.Workbook()
    workbook.active.append(["計画", 1, "=1+1"])
    workbook.active.merge_cells("A3:B4")
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


VALID_XLSX = _valid_xlsx()


@FUZZ
@given(st.binary(max_size=4096))
def test_fuzz_random_bytes_as_xlsx(data):
    with contextlib.suppress(SpreadsheetReadError):
        xlsx_open(data, LIMITS)


def test_a_zip_needing_an_unknown_version_to_extract_is_unreadable_not_a_crash():
    """Found by fuzzing: zipfile raises NotImplementedError for "zip file version 6.4"."""
    data = bytearray(VALID_XLSX)
    entry = data.find(b"PK\x01\x02")  # the first central-directory entry
    data[entry + 6 : entry + 8] = (64).to_bytes(2, "little")  # version needed to extract
    with pytest.raises(SpreadsheetReadError):
        xlsx_open(bytes(data), LIMITS)


@FUZZ
@given(st.lists(st.tuples(st.integers(0, len(VALID_XLSX) - 1), st.integers(0, 255)), max_size=8))
def test_fuzz_mutated_xlsx(mutations):
    data = bytearray(VALID_XLSX)
    for position, value in mutations:
        data[position] = value
    with contextlib.suppress(SpreadsheetReadError):
        xlsx_open(bytes(data), LIMITS)


XML_PIECES = st.sampled_from(
    [
        '<row r="{n}">',
        "</row>",
        '<c r="{col}{n}"><v>1</v></c>',
        "<c><v>2</v></c>",
        '<mergeCell ref="A{n}:{col}{m}"/>',
        '<dimension ref="A1:{col}{m}"/>',
        "<!DOCTYPE x>",
        "&amp;",
        "<",
    ]
)


@FUZZ
@given(
    st.lists(
        st.tuples(
            XML_PIECES, st.integers(0, 2_000_000), st.sampled_from(["A", "Z", "XFD", "", "$"])
        ),
        max_size=30,
    )
)
def test_fuzz_sheet_xml_pieces(pieces):
    rows = "".join(
        piece.format(n=number, m=number + 3, col=column) for piece, number, column in pieces
    )
    with contextlib.suppress(SpreadsheetReadError):
        xlsx_open(bombs.workbook(rows), LIMITS)


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=10),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=5), children, max_size=4)
    ),
    max_leaves=50,
)


@FUZZ
@given(JSON_VALUES, st.integers(0, 100))
def test_fuzz_nested_json(value, extra_depth):
    text = "[" * extra_depth + json.dumps(value) + "]" * extra_depth
    try:
        json_load(text, limits=LIMITS)
    except UploadLimitError:
        assert extra_depth > 1  # only the added nesting can exceed the limit


@FUZZ
@given(st.text(max_size=2000))
def test_fuzz_json_and_csv_text(text):
    with contextlib.suppress(UploadLimitError, json.JSONDecodeError):
        json_load(text, limits=LIMITS)
    with contextlib.suppress(SpreadsheetReadError):
        list(csv_rows(text, limits=LIMITS))


def test_zipfile_members_lie_about_their_size():
    """A part whose header claims less than it holds is cut at the claim (zipfile), then refused."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "xl/worksheets/sheet1.xml", "<worksheet>" + "<x/>" * 100_000 + "</worksheet>"
        )
    data = buffer.getvalue().replace((400_023).to_bytes(4, "little"), (100).to_bytes(4, "little"))
    with pytest.raises(SpreadsheetReadError):
        xlsx_open(data, LIMITS)
