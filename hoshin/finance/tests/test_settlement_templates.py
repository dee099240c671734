"""The settlement templates (決算の指標, 決算の内訳): lossless round trip and bad cells."""

import datetime
import re
from decimal import Decimal

import pytest

from hoshin.finance.models import SettlementLine, SettlementYear
from hoshin.finance.services.imports import settlement_lines_import, settlement_years_import
from hoshin.finance.services.ratios import LineEntry, settlement_lines_replace, settlement_save
from hoshin.finance.tables.reading import TableError
from hoshin.finance.tables.settlement import (
    LINE_TITLES,
    YEAR_TITLES,
    settlement_lines_export,
    settlement_years_export,
)
from hoshin.finance.tests.factories import make_finance_staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff():
    return make_finance_staff()


def snapshot():
    years = [
        (
            y.fy,
            y.status,
            y.fiscal_capability_index,
            y.current_balance_ratio,
            y.real_balance_ratio,
            y.standard_fiscal_scale,
            y.population,
            y.population_on,
        )
        for y in SettlementYear.objects.order_by("fy")
    ]
    lines = [
        (line.settlement.fy, line.table, line.code, line.label, line.position, line.amount)
        for line in SettlementLine.objects.select_related("settlement").order_by(
            "settlement__fy", "table", "position"
        )
    ]
    return years, lines


def fill(staff):
    final = settlement_save(
        fy=2023,
        status="final",
        fiscal_capability_index=Decimal("0.612"),
        current_balance_ratio=Decimal("92.4"),
        real_balance_ratio=Decimal("4.1"),
        standard_fiscal_scale=Decimal(15_234_567),
        population=30_123,
        population_on=datetime.date(2024, 3, 31),
        by=staff,
    )
    settlement_save(
        fy=2024, current_balance_ratio=Decimal("93.0"), by=staff
    )  # preliminary, partial
    settlement_lines_replace(
        settlement=final,
        table="expenditure_purpose",
        by=staff,
        lines=[
            LineEntry("welfare", "民生費", Decimal(9_000_000)),
            LineEntry("disaster", "災害復旧費", None),
        ],
    )
    settlement_lines_replace(
        settlement=final,
        table="revenue_source",
        by=staff,
        lines=[
            LineEntry("local_tax", "市税", Decimal(4_500_000)),
            LineEntry("allocation_tax", "地方交付税", Decimal(0)),
        ],
    )


@pytest.mark.parametrize("encoding", ["utf-8-sig", "cp932", None])
def test_export_then_import_gives_back_the_same_figures(staff, encoding):
    fill(staff)
    before = snapshot()
    suffix = "xlsx" if encoding is None else "csv"
    years, lines = (
        settlement_years_export(encoding=encoding),
        settlement_lines_export(encoding=encoding),
    )
    SettlementYear.objects.all().delete()
    settlement_years_import(data=years, filename=f"y.{suffix}", by=staff)
    settlement_lines_import(data=lines, filename=f"l.{suffix}", by=staff)
    assert snapshot() == before


def test_typed_figures_with_units_and_full_width_digits_are_read(staff):
    text = (
        ",".join(YEAR_TITLES)
        + '\n令和5年度,確定値,０．６１２,92.4%,－,"15,234,567千円","30,123人",2024/3/31\n'
    )
    settlement_years_import(data=text.encode("cp932"), filename="y.csv", by=staff)
    year = SettlementYear.objects.get()
    assert (
        year.fy,
        year.fiscal_capability_index,
        year.current_balance_ratio,
        year.real_balance_ratio,
    ) == (2023, Decimal("0.612"), Decimal("92.4"), None)
    assert (year.standard_fiscal_scale, year.population) == (15_234_567, 30_123)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2023,確定値,,,,,0,", "3行目: 人口は1人以上です"),
        ("2023,速報,,,,,,", "3行目 B列（状態）: 「速報」は選べません"),
        (
            '2023,確定値,,,,"1,000円",,',
            "3行目 F列（標準財政規模（千円））: 「1,000円」は数値として読めません",
        ),
        ("2023,確定値,,,,,,\n2023,確定値,,,,,,", "4行目 A列（年度）: 同じ年度の行が2つあります"),
    ],
)
def test_a_bad_indicator_cell_is_named_and_nothing_is_stored(staff, text, message):
    # The good first row (FY2022) must not be stored either: the upload is all or nothing.
    data = (",".join(YEAR_TITLES) + "\n2022,確定値,,,,,,\n" + text + "\n").encode("utf-8")
    with pytest.raises(TableError, match=re.escape(message)):
        settlement_years_import(data=data, filename="y.csv", by=staff)
    assert not SettlementYear.objects.exists()


def test_a_bad_line_is_named_and_nothing_is_stored(staff):
    header = ",".join(LINE_TITLES)
    cases = [
        ('2023,歳出（目的別）,welfare,民生費,"△1,000"', "E列（金額（千円））: 金額は0以上です"),
        ("2023,歳出（目的別）,,民生費,1", "C列（コード）: 入力してください"),
        (
            "2023,歳出（目的別）,police,警察費,1\n2023,歳出（目的別）,police,警察費,2",
            "4行目 C列（コード）: コード「police」が同じ年度・区分に2つあります",
        ),
        ("2023,歳出,police,警察費,1", "B列（区分）: 「歳出」は選べません"),
    ]
    for rows, message in cases:
        data = (header + "\n2023,歳入（財源別）,tax,市税,5\n" + rows + "\n").encode("utf-8")
        with pytest.raises(TableError, match=re.escape(message)):
            settlement_lines_import(data=data, filename="l.csv", by=staff)
    assert not SettlementYear.objects.exists() and not SettlementLine.objects.exists()


def test_a_table_in_the_file_replaces_only_that_table_of_that_year(staff):
    fill(staff)
    data = (",".join(LINE_TITLES) + "\n2023,歳出（目的別）,education,教育費,100\n").encode("utf-8")
    settlement_lines_import(data=data, filename="l.csv", by=staff)
    assert sorted(SettlementLine.objects.values_list("table", "code")) == [
        ("expenditure_purpose", "education"),
        ("revenue_source", "allocation_tax"),
        ("revenue_source", "local_tax"),
    ]
