"""The mid-term financial outlook (中期財政見通し), one version per fiscal year it was made."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from hoshin.finance.models.common import MONEY
from hoshin.lib.fiscal import format_fiscal_year


class Outlook(models.Model):
    """One version of the outlook, made in ``fy`` and projecting ``first_fy``–``last_fy``."""

    fy = models.PositiveSmallIntegerField(_("策定年度"), unique=True)
    title = models.CharField(_("表題"), max_length=200)
    first_fy = models.PositiveSmallIntegerField(_("見通しの開始年度"))
    last_fy = models.PositiveSmallIntegerField(_("見通しの終了年度"))
    published_on = models.DateField(_("公表日"), null=True, blank=True)
    notes = models.TextField(_("前提条件など"), blank=True)

    class Meta:
        verbose_name = _("中期財政見通し")
        verbose_name_plural = _("中期財政見通し")
        ordering = ["-fy"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(last_fy__gte=models.F("first_fy")), name="outlook_period_ordered"
            )
        ]

    def __str__(self) -> str:
        return f"{self.title}（{format_fiscal_year(self.fy, western=False)}策定）"


class OutlookSection(models.TextChoices):
    REVENUE = "revenue", _("歳入")
    EXPENDITURE = "expenditure", _("歳出")
    FUND_BALANCE = "fund_balance", _("基金残高（財源不足を補てんした後）")
    BOND_BALANCE = "bond_balance", _("地方債残高")


class OutlookFigure(models.Model):
    """One cell of the outlook: a line (section + code) in one year, in 千円."""

    outlook = models.ForeignKey(
        Outlook, verbose_name=_("中期財政見通し"), on_delete=models.CASCADE, related_name="figures"
    )
    section = models.CharField(_("区分"), max_length=20, choices=OutlookSection.choices)
    code = models.CharField(_("コード"), max_length=40)
    label = models.CharField(_("項目"), max_length=100)
    position = models.PositiveSmallIntegerField(_("順序"), default=0)
    fy = models.PositiveSmallIntegerField(_("年度"))
    amount = models.DecimalField(_("金額（千円）"), null=True, blank=True, **MONEY)

    class Meta:
        verbose_name = _("中期財政見通しの数値")
        verbose_name_plural = _("中期財政見通しの数値")
        ordering = ["outlook", "section", "position", "fy"]
        constraints = [
            models.UniqueConstraint(
                fields=["outlook", "section", "code", "fy"], name="outlook_figure_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.label} {self.fy}"
