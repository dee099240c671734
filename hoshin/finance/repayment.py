"""Repayment schedules of municipal bonds (元金均等 / 元利均等, annual or half-yearly).

No installed library computes annuities (numpy-financial is not a dependency), and the formula
is one line, so it is here. Rounding rule (yen, as lenders compute): each instalment's interest
is the outstanding balance × the period rate, cut down to the yen (円未満切捨て); for 元利均等
the level payment is rounded half up to the yen once and the last instalment repays whatever
principal remains, so the principal always sums to the amount borrowed exactly; for 元金均等
the yen left over by dividing the amount is added to the first repayment (端数は初回に加算).
Tables in 千円 are made from these yen figures by the selectors, never the other way round.
"""

import calendar
import datetime
from dataclasses import dataclass
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

from django.utils.translation import gettext as _

from hoshin.finance.errors import FinanceError
from hoshin.lib.fiscal import fiscal_year_of

YEN = Decimal(1)


class ScheduleError(FinanceError):
    """A bond whose terms cannot give a schedule; the message says which term and why."""


@dataclass(frozen=True)
class Instalment:
    number: int
    due_on: datetime.date
    fy: int
    principal: Decimal
    interest: Decimal
    balance_after: Decimal

    @property
    def payment(self) -> Decimal:
        return self.principal + self.interest


def add_months(day: datetime.date, months: int) -> datetime.date:
    """``day`` moved by whole months, kept at the month's last day when it is shorter."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )


def level_payment(*, principal: Decimal, period_rate: Decimal, periods: int) -> Decimal:
    """The 元利均等 payment per period: P·r / (1 − (1 + r)^−n), or P / n when r is 0; to the yen."""
    if period_rate == 0:
        return (principal / periods).quantize(YEN, ROUND_HALF_UP)
    payment = principal * period_rate / (1 - (1 + period_rate) ** -periods)
    return payment.quantize(YEN, ROUND_HALF_UP)


def repayment_schedule(
    *,
    amount: Decimal,
    annual_rate: Decimal,
    borrowed_on: datetime.date,
    term_years: int,
    grace_years: int,
    method: str,
    payments_per_year: int,
    matures_on: datetime.date | None = None,
) -> list[Instalment]:
    """Every instalment of a bond: interest only during the grace period, then repayments.

    ``annual_rate`` is a percentage (0.45 = 0.45%). The first instalment falls one period after
    ``borrowed_on``; the last ``term_years`` after it, which must not be after ``matures_on``.
    """
    if amount <= 0:
        raise ScheduleError(_("借入額は0より大きい金額にしてください。"))
    if annual_rate < 0:
        raise ScheduleError(_("年利率は0以上にしてください。"))
    if payments_per_year not in (1, 2):
        raise ScheduleError(_("償還回数は年1回か年2回です。"))
    if term_years < 1:
        raise ScheduleError(_("償還年限は1年以上にしてください。"))
    if grace_years >= term_years:
        raise ScheduleError(
            _(
                "据置期間（%(grace)s年）が償還年限（%(term)s年）以上です。元金を返す期間がありません。"
            )
            % {"grace": grace_years, "term": term_years}
        )
    months = 12 // payments_per_year
    last_due = add_months(borrowed_on, 12 * term_years)
    if matures_on is not None and last_due > matures_on:
        raise ScheduleError(
            _(
                "償還年限%(term)s年では最終償還日が%(last)sになり、償還期限（%(maturity)s）を超えます。"
            )
            % {"term": term_years, "last": last_due.isoformat(), "maturity": matures_on.isoformat()}
        )
    periods = term_years * payments_per_year
    grace_periods = grace_years * payments_per_year
    repaying = periods - grace_periods
    rate = annual_rate / 100 / payments_per_year
    payment = level_payment(principal=amount, period_rate=rate, periods=repaying)
    even_principal = (amount / repaying).quantize(YEN, ROUND_DOWN)
    first_extra = amount - even_principal * repaying

    balance = amount
    schedule = []
    for number in range(1, periods + 1):
        interest = (balance * rate).quantize(YEN, ROUND_DOWN)
        repayment_number = number - grace_periods
        if repayment_number <= 0:
            principal = Decimal(0)
        elif number == periods:
            principal = balance
        elif method == "equal_payment":
            principal = min(payment - interest, balance)
        elif method == "equal_principal":
            principal = even_principal + (first_extra if repayment_number == 1 else 0)
        else:
            raise ScheduleError(_("償還方法「%(method)s」は扱えません。") % {"method": method})
        balance -= principal
        due_on = add_months(borrowed_on, months * number)
        schedule.append(
            Instalment(number, due_on, fiscal_year_of(due_on), principal, interest, balance)
        )
    return schedule
