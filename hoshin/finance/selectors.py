"""Reads of the finance app: flagged ratios, per-resident figures, fund balances, the 地方債調書,
the outlook beside its previous version, and effect totals per pillar."""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Sum

from hoshin.finance.flags import RatioFlag, ratio_flag
from hoshin.finance.models import (
    Bond,
    BondInstalment,
    BondPurpose,
    EffectDuration,
    EffectEntry,
    EffectKind,
    Fund,
    Outlook,
    OutlookSection,
    SettlementYear,
    SoundnessRatio,
)
from hoshin.plans.models import PlanNode

ZERO = Decimal(0)


# ---- soundness ratios


def flag_of(ratio: SoundnessRatio) -> RatioFlag:
    """The flag of a stored ratio (``flags.ratio_flag``, the one rule)."""
    return ratio_flag(
        kind=ratio.kind,
        value=ratio.value,
        no_deficit=ratio.no_deficit,
        early_threshold=ratio.early_threshold,
        rehabilitation_threshold=ratio.rehabilitation_threshold,
    )


@dataclass(frozen=True)
class RatioRow:
    ratio: SoundnessRatio
    flag: RatioFlag


def ratios_of_year(*, fy: int) -> list[RatioRow]:
    """The year's ratios in published order, each with its flag (empty when none entered)."""
    ratios = SoundnessRatio.objects.filter(report__fy=fy).select_related("report")
    return [RatioRow(ratio, flag_of(ratio)) for ratio in ratios]


def ratio_trend(*, kind: str, enterprise_account: str = "", years: int = 10) -> list[RatioRow]:
    """One ratio over the last ``years`` years that have it, oldest first."""
    ratios = (
        SoundnessRatio.objects.filter(kind=kind, enterprise_account=enterprise_account)
        .select_related("report")
        .order_by("-report__fy")[:years]
    )
    return [RatioRow(ratio, flag_of(ratio)) for ratio in reversed(list(ratios))]


# ---- settlement


def per_resident(*, amount_thousand_yen: Decimal | None, population: int | None) -> Decimal | None:
    """An amount in 千円 per resident, in yen rounded half up (None when either is unknown)."""
    if amount_thousand_yen is None or not population:
        return None
    return (amount_thousand_yen * 1000 / population).quantize(Decimal(1), ROUND_HALF_UP)


@dataclass(frozen=True)
class LineRow:
    code: str
    label: str
    amount: Decimal | None
    per_resident: Decimal | None  # yen
    share: Decimal | None  # of the table's total, 0–1


def settlement_table(*, settlement: SettlementYear, table: str) -> list[LineRow]:
    """One table of a year with each line's per-resident amount and share of the total."""
    lines = list(settlement.lines.filter(table=table))
    total = sum((line.amount for line in lines if line.amount is not None), ZERO)
    return [
        LineRow(
            code=line.code,
            label=line.label,
            amount=line.amount,
            per_resident=per_resident(
                amount_thousand_yen=line.amount, population=settlement.population
            ),
            share=(line.amount / total) if line.amount is not None and total else None,
        )
        for line in lines
    ]


@dataclass(frozen=True)
class TaxShare:
    code: str
    label: str
    amount: int  # yen


def tax_split(*, settlement: SettlementYear, yearly_tax: int) -> list[TaxShare]:
    """ "Where my taxes go": ``yearly_tax`` yen split by the year's expenditure by purpose.

    Each purpose gets its share of the total, in whole yen; the yen lost to rounding go to the
    largest remainders (ties: the published order), so the parts always add up to the tax.
    Lines without an amount take no share (a page should say the year is incomplete).
    """
    if yearly_tax < 0:
        raise ValueError("yearly_tax must not be negative")
    lines = [
        line
        for line in settlement.lines.filter(table="expenditure_purpose")
        if line.amount is not None
    ]
    total = sum((line.amount for line in lines), ZERO)
    if not total:
        return []
    exact = [Decimal(yearly_tax) * line.amount / total for line in lines]
    floors = [int(value) for value in exact]  # amounts are ≥ 0, so int() rounds down
    left = yearly_tax - sum(floors)
    by_remainder = sorted(range(len(lines)), key=lambda i: (-(exact[i] - floors[i]), i))
    for index in by_remainder[:left]:
        floors[index] += 1
    return [
        TaxShare(code=line.code, label=line.label, amount=amount)
        for line, amount in zip(lines, floors, strict=True)
    ]


# ---- funds


@dataclass(frozen=True)
class FundBalanceRow:
    fy: int
    opening: Decimal
    deposits: Decimal
    withdrawals: Decimal

    @property
    def closing(self) -> Decimal:
        return self.opening + self.deposits - self.withdrawals


