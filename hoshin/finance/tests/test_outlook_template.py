"""The outlook template: lossless round trip of versions, and bad rows."""

import datetime
import re
from decimal import Decimal

import pytest

from hoshin.finance.models import Outlook, OutlookFigure
from hoshin.finance.services.imports import outlook_import
from hoshin.finance.services.outlook import OutlookLine, outlook_save
from hoshin.finance.tables.outlook import TITLES, outlook_export
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
            o.fy,
            o.title,
            o.first_fy,
            o.last_fy,
            o.published_on,
            o.notes,
            [
                (f.section, f.code, f.label, f.position, f.fy, f.amount)
                for f in o.figures.order_by("position", "fy")
            ],
        )
        for o in Outlook.objects.order_by("fy")
    ]


@pytest.mark.parametrize("encoding", ["utf-8-sig", "cp932", None])
def test_export_then_import_gives_back_every_version(staff, encoding):
    for fy, tax in ((2024, 5000), (2025, 5100)):
        outlook_save(
            fy=fy,
            title="中期財政見通し",
            first_fy=fy + 1,
            last_fy=fy + 3,
            published_on=datetime.date(fy + 1, 2, 10),
            notes="国の制度改正は見込まない。",
            by=staff,
            lines=[
                OutlookLine(
                    "revenue",
                    "tax",
                    "市税",
                    {fy + 1: Decimal(tax), fy + 2: Decimal(tax + 50), fy + 3: None},
                ),
                OutlookLine("expenditure", "welfare", "扶助費", {fy + 1: Decimal(5300)}),
                OutlookLine("bond_balance", "bonds", "地方債残高", {fy + 3: Decimal(9000)}),
            ],
        )
    before = snapshot()
    data = outlook_export(encoding=encoding)
    OutlookFigure.objects.all().delete()
    outlook_import(data=data, filename="o.xlsx" if encoding is None else "o.csv", by=staff)
    assert snapshot() == before


@pytest.mark.parametrize(
    ("rows", "message"),
    [
        (
            [
                "2025,見通し,2026,2028,歳入,tax,市税,2026,1",
                "2025,見通し（改）,2026,2028,歳入,tax,市税,2027,1",
            ],
            "3行目 B列（表題）: 同じ策定年度の行で表題・期間が異なります",
        ),
        (
            [
                "2025,見通し,2026,2028,歳入,tax,市税,2026,1",
                "2025,見通し,2026,2028,歳入,tax,市税,2026,2",
            ],
            "3行目 F列（コード）: 同じコードの項目名が異なるか、同じ年度が2行あります",
        ),
        (["2025,見通し,2026,2028,収入,tax,市税,2026,1"], "2行目 E列（区分）: 「収入」は選べません"),
        (
            ["2025,見通し,2026,2028,歳入,tax,市税,2030,1"],
            "2行目: 「市税」の2030年度は見通しの期間外です",
        ),
        (
            ["2025,見通し,2026,2028,基金残高（財源不足を補てんした後）,adj,財政調整基金,2026,△5"],
            "2行目: 「財政調整基金」の2026年度の残高が負の値です",
        ),
    ],
)
def test_bad_rows_are_named_and_nothing_is_stored(staff, rows, message):
    text = HEADER + "\n" + "\n".join(rows) + "\n"
    with pytest.raises(TableError, match=re.escape(message)):
        outlook_import(data=text.encode("utf-8"), filename="o.csv", by=staff)
    assert not Outlook.objects.exists()
