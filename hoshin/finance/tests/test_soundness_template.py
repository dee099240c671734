"""The soundness-ratio template: lossless round trip (CSV in UTF-8/CP932, XLSX) and bad input."""

import io
import re
from decimal import Decimal

import openpyxl
import pytest

from hoshin.finance.models import SoundnessRatio, SoundnessReport
from hoshin.finance.services.imports import soundness_import
from hoshin.finance.services.ratios import RatioEntry, soundness_ratio_set, soundness_report_save
from hoshin.finance.tables.reading import TableError
from hoshin.finance.tables.soundness import TITLES, soundness_export
from hoshin.finance.tests.factories import make_finance_staff

pytestmark = pytest.mark.django_db

HEADER = ",".join(TITLES)


@pytest.fixture
def staff():
    return make_finance_staff()


def stored():
    return sorted(
        (
            r.report.fy,
            r.report.status,
            r.kind,
            r.enterprise_account,
            r.value,
            r.no_deficit,
            r.early_threshold,
            r.rehabilitation_threshold,
        )
        for r in SoundnessRatio.objects.select_related("report")
    )


def fill(staff):
    report = soundness_report_save(fy=2024, status="final", by=staff)
    entries = [
        RatioEntry(
            "real_deficit",
            no_deficit=True,
            early_threshold=Decimal("13.59"),
            rehabilitation_threshold=Decimal(20),
        ),
        RatioEntry(
            "consolidated_deficit",
            value=Decimal(0),
            early_threshold=Decimal("18.59"),
            rehabilitation_threshold=Decimal(30),
        ),
        RatioEntry(
            "debt_service",
            value=Decimal("18.4"),
            early_threshold=Decimal(25),
            rehabilitation_threshold=Decimal(35),
        ),
        RatioEntry("future_burden"),  # missing
        RatioEntry(
            "fund_shortage",
            no_deficit=True,
            early_threshold=Decimal(20),
            enterprise_account="水道事業会計①",
        ),
    ]
    for entry in entries:
        soundness_ratio_set(report=report, entry=entry, by=staff)
    preliminary = soundness_report_save(fy=2025, by=staff)
    soundness_ratio_set(
        report=preliminary, entry=RatioEntry("debt_service", value=Decimal("17.125")), by=staff
    )


@pytest.mark.parametrize("form", ["utf-8-sig", "cp932", "xlsx"])
def test_export_then_import_gives_back_exactly_what_was_stored(staff, form):
    fill(staff)
    before = stored()
    if form == "xlsx":
        data, filename = soundness_export(), "ratios.xlsx"
    else:
        data, filename = soundness_export(encoding=form), "ratios.csv"
    SoundnessRatio.objects.all().delete()
    SoundnessReport.objects.update(status="preliminary")
    soundness_import(data=data, filename=filename, by=staff)
    assert stored() == before
    assert ("－" in data.decode(form)) if form != "xlsx" else True


def test_dash_zero_and_empty_cells_stay_three_different_things(staff):
    text = (
        HEADER
        + "\r\n"
        + "\r\n".join(
            [
                "令和6年度,実質赤字比率,,－,13.59,20,速報値",
                "R6,連結実質赤字比率,,0,18.59,30,速報値",
                "2024年度,将来負担比率,,,350,,速報値",
            ]
        )
    )
    soundness_import(data=text.encode("utf-8-sig"), filename="r.csv", by=staff)
    states = {ratio.kind: ratio.state for ratio in SoundnessRatio.objects.all()}
    assert states == {
        "real_deficit": "dash",
        "consolidated_deficit": "value",
        "future_burden": "missing",
    }


