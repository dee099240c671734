"""Soundness ratios (健全化判断比率) and settlement indicators: entering a year's figures."""

import datetime
import itertools
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from hoshin.audit.services import audit_record
from hoshin.finance.errors import FinanceError
from hoshin.finance.flags import RATIOS_WITH_REHABILITATION
from hoshin.finance.models import (
    ComparisonAverage,
    RatioKind,
    ReportStatus,
    SettlementLine,
    SettlementTable,
    SettlementYear,
    SoundnessRatio,
    SoundnessReport,
)


def _check_dates(
    audited_on: datetime.date | None,
    reported_to_council_on: datetime.date | None,
    published_on: datetime.date | None,
) -> None:
    # The Act's order: the audit commissioners examine, the council is told, then the city
    # publishes. A date out of that order is a typing mistake.
    steps = [
        (audited_on, _("監査委員の審査日")),
        (reported_to_council_on, _("議会への報告日")),
        (published_on, _("公表日")),
    ]
    known = [(day, label) for day, label in steps if day is not None]
    for (earlier, earlier_label), (later, later_label) in itertools.pairwise(known):
        if later < earlier:
            raise FinanceError(
                _("%(later)sが%(earlier)sより前になっています。")
                % {"later": later_label, "earlier": earlier_label}
            )


def soundness_report_save(
    *,
    fy: int,
    status: str = ReportStatus.PRELIMINARY,
    audit_opinion: str = "",
    audited_on: datetime.date | None = None,
    reported_to_council_on: datetime.date | None = None,
    published_on: datetime.date | None = None,
    by,
) -> SoundnessReport:
    """Create or update the year's soundness report (status, audit opinion, the three dates)."""
    if status not in ReportStatus.values:
        raise FinanceError(_("状態は速報値か確定値です。"))
    _check_dates(audited_on, reported_to_council_on, published_on)
    with transaction.atomic():
        report, created = SoundnessReport.objects.update_or_create(
            fy=fy,
            defaults={
                "status": status,
                "audit_opinion": audit_opinion,
                "audited_on": audited_on,
                "reported_to_council_on": reported_to_council_on,
                "published_on": published_on,
            },
        )
        audit_record(
            actor=by,
            verb="finance.soundness_report_create"
            if created
            else "finance.soundness_report_update",
            target=report,
            summary=_("健全化判断比率 %(fy)s年度（%(status)s）")
            % {"fy": fy, "status": report.get_status_display()},
        )
    return report


@dataclass(frozen=True)
class RatioEntry:
    """A ratio as typed: a number, "－" (``no_deficit``) or neither (missing)."""

    kind: str
    value: Decimal | None = None
    no_deficit: bool = False
    early_threshold: Decimal | None = None
    rehabilitation_threshold: Decimal | None = None
    enterprise_account: str = ""


def ratio_entry_check(entry: RatioEntry) -> None:
    """Refuse a ratio that breaks a rule (both a number and "－", a negative value, thresholds
    out of order or not applicable, an enterprise account where none belongs)."""
    label = RatioKind(entry.kind).label if entry.kind in RatioKind.values else entry.kind
    if entry.kind not in RatioKind.values:
        raise FinanceError(_("比率の種類「%(kind)s」はありません。") % {"kind": entry.kind})
    if entry.no_deficit and entry.value is not None:
        raise FinanceError(_("%(ratio)s: 数値と「－」の両方は入力できません。") % {"ratio": label})
    if entry.value is not None and entry.value < 0:
        raise FinanceError(
            _("%(ratio)s: 負の値は公表の様式どおり「－」として入力してください。")
            % {"ratio": label}
        )
    is_fund_shortage = entry.kind == RatioKind.FUND_SHORTAGE
    if is_fund_shortage != bool(entry.enterprise_account.strip()):
        raise FinanceError(
            _("公営企業会計の名称は資金不足比率にだけ、必ず入力します。")
            if is_fund_shortage
            else _("%(ratio)s には公営企業会計の名称を入力しません。") % {"ratio": label}
        )
    for threshold in (entry.early_threshold, entry.rehabilitation_threshold):
        if threshold is not None and threshold <= 0:
            raise FinanceError(_("%(ratio)s: 基準は0より大きい値です。") % {"ratio": label})
    if entry.rehabilitation_threshold is not None:
        if entry.kind not in RATIOS_WITH_REHABILITATION:
            raise FinanceError(_("%(ratio)s には財政再生基準がありません。") % {"ratio": label})
        if (
            entry.early_threshold is not None
            and entry.rehabilitation_threshold <= entry.early_threshold
        ):
            raise FinanceError(
                _("%(ratio)s: 財政再生基準は早期健全化基準より大きい値です。") % {"ratio": label}
            )