def fund_balances(*, fund: Fund) -> list[FundBalanceRow]:
    """Each recorded year of a fund with its opening and closing balance (千円); a year with no
    movement between two recorded years is shown with zeros, so the balances chain."""
    movements = {year.fy: year for year in fund.years.all()}
    if not movements:
        return []
    rows, balance = [], fund.opening_balance
    for fy in range(fund.opening_fy, max(movements) + 1):
        year = movements.get(fy)
        row = FundBalanceRow(
            fy=fy,
            opening=balance,
            deposits=year.deposits if year else ZERO,
            withdrawals=year.withdrawals if year else ZERO,
        )
        rows.append(row)
        balance = row.closing
    return rows


def fund_balance_total(*, fy: int) -> Decimal:
    """All funds' balances at the end of ``fy`` (千円)."""
    total = ZERO
    for fund in Fund.objects.prefetch_related("years"):
        if fund.opening_fy > fy:
            continue
        movements = [year for year in fund.years.all() if year.fy <= fy]
        total += fund.opening_balance + sum(
            (year.deposits - year.withdrawals for year in movements), ZERO
        )
    return total


# ---- bonds


def bond_balance(*, fy: int, purpose: str | None = None) -> Decimal:
    """Outstanding principal at the end of ``fy`` (yen): borrowed up to ``fy`` less repaid."""
    bonds = Bond.objects.filter(fy__lte=fy)
    instalments = BondInstalment.objects.filter(bond__fy__lte=fy, fy__lte=fy)
    if purpose:
        bonds = bonds.filter(purpose=purpose)
        instalments = instalments.filter(bond__purpose=purpose)
    borrowed = bonds.aggregate(total=Sum("amount"))["total"] or ZERO
    repaid = instalments.aggregate(total=Sum("principal"))["total"] or ZERO
    return borrowed - repaid


@dataclass(frozen=True)
class BondStatementRow:
    """One purpose line of the 地方債調書 for budget year ``fy`` (yen)."""

    purpose: str
    label: str
    balance_two_years_ago: Decimal  # 前々年度末現在高
    expected_last_year_end: Decimal  # 前年度末現在高見込額
    new_borrowing: Decimal  # 当該年度中起債見込額
    principal_repayment: Decimal  # 当該年度中元金償還見込額
    interest: Decimal  # 当該年度中利子償還見込額 (shown by many cities beside the principal)

    @property
    def year_end_balance(self) -> Decimal:  # 当該年度末現在高見込額
        return self.expected_last_year_end + self.new_borrowing - self.principal_repayment


def bond_statement(*, fy: int) -> list[BondStatementRow]:
    """The 地方債調書 shape for budget year ``fy``: one row per purpose that has bonds."""
    rows = []
    purposes = set(Bond.objects.values_list("purpose", flat=True))
    for purpose in BondPurpose:
        if purpose.value not in purposes:
            continue
        paid = BondInstalment.objects.filter(bond__purpose=purpose, bond__fy__lte=fy, fy=fy)
        sums = paid.aggregate(principal=Sum("principal"), interest=Sum("interest"))
        rows.append(
            BondStatementRow(
                purpose=purpose.value,
                label=str(purpose.label),
                balance_two_years_ago=bond_balance(fy=fy - 2, purpose=purpose),
                expected_last_year_end=bond_balance(fy=fy - 1, purpose=purpose),
                new_borrowing=Bond.objects.filter(purpose=purpose, fy=fy).aggregate(
                    total=Sum("amount")
                )["total"]
                or ZERO,
                principal_repayment=sums["principal"] or ZERO,
                interest=sums["interest"] or ZERO,
            )
        )
    return rows


# ---- outlook


@dataclass
class OutlookRow:
    """One line of the outlook: this version's and the previous version's amount per year."""

    section: str
    code: str
    label: str
    current: dict[int, Decimal | None] = field(default_factory=dict)
    previous: dict[int, Decimal | None] = field(default_factory=dict)

    def change(self, fy: int) -> Decimal | None:
        """This version less the previous one for ``fy`` (None when either is missing)."""
        now, before = self.current.get(fy), self.previous.get(fy)
        return None if now is None or before is None else now - before


