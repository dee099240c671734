"""Uploads of the finance templates (``hoshin.finance.tables``): all or nothing."""

from django.db import transaction
from django.utils.translation import gettext as _

from hoshin.audit.services import audit_record
from hoshin.finance.errors import FinanceError
from hoshin.finance.models import (
    Bond,
    EffectEntry,
    EffectSource,
    Fund,
    Outlook,
    SettlementYear,
    SoundnessReport,
)
from hoshin.finance.services.debt import bond_register, fund_create, fund_year_set
from hoshin.finance.services.effects import effect_record
from hoshin.finance.services.outlook import outlook_save
from hoshin.finance.services.ratios import (
    settlement_lines_replace,
    settlement_save,
    soundness_ratio_set,
)
from hoshin.finance.tables.bonds import bonds_parse
from hoshin.finance.tables.effects import effects_parse
from hoshin.finance.tables.funds import funds_parse
from hoshin.finance.tables.outlook import outlook_parse
from hoshin.finance.tables.reading import TableError
from hoshin.finance.tables.settlement import settlement_lines_parse, settlement_years_parse
from hoshin.finance.tables.soundness import soundness_parse


def soundness_import(*, data: bytes, filename: str, by) -> list[SoundnessReport]:
    """Store the soundness ratios of an uploaded template (CSV or XLSX).

    Each year in the file replaces that year's ratios (the file is the year's whole table, so a
    ratio deleted from it is deleted here); other years are left alone. The year's status comes
    from the file; its audit opinion and dates are kept. Nothing is stored when any cell is
    wrong: ``TableError`` names the cell.
    """
    years = soundness_parse(data, filename)
    if not years:
        raise TableError(_("見出しの下にデータの行がありません。"))
    reports = []
    with transaction.atomic():
        for year in years:
            report, _created = SoundnessReport.objects.get_or_create(fy=year.fy)
            report.status = year.status
            report.save(update_fields=["status", "updated_at"])
            report.ratios.all().delete()
            for entry in year.entries:
                soundness_ratio_set(report=report, entry=entry, by=by)
            reports.append(report)
        audit_record(
            actor=by,
            verb="finance.soundness_import",
            target=None,
            summary=_("健全化判断比率の取り込み %(file)s（%(years)s）")
            % {"file": filename, "years": "、".join(str(year.fy) for year in years)},
        )
    return reports


def bonds_import(*, data: bytes, filename: str, by) -> list[Bond]:
    """Store the bonds of an uploaded register template, generating each schedule.

    The bonds of every 起債年度 in the file replace the register's bonds of that year; other
    years are left alone. Nothing is stored when a cell is wrong or a bond's terms cannot give
    a schedule (the message names the row).
    """
    parsed = bonds_parse(data, filename)
    if not parsed:
        raise TableError(_("見出しの下にデータの行がありません。"))
    years = sorted({item.terms.fy for item in parsed})
    bonds = []
    with transaction.atomic():
        Bond.objects.filter(fy__in=years).delete()
        for item in parsed:
            try:
                bonds.append(bond_register(terms=item.terms, by=by))
            except FinanceError as exc:
                raise TableError(f"{item.where}: {exc}") from None
        audit_record(
            actor=by,
            verb="finance.bonds_import",
            target=None,
            summary=_("地方債台帳の取り込み %(file)s（%(count)s件）")
            % {"file": filename, "count": len(bonds)},
        )
    return bonds


def settlement_years_import(*, data: bytes, filename: str, by) -> list[SettlementYear]:
    """Store the indicators of an uploaded 決算の指標 template (each year created or replaced)."""
    parsed = settlement_years_parse(data, filename)
    if not parsed:
        raise TableError(_("見出しの下にデータの行がありません。"))
    years = []
    with transaction.atomic():
        for fields in parsed:
            where = fields.pop("where")
            try:
                years.append(settlement_save(**fields, by=by))
            except FinanceError as exc:
                raise TableError(f"{where}: {exc}") from None
        audit_record(
            actor=by,
            verb="finance.settlement_years_import",
            target=None,
            summary=_("決算の指標の取り込み %(file)s（%(count)s年度）")
            % {"file": filename, "count": len(years)},
        )
    return years


def settlement_lines_import(*, data: bytes, filename: str, by) -> int:
    """Store the lines of an uploaded 決算の内訳 template; each year and table in the file
    replaces that table of that year (a year missing its 決算の指標 row is created)."""
    parsed = settlement_lines_parse(data, filename)
    if not parsed:
        raise TableError(_("見出しの下にデータの行がありません。"))
    count = 0
    with transaction.atomic():
        for year in parsed:
            settlement = SettlementYear.objects.filter(fy=year.fy).first()
            if settlement is None:
                settlement = settlement_save(fy=year.fy, by=by)
            for table, lines in year.tables.items():
                settlement_lines_replace(settlement=settlement, table=table, lines=lines, by=by)
                count += len(lines)
        audit_record(
            actor=by,
            verb="finance.settlement_lines_import",
            target=None,
            summary=_("決算の内訳の取り込み %(file)s（%(count)s行）")
            % {"file": filename, "count": count},
        )
    return count


