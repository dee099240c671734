"""Funds (基金) and the bond register (地方債): movements that never leave a fund negative, and
bonds whose repayment schedule is generated from their terms."""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from hoshin.audit.services import audit_record
from hoshin.finance.errors import FinanceError
from hoshin.finance.models import (
    Bond,
    BondInstalment,
    BondLender,
    BondPurpose,
    Fund,
    FundYear,
    PaymentFrequency,
    RepaymentMethod,
)
from hoshin.finance.repayment import repayment_schedule
from hoshin.lib.numbers import format_amount


def fund_create(
    *, name: str, opening_fy: int, opening_balance: Decimal = Decimal(0), purpose: str = "", by
) -> Fund:
    """Register a fund with its balance at the start of the first recorded year (千円)."""
    name = name.strip()
    if not name:
        raise FinanceError(_("基金名を入力してください。"))
    if opening_balance < 0:
        raise FinanceError(_("%(fund)s: 期首残高は0以上です。") % {"fund": name})
    if Fund.objects.filter(name=name).exists():
        raise FinanceError(_("基金「%(fund)s」は登録済みです。") % {"fund": name})
    with transaction.atomic():
        fund = Fund.objects.create(
            name=name,
            purpose=purpose,
            opening_fy=opening_fy,
            opening_balance=opening_balance,
            position=Fund.objects.count(),
        )
        audit_record(actor=by, verb="finance.fund_create", target=fund, summary=name)
    return fund


def _first_negative_year(fund: Fund, movements: dict[int, tuple[Decimal, Decimal]]):
    """The first year whose year-end balance would be below zero, with that balance."""
    balance = fund.opening_balance
    for fy in sorted(movements):
        deposits, withdrawals = movements[fy]
        balance += deposits - withdrawals
        if balance < 0:
            return fy, balance
    return None


def fund_year_set(
    *, fund: Fund, fy: int, deposits: Decimal = Decimal(0), withdrawals: Decimal = Decimal(0), by
) -> FundYear:
    """Set a fund's deposits and withdrawals for one year (千円).

    Refused when the fund's balance at the end of that year, or of any later recorded year,
    would fall below zero: a fund cannot lend what it does not hold.
    """
    if deposits < 0 or withdrawals < 0:
        raise FinanceError(
            _("積立額と取崩し額は0以上で入力してください（取崩しは取崩し額の欄に）。")
        )
    if fy < fund.opening_fy:
        raise FinanceError(
            _("%(fund)s: %(fy)s年度は記録の開始年度（%(start)s年度）より前です。")
            % {"fund": fund.name, "fy": fy, "start": fund.opening_fy}
        )
    with transaction.atomic():
        Fund.objects.select_for_update().get(pk=fund.pk)  # one writer per fund at a time
        movements = {year.fy: (year.deposits, year.withdrawals) for year in fund.years.all()}
        movements[fy] = (deposits, withdrawals)
        negative = _first_negative_year(fund, movements)
        if negative:
            year, balance = negative
            raise FinanceError(
                _(
                    "%(fund)s: %(fy)s年度末の残高が%(balance)s千円になります。残高を超えて取り崩すことはできません。"
                )
                % {"fund": fund.name, "fy": year, "balance": format_amount(balance)}
            )
        fund_year, _created = FundYear.objects.update_or_create(
            fund=fund, fy=fy, defaults={"deposits": deposits, "withdrawals": withdrawals}
        )
        audit_record(
            actor=by,
            verb="finance.fund_year_set",
            target=fund_year,
            summary=str(fund_year),
            data={"deposits": deposits, "withdrawals": withdrawals},
        )
    return fund_year


@dataclass(frozen=True)
class BondTerms:
    """A borrowing as the loan agreement states it (amount in yen, rate in %)."""

    fy: int
    purpose: str
    project: str
    lender: str
    amount: Decimal
    annual_rate: Decimal
    borrowed_on: datetime.date
    term_years: int
    matures_on: datetime.date
    method: str
    grace_years: int = 0
    frequency: int = PaymentFrequency.HALF_YEARLY
    lender_name: str = ""


def _check_terms(terms: BondTerms) -> None:
    if terms.purpose not in BondPurpose.values:
        raise FinanceError(
            _("目的「%(value)s」は地方債調書の区分にありません。") % {"value": terms.purpose}
        )
    if terms.lender not in BondLender.values:
        raise FinanceError(_("借入先「%(value)s」は選べません。") % {"value": terms.lender})
    if terms.method not in RepaymentMethod.values:
        raise FinanceError(_("償還方法は元金均等か元利均等です。"))
    if not terms.project.strip():
        raise FinanceError(_("事業名を入力してください。"))
    if terms.amount != terms.amount.to_integral_value():
        raise FinanceError(_("借入額は円単位の整数で入力してください。"))
    if terms.grace_years < 0:
        raise FinanceError(_("据置期間は0年以上です。"))


def bond_register(*, terms: BondTerms, by) -> Bond:
    """Enter a bond and generate its repayment schedule; refused when the terms cannot be met
    (e.g. a term that ends after the stated maturity date, a grace period as long as the term)."""
    _check_terms(terms)
    schedule = repayment_schedule(
        amount=terms.amount,
        annual_rate=terms.annual_rate,
        borrowed_on=terms.borrowed_on,
        term_years=terms.term_years,
        grace_years=terms.grace_years,
        method=terms.method,
        payments_per_year=int(terms.frequency),
        matures_on=terms.matures_on,
    )
    with transaction.atomic():
        bond = Bond.objects.create(
            fy=terms.fy,
            purpose=terms.purpose,
            project=terms.project.strip(),
            lender=terms.lender,
            lender_name=terms.lender_name,
            amount=terms.amount,
            annual_rate=terms.annual_rate,
            borrowed_on=terms.borrowed_on,
            term_years=terms.term_years,
            grace_years=terms.grace_years,
            matures_on=terms.matures_on,
            method=terms.method,
            frequency=terms.frequency,
        )
        BondInstalment.objects.bulk_create(
            BondInstalment(
                bond=bond,
                number=item.number,
                due_on=item.due_on,
                fy=item.fy,
                principal=item.principal,
                interest=item.interest,
                balance_after=item.balance_after,
            )
            for item in schedule
        )
        audit_record(
            actor=by,
            verb="finance.bond_register",
            target=bond,
            summary=str(bond),
            data={"amount": terms.amount, "instalments": len(schedule)},
        )
    return bond


def bond_delete(*, bond: Bond, by) -> None:
    """Remove a bond entered by mistake, with its schedule."""
    with transaction.atomic():
        # Recorded before the delete, while the bond still has its id; the same transaction.
        audit_record(actor=by, verb="finance.bond_delete", target=bond, summary=str(bond))
        bond.delete()
