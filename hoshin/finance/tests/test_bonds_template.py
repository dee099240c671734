"""The bond-register template: lossless round trip and bad rows (schedules regenerated)."""

import datetime
import io
import re
from decimal import Decimal

import openpyxl
import pytest

from hoshin.finance.models import Bond, BondInstalment
from hoshin.finance.services.imports import bonds_import
from hoshin.finance.tables.bonds import TITLES, bonds_export
from hoshin.finance.tables.reading import TableError
from hoshin.finance.tests.factories import make_bond, make_finance_staff

pytestmark = pytest.mark.django_db

HEADER = ",".join(TITLES)
GOOD = '令和6年度,教育債,小学校校舎改築事業,財政融資資金,,"1,000,000",0.45%,2025/5/20,20,3,2045-05-20,元利均等,年2回（半年賦）'


@pytest.fixture
def staff():
    return make_finance_staff()


def register():
    bonds = Bond.objects.order_by("fy", "borrowed_on", "id")
    return [
        (
            b.fy,
            b.purpose,
            b.project,
            b.lender,
            b.lender_name,
            b.amount,
            b.annual_rate,
            b.borrowed_on,
            b.term_years,
            b.grace_years,
            b.matures_on,
            b.method,
            b.frequency,
            [(i.number, i.due_on, i.principal, i.interest) for i in b.instalments.all()],
        )
        for b in bonds
    ]


@pytest.mark.parametrize("form", ["utf-8-sig", "cp932", "xlsx"])
def test_export_then_import_gives_back_the_same_register_and_schedules(staff, form):
    make_bond(staff, grace_years=1)
    make_bond(
        staff,
        fy=2025,
        purpose="temporary_fiscal",
        project="臨時財政対策債",
        lender="bank",
        lender_name="㈱ほしの銀行",
        amount=Decimal(98_765_432),
        annual_rate=Decimal("0.875"),
        borrowed_on=datetime.date(2026, 3, 31),
        term_years=20,
        grace_years=3,
        matures_on=datetime.date(2046, 3, 31),
        method="equal_payment",
        frequency=2,
    )
    before = register()
    if form == "xlsx":
        data, filename = bonds_export(), "bonds.xlsx"
    else:
        data, filename = bonds_export(encoding=form), "bonds.csv"
    Bond.objects.all().delete()
    bonds_import(data=data, filename=filename, by=staff)
    assert register() == before


def test_a_row_typed_as_staff_type_it_is_read(staff):
    bonds_import(data=(HEADER + "\n" + GOOD + "\n").encode("cp932"), filename="b.csv", by=staff)
    bond = Bond.objects.get()
    assert (
        bond.fy,
        bond.purpose,
        bond.amount,
        bond.annual_rate,
        bond.borrowed_on,
        bond.frequency,
    ) == (2024, "education", 1_000_000, Decimal("0.45"), datetime.date(2025, 5, 20), 2)
    assert bond.instalments.count() == 40


def test_the_years_in_the_file_replace_those_years_only(staff):
    make_bond(staff, fy=2024, project="古い登録")
    make_bond(
        staff,
        fy=2023,
        borrowed_on=datetime.date(2024, 5, 20),
        matures_on=datetime.date(2029, 5, 20),
    )
    bonds_import(data=(HEADER + "\n" + GOOD + "\n").encode("utf-8"), filename="b.csv", by=staff)
    assert sorted(Bond.objects.values_list("fy", "project")) == [
        (2023, "小学校校舎改築事業"),
        (2024, "小学校校舎改築事業"),
    ]


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (
            GOOD.replace("2045-05-20", "2040-05-20"),
            "3行目: 償還年限20年では最終償還日が2045-05-20になり、償還期限（2040-05-20）を超えます",
        ),
        (GOOD.replace("教育債", "学校債"), "3行目 B列（目的）: 「学校債」は選べません"),
        (
            GOOD.replace('"1,000,000"', "1000千円"),
            "3行目 F列（借入額（円））: 「1000千円」は数値として読めません",
        ),
        (
            GOOD.replace("2025/5/20", "2025/2/30"),
            "3行目 H列（借入日）: 「2025/2/30」は日付として読めません",
        ),
        (GOOD.replace(",20,3,", ",20.5,3,"), "3行目 I列（償還年限（年））: 整数で入力してください"),
        (GOOD.replace(",20,3,", ",20,20,"), "3行目: 据置期間（20年）が償還年限（20年）以上です"),
    ],
)
def test_a_bad_row_is_named_and_nothing_is_stored(staff, row, message):
    make_bond(staff, fy=2024, project="残る登録")
    text = HEADER + "\n" + GOOD + "\n" + row + "\n"
    with pytest.raises(TableError, match=re.escape(message)):
        bonds_import(data=text.encode("utf-8"), filename="b.csv", by=staff)
    assert list(Bond.objects.values_list("project", flat=True)) == ["残る登録"]
    assert BondInstalment.objects.count() == 5


def test_an_xlsx_with_real_date_cells_is_read(staff):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "地方債台帳"
    sheet.append(TITLES)
    sheet.append(
        [
            2024,
            "消防債",
            "消防車両更新",
            "地方公共団体金融機構",
            None,
            5_000_000,
            0.6,
            datetime.datetime(2025, 5, 1),
            10,
            0,
            datetime.datetime(2035, 5, 1),
            "元金均等",
            "年1回",
        ]
    )
    out = io.BytesIO()
    workbook.save(out)
    bonds_import(data=out.getvalue(), filename="b.xlsx", by=staff)
    bond = Bond.objects.get()
    assert (bond.lender, bond.annual_rate, bond.matures_on) == (
        "jfm",
        Decimal("0.6"),
        datetime.date(2035, 5, 1),
    )
    assert [i.principal for i in bond.instalments.all()] == [500_000] * 10
