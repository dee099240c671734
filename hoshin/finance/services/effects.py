"""The effect-amount ledger (効果額): entries typed by the finance department, and the figures
already reported on evaluation sheets brought in."""

from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from hoshin.audit.services import audit_record
from hoshin.evaluations.models import EvaluationSheet
from hoshin.finance.errors import FinanceError
from hoshin.finance.models import EffectDuration, EffectEntry, EffectKind, EffectSource
from hoshin.plans.models import Action


def effect_record(
    *,
    action: Action,
    fy: int,
    kind: str,
    duration: str = EffectDuration.SINGLE_YEAR,
    planned: Decimal | None = None,
    actual: Decimal | None = None,
    general_revenue_basis: bool = True,
    note: str = "",
    by,
) -> EffectEntry:
    """Create or update the effect of ``kind`` that arises for ``action`` in ``fy`` (千円)."""
    if kind not in EffectKind.values:
        raise FinanceError(_("種別は歳出削減か歳入確保です。"))
    if duration not in EffectDuration.values:
        raise FinanceError(_("効果の期間は単年度か継続です。"))
    plan = action.plan
    if plan.start_fy and plan.end_fy and not plan.start_fy <= fy <= plan.end_fy:
        raise FinanceError(
            _("%(fy)s年度は計画期間（%(start)s〜%(end)s年度）の外です。")
            % {"fy": fy, "start": plan.start_fy, "end": plan.end_fy}
        )
    with transaction.atomic():
        entry, _created = EffectEntry.objects.update_or_create(
            action=action,
            fy=fy,
            kind=kind,
            defaults={
                "duration": duration,
                "planned": planned,
                "actual": actual,
                "general_revenue_basis": general_revenue_basis,
                "note": note,
                "source": EffectSource.MANUAL,
                "sheet": None,  # typed by the finance department: no longer a sheet's figure
            },
        )
        audit_record(
            actor=by,
            verb="finance.effect_record",
            target=entry,
            summary=str(entry),
            data={"planned": planned, "actual": actual, "duration": duration},
        )
    return entry


def effects_from_sheets(*, plan, fy: int, by) -> list[EffectEntry]:
    """Bring the effect amounts of the plan's published sheets of ``fy`` into the ledger.

    A sheet's 効果額（歳出削減）/（歳入確保） becomes that year's actual. Entries typed by hand
    are left alone (the finance department's figure wins). A new entry is single-year: a sheet
    reports each year's effect again, so counting it as continuing would count it twice; the
    finance department switches an entry to continuing when the sheets stop repeating it.
    """
    sheets = (
        EvaluationSheet.objects.published()
        .filter(cycle__plan=plan, cycle__fy=fy, action__isnull=False)
        .select_related("action")
    )
    fed = []
    with transaction.atomic():
        for sheet in sheets:
            for kind, amount in (
                (EffectKind.SAVING, sheet.effect_savings),
                (EffectKind.REVENUE, sheet.effect_revenue),
            ):
                if amount is None:
                    continue
                entry = EffectEntry.objects.filter(action=sheet.action, fy=fy, kind=kind).first()
                if entry is not None and entry.source == EffectSource.MANUAL:
                    continue
                if entry is None:
                    entry = EffectEntry(action=sheet.action, fy=fy, kind=kind)
                entry.actual = amount
                entry.source = EffectSource.SHEET
                entry.sheet = sheet
                entry.save()
                fed.append(entry)
        audit_record(
            actor=by,
            verb="finance.effects_from_sheets",
            target=plan,
            summary=_("評価シートの効果額を取り込み %(fy)s年度（%(count)s件）")
            % {"fy": fy, "count": len(fed)},
        )
    return fed