def funds_import(*, data: bytes, filename: str, by) -> list[Fund]:
    """Store the funds of an uploaded 基金 template: each fund in the file gets the file's
    opening balance and exactly the file's movements (a new name is a new fund); funds not in
    the file are left alone. A year-end balance below zero is refused naming the row."""
    parsed = funds_parse(data, filename)
    if not parsed:
        raise TableError(_("見出しの下にデータの行がありません。"))
    funds = []
    with transaction.atomic():
        for item in parsed:
            fund = Fund.objects.filter(name=item.name).first()
            if fund is None:
                fund = fund_create(
                    name=item.name,
                    opening_fy=item.opening_fy,
                    opening_balance=item.opening_balance,
                    by=by,
                )
            else:
                fund.years.all().delete()
                fund.opening_fy, fund.opening_balance = item.opening_fy, item.opening_balance
                fund.save(update_fields=["opening_fy", "opening_balance"])
            # In year order, so that every year's balance is checked as it is added.
            for fy in sorted(item.movements):
                deposits, withdrawals = item.movements[fy]
                try:
                    fund_year_set(
                        fund=fund, fy=fy, deposits=deposits, withdrawals=withdrawals, by=by
                    )
                except FinanceError as exc:
                    raise TableError(f"{item.where[fy]}: {exc}") from None
            funds.append(fund)
        audit_record(
            actor=by,
            verb="finance.funds_import",
            target=None,
            summary=_("基金の取り込み %(file)s（%(count)s基金）")
            % {"file": filename, "count": len(funds)},
        )
    return funds


def outlook_import(*, data: bytes, filename: str, by) -> list[Outlook]:
    """Store the versions of an uploaded outlook template: each 策定年度 in the file replaces
    that version's lines (its publication date and notes are kept); other versions stay."""
    parsed = outlook_parse(data, filename)
    if not parsed:
        raise TableError(_("見出しの下にデータの行がありません。"))
    outlooks = []
    with transaction.atomic():
        for version in parsed:
            existing = Outlook.objects.filter(fy=version.fy).first()
            try:
                outlooks.append(
                    outlook_save(
                        fy=version.fy,
                        title=version.title,
                        first_fy=version.first_fy,
                        last_fy=version.last_fy,
                        lines=list(version.lines.values()),
                        published_on=existing.published_on if existing else None,
                        notes=existing.notes if existing else "",
                        by=by,
                    )
                )
            except FinanceError as exc:
                raise TableError(f"{version.where}: {exc}") from None
        audit_record(
            actor=by,
            verb="finance.outlook_import",
            target=None,
            summary=_("中期財政見通しの取り込み %(file)s（%(count)s版）")
            % {"file": filename, "count": len(outlooks)},
        )
    return outlooks


def _unchanged_sheet_entry(item, existing: EffectEntry | None) -> bool:
    """A row exported from an entry fed by a sheet and not edited since."""
    return (
        existing is not None
        and item.source == EffectSource.SHEET
        and existing.source == EffectSource.SHEET
        and (
            existing.duration,
            existing.planned,
            existing.actual,
            existing.general_revenue_basis,
            existing.note,
        )
        == (item.duration, item.planned, item.actual, item.general_revenue_basis, item.note)
    )


def effects_import(*, plan, data: bytes, filename: str, by) -> int:
    """Store an uploaded effect ledger of ``plan``: for every year in the file, the plan's
    entries of that year become exactly the file's rows. Edited rows are stored as typed by
    the finance department; unchanged rows fed by a sheet stay linked to it."""
    parsed = effects_parse(data, filename, plan=plan)
    if not parsed:
        raise TableError(_("見出しの下にデータの行がありません。"))
    years = {item.fy for item in parsed}
    keep = {(item.action.pk, item.fy, item.kind) for item in parsed}
    with transaction.atomic():
        existing = {
            (entry.action_id, entry.fy, entry.kind): entry
            for entry in EffectEntry.objects.filter(action__plan=plan, fy__in=years)
        }
        for key, entry in existing.items():
            if key not in keep:
                entry.delete()
        for item in parsed:
            if _unchanged_sheet_entry(item, existing.get((item.action.pk, item.fy, item.kind))):
                continue
            try:
                effect_record(
                    action=item.action,
                    fy=item.fy,
                    kind=item.kind,
                    duration=item.duration,
                    planned=item.planned,
                    actual=item.actual,
                    general_revenue_basis=item.general_revenue_basis,
                    note=item.note,
                    by=by,
                )
            except FinanceError as exc:
                raise TableError(f"{item.where}: {exc}") from None
        audit_record(
            actor=by,
            verb="finance.effects_import",
            target=plan,
            summary=_("効果額の取り込み %(file)s（%(count)s件）")
            % {"file": filename, "count": len(parsed)},
        )
    return len(parsed)
