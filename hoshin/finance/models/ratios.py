"""Soundness ratios (健全化判断比率) and settlement indicators (決算の指標) per fiscal year."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from hoshin.finance.models.common import MONEY, RATE, ReportStatus
from hoshin.lib.fiscal import format_fiscal_year


class SoundnessReport(models.Model):
    """One fiscal year's soundness ratios as examined by the audit commissioners and published."""

    fy = models.PositiveSmallIntegerField(_("年度"), unique=True)
    status = models.CharField(
        _("状態"), max_length=20, choices=ReportStatus.choices, default=ReportStatus.PRELIMINARY
    )
    audit_opinion = models.TextField(_("監査委員の意見"), blank=True)
    audited_on = models.DateField(_("監査委員の審査日"), null=True, blank=True)
    reported_to_council_on = models.DateField(_("議会への報告日"), null=True, blank=True)
    published_on = models.DateField(_("公表日"), null=True, blank=True)
    updated_at = models.DateTimeField(_("更新日時"), auto_now=True)

    class Meta:
        verbose_name = _("健全化判断比率（年度）")
        verbose_name_plural = _("健全化判断比率（年度）")
        ordering = ["-fy"]

    def __str__(self) -> str:
        return format_fiscal_year(self.fy)


class RatioKind(models.TextChoices):
    REAL_DEFICIT = "real_deficit", _("実質赤字比率")
    CONSOLIDATED_DEFICIT = "consolidated_deficit", _("連結実質赤字比率")
    DEBT_SERVICE = "debt_service", _("実質公債費比率")
    FUTURE_BURDEN = "future_burden", _("将来負担比率")
    FUND_SHORTAGE = "fund_shortage", _("資金不足比率")


class SoundnessRatio(models.Model):
    """One ratio of one year (資金不足比率: one row per public enterprise account).

    Three states are kept apart (see ``state``): a number; "－" (``no_deficit``: no deficit or
    shortfall, or a negative 将来負担比率), which is not zero; and missing (neither), which is not
    "－". The thresholds are the city's own for that year, as published — they depend on the
    city's size, so they are stored, never computed. For 資金不足比率 ``early_threshold`` holds
    the 経営健全化基準 and there is no rehabilitation threshold.
    """

    report = models.ForeignKey(
        SoundnessReport, verbose_name=_("年度"), on_delete=models.CASCADE, related_name="ratios"
    )
    kind = models.CharField(_("比率"), max_length=30, choices=RatioKind.choices)
    enterprise_account = models.CharField(
        _("公営企業会計"), max_length=100, blank=True, help_text=_("資金不足比率のときだけ")
    )
    position = models.PositiveSmallIntegerField(_("順序"), default=0)
    value = models.DecimalField(_("比率（%）"), null=True, blank=True, **RATE)
    no_deficit = models.BooleanField(_("「－」（赤字・資金不足なし、または負の値）"), default=False)
    early_threshold = models.DecimalField(
        _("早期健全化基準（%）"),
        null=True,
        blank=True,
        help_text=_("資金不足比率では経営健全化基準"),
        **RATE,
    )
    rehabilitation_threshold = models.DecimalField(
        _("財政再生基準（%）"), null=True, blank=True, **RATE
    )

    class Meta:
        verbose_name = _("健全化判断比率")
        verbose_name_plural = _("健全化判断比率")
        ordering = ["report", "position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["report", "kind", "enterprise_account"], name="ratio_unique_per_year"
            ),
            models.CheckConstraint(
                condition=~Q(no_deficit=True, value__isnull=False), name="ratio_dash_has_no_value"
            ),
            models.CheckConstraint(
                condition=Q(kind="fund_shortage", enterprise_account__gt="")
                | (~Q(kind="fund_shortage") & Q(enterprise_account="")),
                name="ratio_account_only_for_fund_shortage",
            ),
        ]

    def __str__(self) -> str:
        label = self.get_kind_display()
        return f"{label}（{self.enterprise_account}）" if self.enterprise_account else str(label)

    @property
    def state(self) -> str:
        """``"value"``, ``"dash"`` (－) or ``"missing"``."""
        if self.value is not None:
            return "value"
        return "dash" if self.no_deficit else "missing"


