"""What a plan's sheets contain (the template) and the yearly cost of a person-year."""

from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from hoshin.evaluations import defaults
from hoshin.evaluations.models.sheets import MONEY
from hoshin.lib.fiscal import format_fiscal_year
from hoshin.plans.models import Plan


class EvaluationTemplate(models.Model):
    """What a plan's sheets contain and the scales they use; copied from defaults.py."""

    plan = models.OneToOneField(
        Plan, verbose_name=_("計画"), on_delete=models.CASCADE, related_name="evaluation_template"
    )
    viewpoints = models.JSONField(_("評価の視点"), default=list)
    viewpoint_scale = models.JSONField(_("評価の視点の尺度"), default=list)
    grades = models.JSONField(_("総合評価の区分"), default=list)
    directions = models.JSONField(_("今後の方向性の区分"), default=list)
    blocks = models.JSONField(_("シートの構成"), default=list)
    progress_statuses = models.JSONField(_("進捗状況の区分"), default=list)
    progress_grades = models.JSONField(_("進捗評価の区分"), default=list)
    node_depths = models.JSONField(
        _("施策評価を行う階層"), default=list, blank=True, help_text=_("0が最上位の階層")
    )
    updated_at = models.DateTimeField(_("更新日時"), auto_now=True)

    class Meta:
        verbose_name = _("評価シートの様式")
        verbose_name_plural = _("評価シートの様式")

    def __str__(self) -> str:
        return f"{self.plan} の評価様式"

    def snapshot(self) -> dict:
        """The scales as a plain dict, frozen into each sheet so later edits do not rewrite it."""
        return {
            "viewpoints": self.viewpoints,
            "viewpoint_scale": self.viewpoint_scale,
            "grades": self.grades,
            "directions": self.directions,
            "blocks": self.blocks,
            "progress_statuses": self.progress_statuses,
            "progress_grades": self.progress_grades,
        }

    @classmethod
    def default_values(cls, *, plan: Plan) -> dict:
        from hoshin.plans.models import PlanKind

        blocks = list(defaults.DEFAULT_BLOCKS)
        if plan.kind != PlanKind.REFORM:
            blocks.remove("progress")
        return {
            "viewpoints": defaults.DEFAULT_VIEWPOINTS,
            "viewpoint_scale": defaults.DEFAULT_VIEWPOINT_SCALE,
            "grades": defaults.DEFAULT_GRADES,
            "directions": defaults.DEFAULT_DIRECTIONS,
            "blocks": blocks,
            "progress_statuses": defaults.DEFAULT_PROGRESS_STATUSES,
            "progress_grades": defaults.DEFAULT_PROGRESS_GRADES,
        }


class StaffUnitCost(models.Model):
    """The cost of one person-year (人工) in a fiscal year, in 千円, set by the planning office."""

    fy = models.PositiveSmallIntegerField(_("年度"), unique=True)
    amount = models.DecimalField(_("単価（千円／人）"), validators=[MinValueValidator(0)], **MONEY)

    class Meta:
        verbose_name = _("人件費単価")
        verbose_name_plural = _("人件費単価")
        ordering = ["-fy"]

    def __str__(self) -> str:
        return f"{format_fiscal_year(self.fy)} {self.amount}千円"
