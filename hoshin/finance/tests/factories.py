"""Builders for finance tests: a staff member of 財政課 and bonds entered through the service."""

import datetime
from decimal import Decimal

from hoshin.finance.services.debt import BondTerms, bond_register
from hoshin.org.models import Role
from hoshin.org.tests.factories import make_department, make_user


def make_finance_staff(username: str = "zaisei"):
    return make_user(username, role=Role.DEPARTMENT_EDITOR, department=make_department("財政課"))


def make_bond(by, **terms):
    """A bond of FY2024 (5 years, annual, 元金均等, no interest) unless terms say otherwise."""
    defaults = {
        "fy": 2024,
        "purpose": "education",
        "project": "小学校校舎改築事業",
        "lender": "fiscal_loan",
        "amount": Decimal(1_000_000),
        "annual_rate": Decimal(0),
        "borrowed_on": datetime.date(2025, 5, 20),
        "term_years": 5,
        "matures_on": datetime.date(2030, 5, 20),
        "method": "equal_principal",
        "frequency": 1,
    }
    return bond_register(terms=BondTerms(**{**defaults, **terms}), by=by)
