"""Repayment schedules: 元金均等, 元利均等, grace periods, half-yearly payments, refusals."""

import datetime
from decimal import Decimal

import pytest

from hoshin.finance.repayment import ScheduleError, level_payment, repayment_schedule


def schedule(**terms):
    defaults = {
        "amount": Decimal(1_000_000),
        "annual_rate": Decimal("1.2"),
        "borrowed_on": datetime.date(2025, 5, 20),
        "term_years": 5,
        "grace_years": 0,
        "method": "equal_principal",
        "payments_per_year": 1,
    }
    return repayment_schedule(**{**defaults, **terms})


def test_equal_principal_with_a_grace_period_pays_only_interest_first():
    rows = schedule(grace_years=1)
    assert [row.principal for row in rows] == [0, 250_000, 250_000, 250_000, 250_000]
    # 1.2% of the balance outstanding before each payment
    assert [row.interest for row in rows] == [12_000, 12_000, 9_000, 6_000, 3_000]
    assert rows[-1].balance_after == 0


def test_equal_principal_adds_the_odd_yen_to_the_first_repayment():
    rows = schedule(amount=Decimal(1_000_001), grace_years=1)
    assert [row.principal for row in rows] == [0, 250_001, 250_000, 250_000, 250_000]


def test_equal_payment_keeps_the_payment_level_and_the_last_one_clears_the_balance():
    rows = schedule(annual_rate=Decimal(2), term_years=3, method="equal_payment")
    assert [row.payment for row in rows] == [346_755, 346_755, 346_753]
    assert [row.interest for row in rows] == [20_000, 13_464, 6_799]  # 円未満切捨て
    assert [row.principal for row in rows] == [326_755, 333_291, 339_954]
    assert sum(row.principal for row in rows) == 1_000_000


def test_half_yearly_payments_halve_the_rate_and_fall_in_their_fiscal_years():
    rows = schedule(
        amount=Decimal(1_200_000),
        annual_rate=Decimal("1.0"),
        borrowed_on=datetime.date(2025, 3, 25),
        term_years=2,
        payments_per_year=2,
    )
    assert [row.due_on for row in rows] == [
        datetime.date(2025, 9, 25),
        datetime.date(2026, 3, 25),
        datetime.date(2026, 9, 25),
        datetime.date(2027, 3, 25),
    ]
    assert [row.fy for row in rows] == [2025, 2025, 2026, 2026]
    assert [row.principal for row in rows] == [300_000] * 4
    assert [row.interest for row in rows] == [6_000, 4_500, 3_000, 1_500]


def test_half_yearly_equal_payment_with_grace_over_thirty_years():
    rows = schedule(
        amount=Decimal(123_456_789),
        annual_rate=Decimal("0.85"),
        term_years=30,
        grace_years=3,
        method="equal_payment",
        payments_per_year=2,
    )
    assert len(rows) == 60
    assert all(row.principal == 0 for row in rows[:6])
    assert rows[5].interest == rows[0].interest  # the balance does not move during grace
    payments = {row.payment for row in rows[6:-1]}
    assert payments == {
        level_payment(principal=Decimal(123_456_789), period_rate=Decimal("0.00425"), periods=54)
    }
    assert abs(rows[-1].payment - rows[-2].payment) < 60  # rounding of 54 instalments, not more
    assert sum(row.principal for row in rows) == 123_456_789
    assert rows[-1].balance_after == 0


def test_a_rate_of_zero_repays_evenly_without_interest():
    rows = schedule(annual_rate=Decimal(0), term_years=4, method="equal_payment")
    assert [row.principal for row in rows] == [250_000] * 4
    assert all(row.interest == 0 for row in rows)


def test_a_term_ending_after_the_stated_maturity_is_refused():
    with pytest.raises(ScheduleError, match="償還期限（2040-05-20）を超えます"):
        schedule(term_years=20, matures_on=datetime.date(2040, 5, 20))
    assert len(schedule(term_years=15, matures_on=datetime.date(2040, 5, 20))) == 15


def test_a_grace_period_as_long_as_the_term_is_refused():
    with pytest.raises(ScheduleError, match="据置期間（5年）が償還年限（5年）以上"):
        schedule(grace_years=5)


def test_month_end_borrowing_keeps_month_end_dates():
    rows = schedule(borrowed_on=datetime.date(2025, 8, 31), payments_per_year=2, term_years=1)
    assert [row.due_on for row in rows] == [datetime.date(2026, 2, 28), datetime.date(2026, 8, 31)]