def soundness_ratio_set(*, report: SoundnessReport, entry: RatioEntry, by) -> SoundnessRatio:
    """Store one ratio of the year with its thresholds, keeping "－", 0 and missing apart."""
    ratio_entry_check(entry)
    account = entry.enterprise_account.strip()
    with transaction.atomic():
        ratio, _created = SoundnessRatio.objects.update_or_create(
            report=report,
            kind=entry.kind,
            enterprise_account=account,
            defaults={
                "position": _position(entry.kind),
                "value": entry.value,
                "no_deficit": entry.no_deficit,
                "early_threshold": entry.early_threshold,
                "rehabilitation_threshold": entry.rehabilitation_threshold,
            },
        )
        audit_record(
            actor=by,
            verb="finance.ratio_set",
            target=ratio,
            summary=f"{report.fy} {ratio}",
            data={"value": entry.value, "no_deficit": entry.no_deficit},
        )
    return ratio


def _position(kind: str) -> int:
    """The published order: the four ratios, then the public enterprises."""
    return list(RatioKind.values).index(kind)


def settlement_save(
    *,
    fy: int,
    status: str = ReportStatus.PRELIMINARY,
    fiscal_capability_index: Decimal | None = None,
    current_balance_ratio: Decimal | None = None,
    real_balance_ratio: Decimal | None = None,
    standard_fiscal_scale: Decimal | None = None,
    population: int | None = None,
    population_on: datetime.date | None = None,
    by,
) -> SettlementYear:
    """Create or update a year's settlement indicators (amounts in 千円)."""
    if status not in ReportStatus.values:
        raise FinanceError(_("状態は速報値か確定値です。"))
    if standard_fiscal_scale is not None and standard_fiscal_scale <= 0:
        raise FinanceError(_("標準財政規模は0より大きい金額です。"))
    if population is not None and population <= 0:
        raise FinanceError(_("人口は1人以上です。"))
    if fiscal_capability_index is not None and fiscal_capability_index < 0:
        raise FinanceError(_("財政力指数は0以上です。"))
    with transaction.atomic():
        settlement, created = SettlementYear.objects.update_or_create(
            fy=fy,
            defaults={
                "status": status,
                "fiscal_capability_index": fiscal_capability_index,
                "current_balance_ratio": current_balance_ratio,
                "real_balance_ratio": real_balance_ratio,
                "standard_fiscal_scale": standard_fiscal_scale,
                "population": population,
                "population_on": population_on,
            },
        )
        audit_record(
            actor=by,
            verb="finance.settlement_create" if created else "finance.settlement_update",
            target=settlement,
            summary=_("決算の指標 %(fy)s年度") % {"fy": fy},
        )
    return settlement


@dataclass(frozen=True)
class LineEntry:
    code: str
    label: str
    amount: Decimal | None


def settlement_lines_replace(
    *, settlement: SettlementYear, table: str, lines: list[LineEntry], by
) -> list[SettlementLine]:
    """Replace one table (revenue by source, expenditure by purpose or by type) of a year."""
    if table not in SettlementTable.values:
        raise FinanceError(_("区分「%(table)s」はありません。") % {"table": table})
    codes = [line.code for line in lines]
    duplicated = sorted({code for code in codes if codes.count(code) > 1})
    if duplicated:
        raise FinanceError(
            _("コードが重複しています: %(codes)s") % {"codes": ", ".join(duplicated)}
        )
    negative = [line.label for line in lines if line.amount is not None and line.amount < 0]
    if negative:
        raise FinanceError(_("金額は0以上です: %(lines)s") % {"lines": ", ".join(negative)})
    with transaction.atomic():
        settlement.lines.filter(table=table).delete()
        created = SettlementLine.objects.bulk_create(
            SettlementLine(
                settlement=settlement,
                table=table,
                code=line.code,
                label=line.label,
                position=position,
                amount=line.amount,
            )
            for position, line in enumerate(lines)
        )
        audit_record(
            actor=by,
            verb="finance.settlement_lines_replace",
            target=settlement,
            summary=f"{settlement.fy} {SettlementTable(table).label}（{len(lines)}）",
        )
    return created


def comparison_average_set(
    *, fy: int, group: str, indicator: str, value: Decimal | None, no_deficit: bool = False, by
) -> ComparisonAverage:
    """Store an average to compare with (e.g. 類似団体平均 of 経常収支比率) for one year."""
    if not group.strip() or not indicator.strip():
        raise FinanceError(_("比較対象と指標を入力してください。"))
    if no_deficit and value is not None:
        raise FinanceError(_("数値と「－」の両方は入力できません。"))
    with transaction.atomic():
        average, _created = ComparisonAverage.objects.update_or_create(
            fy=fy,
            group=group.strip(),
            indicator=indicator.strip(),
            defaults={"value": value, "no_deficit": no_deficit},
        )
        audit_record(
            actor=by,
            verb="finance.comparison_set",
            target=average,
            summary=f"{fy} {average}",
        )
    return average
