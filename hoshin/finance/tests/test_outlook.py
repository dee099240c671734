"""Versions of the mid-term outlook and the comparison with the previous one."""

from decimal import Decimal

import pytest

from hoshin.finance.errors import FinanceError
from hoshin.finance.selectors import outlook_compare
from hoshin.finance.services.outlook import OutlookLine, outlook_save
from hoshin.finance.tests.factories import make_finance_staff

pytestmark = pytest.mark.django_db


def amounts(first_fy, *values):
    return {
        first_fy + index: (Decimal(value) if value is not None else None)
        for index, value in enumerate(values)
    }


@pytest.fixture
def staff():
    return make_finance_staff()


def test_the_outlook_is_compared_line_by_line_with_the_previous_version(staff):
    outlook_save(
        fy=2024,
        title="中期財政見通し",
        first_fy=2025,
        last_fy=2027,
        by=staff,
        lines=[
            OutlookLine("revenue", "tax", "市税", amounts(2025, 5000, 5100, 5200)),
            OutlookLine("expenditure", "welfare", "扶助費", amounts(2025, 5200, 5300, 5400)),
            OutlookLine("fund_balance", "adjustment", "財政調整基金", amounts(2025, 800, 600, 400)),
        ],
    )
    current = outlook_save(
        fy=2025,
        title="中期財政見通し",
        first_fy=2026,
        last_fy=2028,
        by=staff,
        lines=[
            OutlookLine("revenue", "tax", "市税", amounts(2026, 5150, 5250, 5300)),
            OutlookLine("expenditure", "welfare", "扶助費", amounts(2026, 5300, 5450, None)),
            OutlookLine("bond_balance", "bonds", "地方債残高", amounts(2026, 9000, 8800, 8600)),
        ],
    )
    comparison = outlook_compare(outlook=current)
    assert comparison.previous.fy == 2024
    assert comparison.years == [2026, 2027, 2028]
    rows = {row.code: row for row in comparison.rows}
    assert rows["tax"].change(2026) == 50  # 5,150 now against 5,100 estimated a year ago
    assert rows["tax"].change(2028) is None  # the previous version did not reach FY2028
    assert rows["adjustment"].current == {}  # a line dropped from this version stays visible
    assert [row.section for row in comparison.rows] == [
        "revenue",
        "expenditure",
        "fund_balance",
        "bond_balance",
    ]
    assert comparison.balance(2026) == -150
    assert comparison.balance(2026, previous=True) == -200
    assert comparison.balance(2028) is None  # expenditure not projected that year: no false balance


def test_saving_a_version_again_replaces_it_and_leaves_the_others(staff):
    first = outlook_save(
        fy=2024,
        title="見通し",
        first_fy=2025,
        last_fy=2026,
        by=staff,
        lines=[OutlookLine("revenue", "tax", "市税", amounts(2025, 1, 2))],
    )
    outlook_save(
        fy=2025,
        title="見通し",
        first_fy=2026,
        last_fy=2027,
        by=staff,
        lines=[OutlookLine("revenue", "tax", "市税", amounts(2026, 3, 4))],
    )
    outlook_save(
        fy=2025,
        title="見通し（改訂）",
        first_fy=2026,
        last_fy=2027,
        by=staff,
        lines=[OutlookLine("revenue", "tax", "市税", amounts(2026, 5, 6))],
    )
    assert first.figures.count() == 2
    assert outlook_compare(outlook=first).previous is None


def test_years_outside_the_period_duplicates_and_negative_balances_are_refused(staff):
    def save(*lines):
        return outlook_save(
            fy=2025, title="見通し", first_fy=2026, last_fy=2027, lines=list(lines), by=staff
        )

    with pytest.raises(FinanceError, match="2028年度は見通しの期間外"):
        save(OutlookLine("revenue", "tax", "市税", amounts(2027, 1, 2)))
    with pytest.raises(FinanceError, match="重複"):
        save(OutlookLine("revenue", "tax", "市税", {}), OutlookLine("revenue", "tax", "市税", {}))
    with pytest.raises(FinanceError, match="残高が負の値"):
        save(OutlookLine("fund_balance", "adj", "財政調整基金", amounts(2026, -1)))