def test_full_width_digits_commas_and_units_are_read(staff):
    text = HEADER + "\n" + "２０２４,実質公債費比率,,１８．４％,25%,35,確定値\n"
    soundness_import(data=text.encode("cp932"), filename="r.csv", by=staff)
    ratio = SoundnessRatio.objects.get()
    assert (ratio.value, ratio.early_threshold, ratio.report.fy, ratio.report.status) == (
        Decimal("18.4"),
        Decimal(25),
        2024,
        "final",
    )


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        (
            ["2024,実質赤字比率,,abc,,,速報値"],
            "2行目 D列（比率（%））: 「abc」は数値として読めません",
        ),
        (
            ["2024,実質赤字比率,,1.0,,,速報値", "2024,赤字比率,,1.0,,,速報値"],
            "3行目 B列（比率）: 「赤字比率」は比率の名称にありません",
        ),
        (
            ["2024,実質赤字比率,,1.0,,,速報値", "2024,実質公債費比率,,1.0,,,確定値"],
            "3行目 G列（状態）: 同じ年度の行で状態が異なります",
        ),
        (
            ["2024,将来負担比率,,△5.2,350,,速報値"],
            "2行目 B列（比率）: 将来負担比率: 負の値は公表の様式どおり「－」として入力",
        ),
        (["平成99年度,実質赤字比率,,1,,,速報値"], "2行目 A列（年度）"),
        (
            ["2024,実質赤字比率,,1,,,速報値", "2024,実質赤字比率,,2,,,速報値"],
            "同じ比率の行が2つあります",
        ),
    ],
)
def test_a_bad_cell_is_named_and_nothing_is_stored(staff, rows, message):
    soundness_report_save(fy=2024, by=staff)
    text = HEADER + "\n" + "\n".join(rows) + "\n"
    with pytest.raises(TableError, match=re.escape(message)):
        soundness_import(data=text.encode("utf-8"), filename="r.csv", by=staff)
    assert not SoundnessRatio.objects.exists()


def test_a_moved_column_is_refused_naming_it(staff):
    titles = list(TITLES)
    titles[3], titles[4] = titles[4], titles[3]
    text = ",".join(titles) + "\n2024,実質赤字比率,,13.59,1,20,速報値\n"
    with pytest.raises(
        TableError,
        match="1行目 D列（比率（%））: 見出しは「比率（%）」のはずですが「早期健全化基準（%）」です",
    ):
        soundness_import(data=text.encode("utf-8"), filename="r.csv", by=staff)
    with pytest.raises(TableError, match="H列（備考）: 様式にない列"):
        soundness_import(data=(HEADER + ",備考\n").encode("utf-8"), filename="r.csv", by=staff)


def workbook_bytes(rows, *, merge=None, formula=None):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "健全化判断比率"
    sheet.append(TITLES)
    for row in rows:
        sheet.append(row)
    if merge:
        sheet.merge_cells(merge)
    if formula:
        sheet[formula] = "=1+1"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def test_a_workbook_with_a_merged_cell_or_a_formula_is_refused_naming_it(staff):
    rows = [
        [2024, "実質赤字比率", None, "－", 13.59, 20, "速報値"],
        [2024, "連結実質赤字比率", None, 0, 18.59, 30, "速報値"],
    ]
    with pytest.raises(TableError, match="健全化判断比率!A2:A3: 結合されたセル"):
        soundness_import(data=workbook_bytes(rows, merge="A2:A3"), filename="r.xlsx", by=staff)
    with pytest.raises(TableError, match="健全化判断比率!D3: 数式は読み込めません"):
        soundness_import(data=workbook_bytes(rows, formula="D3"), filename="r.xlsx", by=staff)
    soundness_import(data=workbook_bytes(rows), filename="r.xlsx", by=staff)
    assert SoundnessRatio.objects.get(kind="consolidated_deficit").value == 0


def test_a_year_in_the_file_replaces_that_years_ratios_only(staff):
    fill(staff)
    text = HEADER + "\n2024,実質公債費比率,,9.9,25,35,確定値\n"
    soundness_import(data=text.encode("utf-8"), filename="r.csv", by=staff)
    assert SoundnessRatio.objects.filter(report__fy=2024).count() == 1
    assert SoundnessRatio.objects.filter(report__fy=2025).count() == 1
