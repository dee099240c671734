"""Fund balances and the bond register: negative balances refused, the 地方債調書 shape."""

import datetime
from decimal import Decimal

import pytest

from hoshin.finance.errors import FinanceError
from hoshin.finance.models import Bond, BondInstalment, FundYear
from hoshin.finance.selectors import bond_balance, bond_statement, fund_balance_total, fund_balances
from hoshin.finance.services.debt import bond_delete, fund_create, fund_year_set
from hoshin.finance.tests.factories import make_bond, make_finance_staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff():
    return make_finance_staff()


def test_fund_balances_chain_from_the_opening_balance_through_every_year(staff):
    fund = fund_create(
        name="財政調整基金", opening_fy=2022, opening_balance=Decimal(1_000_000), by=staff
    )
    fund_year_set(fund=fund, fy=2022, deposits=Decimal(200_000), by=staff)
    fund_year_set(fund=fund, fy=2024, withdrawals=Decimal(700_000), by=staff)
    rows = fund_balances(fund=fund)
    assert [(row.fy, row.opening, row.closing) for row in rows] == [
        (2022, 1_000_000, 1_200_000),
        (2023, 1_200_000, 1_200_000),  # no movement recorded: the balance carries over
        (2024, 1_200_000, 500_000),
    ]
    assert fund_balance_total(fy=2023) == 1_200_000
    assert fund_balance_total(fy=2021) == 0


def test_a_withdrawal_beyond_the_balance_is_refused_with_the_year_and_the_balance(staff):
    fund = fund_create(name="減債基金", opening_fy=2023, opening_balance=Decimal(500), by=staff)
    with pytest.raises(FinanceError, match="減債基金: 2023年度末の残高が△100千円になります"):
        fund_year_set(fund=fund, fy=2023, withdrawals=Decimal(600), by=staff)
    assert not FundYear.objects.exists()


def test_a_change_that_makes_a_later_year_negative_is_refused(staff):
    fund = fund_create(name="公共施設整備基金", opening_fy=2023, by=staff)
    fund_year_set(fund=fund, fy=2023, deposits=Decimal(1_000), by=staff)
    fund_year_set(fund=fund, fy=2024, withdrawals=Decimal(800), by=staff)
    with pytest.raises(FinanceError, match="2024年度末の残高が△300千円"):
        fund_year_set(fund=fund, fy=2023, deposits=Decimal(500), by=staff)
    assert FundYear.objects.get(fund=fund, fy=2023).deposits == 1_000


def test_negative_movements_and_opening_balances_are_refused(staff):
    with pytest.raises(FinanceError, match="期首残高は0以上"):
        fund_create(name="基金", opening_fy=2023, opening_balance=Decimal(-1), by=staff)
    fund = fund_create(name="基金", opening_fy=2023, by=staff)
    with pytest.raises(FinanceError, match="0以上で入力"):
        fund_year_set(fund=fund, fy=2023, deposits=Decimal(-5), by=staff)
    with pytest.raises(FinanceError, match="記録の開始年度"):
        fund_year_set(fund=fund, fy=2022, deposits=Decimal(5), by=staff)


def test_a_registered_bond_has_its_generated_schedule(staff):
    bond = make_bond(staff, grace_years=1)
    assert [item.principal for item in bond.instalments.all()] == [
        0,
        250_000,
        250_000,
        250_000,
        250_000,
    ]
    assert [item.fy for item in bond.instalments.all()] == [2026, 2027, 2028, 2029, 2030]


def test_a_bond_whose_term_exceeds_its_stated_period_is_refused_and_nothing_is_stored(staff):
    with pytest.raises(FinanceError, match="償還期限（2030-05-20）を超えます"):
        make_bond(staff, term_years=6)
    assert not Bond.objects.exists() and not BondInstalment.objects.exists()


def test_the_bond_statement_has_the_budget_book_columns_and_they_add_up(staff):
    # FY2023 education bond: 1,000,000 over 5 years from May 2024 → 200,000 a year from FY2025.
    make_bond(
        staff,
        fy=2023,
        borrowed_on=datetime.date(2024, 5, 20),
        matures_on=datetime.date(2029, 5, 20),
    )
    # FY2025 education bond of 500,000, and a FY2025 public-works bond of 300,000.
    make_bond(
        staff,
        fy=2025,
        amount=Decimal(500_000),
        borrowed_on=datetime.date(2026, 5, 20),
        matures_on=datetime.date(2031, 5, 20),
    )
    make_bond(
        staff,
        fy=2025,
        purpose="public_works",
        project="市道改良事業",
        amount=Decimal(300_000),
        borrowed_on=datetime.date(2026, 5, 20),
        matures_on=datetime.date(2031, 5, 20),
    )
    rows = {row.purpose: row for row in bond_statement(fy=2025)}
    education = rows["education"]
    assert education.label == "教育債"
    assert education.balance_two_years_ago == 1_000_000  # end of FY2023: nothing repaid yet
    assert education.expected_last_year_end == 1_000_000  # first repayment falls in FY2025
    assert education.new_borrowing == 500_000
    assert education.principal_repayment == 200_000
    assert education.year_end_balance == 1_300_000 == bond_balance(fy=2025, purpose="education")
    works = rows["public_works"]
    assert (works.balance_two_years_ago, works.expected_last_year_end, works.new_borrowing) == (
        0,
        0,
        300_000,
    )
    assert works.year_end_balance == 300_000
    assert list(rows) == [
        "public_works",
        "education",
    ]  # the budget book order: 土木債 before 教育債


def test_deleting_a_bond_removes_its_schedule(staff):
    bond = make_bond(staff)
    bond_delete(bond=bond, by=staff)
    assert not BondInstalment.objects.exists()