@dataclass
class OutlookComparison:
    outlook: Outlook
    previous: Outlook | None
    years: list[int]
    rows: list[OutlookRow]

    def balance(self, fy: int, *, previous: bool = False) -> Decimal | None:
        """Revenue less expenditure (収支差) for ``fy``; negative is the shortfall funds cover.

        None when a revenue or expenditure line of that version has no amount for ``fy``: a
        balance of the known lines only would be a false figure.
        """
        totals = {}
        for section in (OutlookSection.REVENUE, OutlookSection.EXPENDITURE):
            amounts = [
                (row.previous if previous else row.current).get(fy)
                for row in self.rows
                if row.section == section and (row.previous if previous else row.current)
            ]
            if not amounts or None in amounts:
                return None
            totals[section] = sum(amounts, ZERO)
        return totals[OutlookSection.REVENUE] - totals[OutlookSection.EXPENDITURE]


def outlook_compare(*, outlook: Outlook) -> OutlookComparison:
    """The outlook beside the version made in the latest earlier year, line by line and year by
    year (lines only in the previous version are kept, with no current amounts)."""
    previous = Outlook.objects.filter(fy__lt=outlook.fy).order_by("-fy").first()
    rows: dict[tuple[str, str], OutlookRow] = {}
    order = {section: index for index, section in enumerate(OutlookSection.values)}
    for version, attribute in ((outlook, "current"), (previous, "previous")):
        if version is None:
            continue
        for figure in version.figures.all():
            row = rows.setdefault(
                (figure.section, figure.code),
                OutlookRow(section=figure.section, code=figure.code, label=figure.label),
            )
            getattr(row, attribute)[figure.fy] = figure.amount
    ordered = sorted(rows.values(), key=lambda row: order[row.section])
    return OutlookComparison(
        outlook=outlook,
        previous=previous,
        years=list(range(outlook.first_fy, outlook.last_fy + 1)),
        rows=ordered,
    )


# ---- effect amounts


def counted_effect(entries, *, fy: int, amount: str = "actual") -> Decimal:
    """What the entries count in ``fy``: single-year effects of that year, and continuing effects
    of that year or any earlier one (a continuing saving counts again every later year)."""
    total = ZERO
    for entry in entries:
        value = getattr(entry, amount)
        if value is None:
            continue
        if entry.fy == fy or (entry.duration == EffectDuration.CONTINUING and entry.fy < fy):
            total += value
    return total


@dataclass
class PillarEffects:
    """Effect totals of one pillar (top node of the plan) per year, plan and actual (千円)."""

    pillar: PlanNode
    planned: dict[int, Decimal] = field(default_factory=dict)
    actual: dict[int, Decimal] = field(default_factory=dict)
    by_kind: dict[str, dict[int, Decimal]] = field(default_factory=dict)

    @property
    def planned_total(self) -> Decimal:
        return sum(self.planned.values(), ZERO)

    @property
    def actual_total(self) -> Decimal:
        return sum(self.actual.values(), ZERO)


def _pillar_of(nodes: dict[int, PlanNode], node_id: int) -> PlanNode:
    node = nodes[node_id]
    while node.parent_id is not None:
        node = nodes[node.parent_id]
    return node


def effect_totals(
    *, plan, years: list[int] | None = None, general_revenue_only: bool = False
) -> list[PillarEffects]:
    """Counted effects per pillar and year over the plan period (or ``years``), pillars in plan
    order; the plan-period total of a pillar is the sum of its years. ``general_revenue_only``
    leaves out entries not on a general-revenue basis (the basis cities usually report)."""
    entries = EffectEntry.objects.filter(action__plan=plan).select_related("action")
    if general_revenue_only:
        entries = entries.filter(general_revenue_basis=True)
    entries = list(entries)
    if years is None:
        first = plan.start_fy or min((entry.fy for entry in entries), default=None)
        last = plan.end_fy or max((entry.fy for entry in entries), default=None)
        years = list(range(first, last + 1)) if first is not None else []
    nodes = {node.pk: node for node in PlanNode.objects.filter(plan=plan)}
    grouped: dict[int, list[EffectEntry]] = defaultdict(list)
    for entry in entries:
        grouped[_pillar_of(nodes, entry.action.node_id).pk].append(entry)
    pillars = sorted(
        (node for node in nodes.values() if node.parent_id is None), key=lambda node: node.position
    )
    result = []
    for pillar in pillars:
        mine = grouped.get(pillar.pk, [])
        row = PillarEffects(pillar=pillar)
        for fy in years:
            row.planned[fy] = counted_effect(mine, fy=fy, amount="planned")
            row.actual[fy] = counted_effect(mine, fy=fy)
        for kind in EffectKind.values:
            of_kind = [entry for entry in mine if entry.kind == kind]
            row.by_kind[kind] = {fy: counted_effect(of_kind, fy=fy) for fy in years}
        result.append(row)
    return result