class SettlementYear(models.Model):
    """The settlement (決算) indicators of one fiscal year; amounts in 千円."""

    fy = models.PositiveSmallIntegerField(_("年度"), unique=True)
    status = models.CharField(
        _("状態"), max_length=20, choices=ReportStatus.choices, default=ReportStatus.PRELIMINARY
    )
    fiscal_capability_index = models.DecimalField(
        _("財政力指数（3か年平均）"), null=True, blank=True, **RATE
    )
    current_balance_ratio = models.DecimalField(
        _("経常収支比率（%）"), null=True, blank=True, **RATE
    )
    real_balance_ratio = models.DecimalField(_("実質収支比率（%）"), null=True, blank=True, **RATE)
    standard_fiscal_scale = models.DecimalField(
        _("標準財政規模（千円）"), null=True, blank=True, **MONEY
    )
    population = models.PositiveIntegerField(_("人口"), null=True, blank=True)
    population_on = models.DateField(
        _("人口の基準日"), null=True, blank=True, help_text=_("例: 住民基本台帳 3月31日現在")
    )
    updated_at = models.DateTimeField(_("更新日時"), auto_now=True)

    class Meta:
        verbose_name = _("決算の指標")
        verbose_name_plural = _("決算の指標")
        ordering = ["-fy"]

    def __str__(self) -> str:
        return format_fiscal_year(self.fy)


class SettlementTable(models.TextChoices):
    REVENUE_BY_SOURCE = "revenue_source", _("歳入（財源別）")
    EXPENDITURE_BY_PURPOSE = "expenditure_purpose", _("歳出（目的別）")
    EXPENDITURE_BY_TYPE = "expenditure_type", _("歳出（性質別）")


class SettlementLine(models.Model):
    """One line of revenue by source or expenditure by purpose or type (千円)."""

    settlement = models.ForeignKey(
        SettlementYear, verbose_name=_("年度"), on_delete=models.CASCADE, related_name="lines"
    )
    table = models.CharField(_("区分"), max_length=30, choices=SettlementTable.choices)
    code = models.CharField(_("コード"), max_length=40, help_text=_("例: local_tax, welfare"))
    label = models.CharField(_("名称"), max_length=100)
    position = models.PositiveSmallIntegerField(_("順序"), default=0)
    amount = models.DecimalField(_("金額（千円）"), null=True, blank=True, **MONEY)

    class Meta:
        verbose_name = _("決算の内訳")
        verbose_name_plural = _("決算の内訳")
        ordering = ["settlement", "table", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["settlement", "table", "code"], name="settlement_line_unique_code"
            )
        ]

    def __str__(self) -> str:
        return self.label


class ComparisonAverage(models.Model):
    """An average to compare with (県内市平均, 類似団体平均 …) for one indicator and year."""

    fy = models.PositiveSmallIntegerField(_("年度"))
    group = models.CharField(_("比較対象"), max_length=100, help_text=_("例: 類似団体平均"))
    indicator = models.CharField(
        _("指標"), max_length=40, help_text=_("比率の種類、または決算の指標の項目名")
    )
    value = models.DecimalField(_("値"), null=True, blank=True, **RATE)
    no_deficit = models.BooleanField(_("「－」"), default=False)

    class Meta:
        verbose_name = _("比較対象の平均")
        verbose_name_plural = _("比較対象の平均")
        ordering = ["-fy", "group", "indicator"]
        constraints = [
            models.UniqueConstraint(
                fields=["fy", "group", "indicator"], name="comparison_unique_per_year"
            ),
            models.CheckConstraint(
                condition=~Q(no_deficit=True, value__isnull=False),
                name="comparison_dash_has_no_value",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.group} {self.indicator}"
