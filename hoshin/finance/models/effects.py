"""The ledger of reform effect amounts (効果額) per action and year, in 千円."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from hoshin.evaluations.models import EvaluationSheet
from hoshin.finance.models.common import MONEY
from hoshin.plans.models import Action


class EffectKind(models.TextChoices):
    SAVING = "saving", _("歳出削減")
    REVENUE = "revenue", _("歳入確保")


class EffectDuration(models.TextChoices):
    SINGLE_YEAR = "single", _("単年度")
    CONTINUING = "continuing", _("継続（翌年度以降も効果）")


class EffectSource(models.TextChoices):
    MANUAL = "manual", _("財政課が入力")
    SHEET = "sheet", _("評価シートから")


class EffectEntry(models.Model):
    """An effect that arises in ``fy`` for ``action``.

    Amounts are the benefit to the city, positive when money is saved or raised (as on the
    evaluation sheets); pages print savings with △ as budget documents do. A continuing effect
    counts again in every later year of the plan period (``selectors.effect_totals``), so it
    is entered once, in the year it arises.
    """

    action = models.ForeignKey(
        Action, verbose_name=_("取組"), on_delete=models.CASCADE, related_name="effect_entries"
    )
    fy = models.PositiveSmallIntegerField(_("年度（効果の発生年度）"))
    kind = models.CharField(_("種別"), max_length=20, choices=EffectKind.choices)
    duration = models.CharField(
        _("効果の期間"),
        max_length=20,
        choices=EffectDuration.choices,
        default=EffectDuration.SINGLE_YEAR,
    )
    planned = models.DecimalField(_("計画額（千円）"), null=True, blank=True, **MONEY)
    actual = models.DecimalField(_("実績額（千円）"), null=True, blank=True, **MONEY)
    general_revenue_basis = models.BooleanField(_("一般財源ベース"), default=True)
    source = models.CharField(
        _("入力元"), max_length=20, choices=EffectSource.choices, default=EffectSource.MANUAL
    )
    sheet = models.ForeignKey(
        EvaluationSheet,
        verbose_name=_("評価シート"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    note = models.CharField(_("備考"), max_length=300, blank=True)
    updated_at = models.DateTimeField(_("更新日時"), auto_now=True)

    class Meta:
        verbose_name = _("効果額")
        verbose_name_plural = _("効果額")
        ordering = ["action", "fy", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["action", "fy", "kind"], name="effect_unique_per_year")
        ]

    def __str__(self) -> str:
        return f"{self.action} {self.fy} {self.get_kind_display()}"
