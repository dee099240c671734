"""The fund template: lossless round trip, the checked year-end balance, negative balances."""

import re
from decimal import Decimal

import pytest

from hoshin.finance.models import Fund, FundYear
from hoshin.finance.services.debt import fund_create, fund_year_set
from hoshin.finance.services.imports import funds_import
from hoshin.finance.tables.funds import TITLES, funds_export
from hoshin.finance.tables.reading import TableError
from hoshin.finance.tests.factories import make_finance_staff

pytestmark = pytest.mark.django_db

HEADER = ",".join(TITLES)


@pytest.fixture
def staff():
    return make_finance_staff()


def snapshot():
    return [
        (
            f.name,
            f.opening_fy,
            f.opening_balance,
            [(y.fy, y.deposits, y.withdrawals) for y in f.years.all()],
        )
        for f in Fund.objects.order_by("name")
    ]


@pytest.mark.parametrize("encoding", ["utf-8-sig", "cp932", None])
def test_export_then_import_gives_back_the_same_funds(staff, encoding):
    adjustment = fund_create(
        name="財政調整基金", opening_fy=2021, opening_balance=Decimal(1_500_000), by=staff
    )
    fund_year_set(fund=adjustment, fy=2021, deposits=Decimal(0), withdrawals=Decimal(0), by=staff)
    fund_year_set(
        fund=adjustment, fy=2023, deposits=Decimal(200_000), withdrawals=Decimal(350_000), by=staff
    )
    fund_create(name="ふるさと応援基金", opening_fy=2024, opening_balance=Decimal(12_345), by=staff)
    before = snapshot()
    data = funds_export(encoding=encoding)
    FundYear.objects.all().delete()
    Fund.objects.update(opening_balance=0)
    funds_import(data=data, filename="f.xlsx" if encoding is None else "f.csv", by=staff)
    assert snapshot() == before


def test_the_year_end_balance_column_is_checked_against_the_rows(staff):
    rows = '財政調整基金,2023,"1,000",200,,"1,200"\n財政調整基金,2024,,,300,%s\n'
    with pytest.raises(
        TableError,
        match=re.escape(
            "3行目 F列（年度末残高（千円））: 年度末残高は上の行から計算すると900千円です"
        ),
    ):
        funds_import(
            data=(HEADER + "\n" + rows % "1,000").encode("utf-8"), filename="f.csv", by=staff
        )
    assert not Fund.objects.exists()
    funds_import(data=(HEADER + "\n" + rows % "900").encode("utf-8"), filename="f.csv", by=staff)
    assert snapshot() == [("財政調整基金", 2023, 1_000, [(2023, 200, 0), (2024, 0, 300)])]


def test_a_withdrawal_beyond_the_balance_is_refused_naming_the_row(staff):
    text = HEADER + "\n財政調整基金,2023,100,,,\n財政調整基金,2024,,,150,\n"
    with pytest.raises(
        TableError, match=re.escape("3行目: 財政調整基金: 2024年度末の残高が△50千円になります")
    ):
        funds_import(data=text.encode("utf-8"), filename="f.csv", by=staff)
    assert not Fund.objects.exists()


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        (
            ["財政調整基金,2023,,10,,"],
            "2行目 C列（期首残高（千円））: 基金の最初の行には期首残高を入力してください",
        ),
        (
            ["財政調整基金,2023,0,10,,", "財政調整基金,2024,5,,,"],
            "3行目 C列（期首残高（千円））: 期首残高は基金の最初の行にだけ",
        ),
        (
            ["財政調整基金,2023,0,10,,", "財政調整基金,2022,,1,,"],
            "3行目 B列（年度）: 年度は基金ごとに古い順に",
        ),
        (["財政調整基金,2023,0,△10,,"], "2行目 D列（積立額（千円））: 0以上で入力してください"),
    ],
)
def test_bad_rows_are_named(staff, rows, message):
    text = HEADER + "\n" + "\n".join(rows) + "\n"
    with pytest.raises(TableError, match=re.escape(message)):
        funds_import(data=text.encode("utf-8"), filename="f.csv", by=staff)


def test_funds_not_in_the_file_are_left_alone(staff):
    fund_create(name="減債基金", opening_fy=2020, opening_balance=Decimal(7), by=staff)
    funds_import(
        data=(HEADER + "\n財政調整基金,2023,100,,,100\n").encode("utf-8"),
        filename="f.csv",
        by=staff,
    )
    assert sorted(Fund.objects.values_list("name", "opening_balance")) == [
        ("減債基金", 7),
        ("財政調整基金", 100),
    ]
