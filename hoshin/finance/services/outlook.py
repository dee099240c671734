"""Versions of the mid-term financial outlook (中期財政見通し)."""

from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from hoshin.audit.services import audit_record
from hoshin.finance.errors import FinanceError
from hoshin.finance.models import Outlook, OutlookFigure, OutlookSection


@dataclass(frozen=True)
class OutlookLine:
    """One line of the outlook with its amount per year (千円; None = not projected)."""

    section: str
    code: str
    label: str
    amounts: dict[int, Decimal | None]


def outlook_save(
    *,
    fy: int,
    title: str,
    first_fy: int,
    last_fy: int,
    lines: list[OutlookLine],
    published_on=None,
    notes: str = "",
    by,
) -> Outlook:
    """Create or replace the outlook made in ``fy`` with all its lines.

    Each year is its own version: saving the one made in 2026 never changes the one made in
    2025, which the comparison (``selectors.outlook_compare``) reads as the previous estimate.
    """
    if last_fy < first_fy:
        raise FinanceError(_("見通しの終了年度が開始年度より前です。"))
    if not title.strip():
        raise FinanceError(_("表題を入力してください。"))
    seen = set()
    for line in lines:
        if line.section not in OutlookSection.values:
            raise FinanceError(_("区分「%(value)s」はありません。") % {"value": line.section})
        if (line.section, line.code) in seen:
            raise FinanceError(_("項目「%(label)s」が重複しています。") % {"label": line.label})
        seen.add((line.section, line.code))
        outside = sorted(year for year in line.amounts if not first_fy <= year <= last_fy)
        if outside:
            raise FinanceError(
                _("「%(label)s」の%(fy)s年度は見通しの期間外です。")
                % {"label": line.label, "fy": outside[0]}
            )
        if line.section != OutlookSection.REVENUE and line.section != OutlookSection.EXPENDITURE:
            negative = [
                year for year, amount in line.amounts.items() if amount is not None and amount < 0
            ]
            if negative:
                raise FinanceError(
                    _("「%(label)s」の%(fy)s年度の残高が負の値です。")
                    % {"label": line.label, "fy": negative[0]}
                )
    with transaction.atomic():
        outlook, created = Outlook.objects.update_or_create(
            fy=fy,
            defaults={
                "title": title.strip(),
                "first_fy": first_fy,
                "last_fy": last_fy,
                "published_on": published_on,
                "notes": notes,
            },
        )
        outlook.figures.all().delete()
        OutlookFigure.objects.bulk_create(
            OutlookFigure(
                outlook=outlook,
                section=line.section,
                code=line.code,
                label=line.label,
                position=position,
                fy=year,
                amount=amount,
            )
            for position, line in enumerate(lines)
            for year, amount in sorted(line.amounts.items())
        )
        audit_record(
            actor=by,
            verb="finance.outlook_create" if created else "finance.outlook_replace",
            target=outlook,
            summary=str(outlook),
        )
    return outlook
