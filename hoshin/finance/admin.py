"""Django admin for finance: read-only views of every table.

Every write goes through ``hoshin.finance.services`` (the fund-balance rule, the generated bond
schedule, the audit entry); an admin change form would bypass them, so the admin only shows.
Entry forms and uploads belong in the back office (next step of issue 13).
"""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from hoshin.finance.models import (
    Bond,
    BondInstalment,
    ComparisonAverage,
    EffectEntry,
    Fund,
    FundYear,
    Outlook,
    OutlookFigure,
    SettlementLine,
    SettlementYear,
    SoundnessRatio,
    SoundnessReport,
)
from hoshin.finance.selectors import flag_of


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class ReadOnlyInline(admin.TabularInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class SoundnessRatioInline(ReadOnlyInline):
    model = SoundnessRatio
    fields = [
        "kind",
        "enterprise_account",
        "value",
        "no_deficit",
        "early_threshold",
        "rehabilitation_threshold",
    ]


@admin.register(SoundnessReport)
class SoundnessReportAdmin(ReadOnlyAdmin):
    list_display = ["fy", "status", "audited_on", "reported_to_council_on", "published_on"]
    list_filter = ["status"]
    inlines = [SoundnessRatioInline]


@admin.register(SoundnessRatio)
class SoundnessRatioAdmin(ReadOnlyAdmin):
    list_display = [
        "report",
        "__str__",
        "value",
        "no_deficit",
        "early_threshold",
        "rehabilitation_threshold",
        "flag",
    ]
    list_filter = ["kind", "report__fy"]

    @admin.display(description=_("判定"))
    def flag(self, obj: SoundnessRatio) -> str:
        return flag_of(obj).label


class SettlementLineInline(ReadOnlyInline):
    model = SettlementLine
    fields = ["table", "code", "label", "amount"]


@admin.register(SettlementYear)
class SettlementYearAdmin(ReadOnlyAdmin):
    list_display = [
        "fy",
        "status",
        "fiscal_capability_index",
        "current_balance_ratio",
        "standard_fiscal_scale",
        "population",
    ]
    inlines = [SettlementLineInline]


@admin.register(ComparisonAverage)
class ComparisonAverageAdmin(ReadOnlyAdmin):
    list_display = ["fy", "group", "indicator", "value", "no_deficit"]
    list_filter = ["group"]


class FundYearInline(ReadOnlyInline):
    model = FundYear
    fields = ["fy", "deposits", "withdrawals"]


@admin.register(Fund)
class FundAdmin(ReadOnlyAdmin):
    list_display = ["name", "opening_fy", "opening_balance"]
    inlines = [FundYearInline]


class BondInstalmentInline(ReadOnlyInline):
    model = BondInstalment
    fields = ["number", "due_on", "fy", "principal", "interest", "balance_after"]


@admin.register(Bond)
class BondAdmin(ReadOnlyAdmin):
    list_display = [
        "fy",
        "purpose",
        "project",
        "lender",
        "amount",
        "annual_rate",
        "term_years",
        "grace_years",
        "method",
        "frequency",
    ]
    list_filter = ["fy", "purpose", "lender", "method"]
    search_fields = ["project", "lender_name"]
    inlines = [BondInstalmentInline]


class OutlookFigureInline(ReadOnlyInline):
    model = OutlookFigure
    fields = ["section", "code", "label", "fy", "amount"]


@admin.register(Outlook)
class OutlookAdmin(ReadOnlyAdmin):
    list_display = ["fy", "title", "first_fy", "last_fy", "published_on"]
    inlines = [OutlookFigureInline]


@admin.register(EffectEntry)
class EffectEntryAdmin(ReadOnlyAdmin):
    list_display = [
        "action",
        "fy",
        "kind",
        "duration",
        "planned",
        "actual",
        "general_revenue_basis",
        "source",
    ]
    list_filter = ["fy", "kind", "duration", "source"]
    list_select_related = ["action"]
