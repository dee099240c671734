"""Plans as data: Plan → PlanNode (a tree of any depth) → Action (the leaf the city commits to)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from hoshin.lib.fiscal import format_fiscal_year_range
from hoshin.org.models import Department


class PlanKind(models.TextChoices):
    COMPREHENSIVE = "comprehensive", _("総合計画")
    REFORM = "reform", _("行財政改革計画")
    SECTOR = "sector", _("個別計画")
    OTHER = "other", _("その他")


class PlanQuerySet(models.QuerySet):
    def published(self) -> "PlanQuerySet":
        """The one door to public plans: everything citizens see filters through here."""
        return self.filter(is_published=True)


class Plan(models.Model):
    name = models.CharField(_("計画名"), max_length=200, unique=True)
    kind = models.CharField(_("種別"), max_length=20, choices=PlanKind.choices)
    start_fy = models.PositiveSmallIntegerField(_("計画期間（開始年度）"), null=True, blank=True)
    end_fy = models.PositiveSmallIntegerField(_("計画期間（終了年度）"), null=True, blank=True)
    description = models.TextField(_("概要"), blank=True)
    level_names = models.JSONField(
        _("階層の名称"), default=list, help_text=_("上位から順に。例: 柱, 方策, 手法")
    )
    action_level_name = models.CharField(_("取組の名称"), max_length=50, default="実施内容")
    owner_office = models.CharField(_("担当（問い合わせ先）"), max_length=200, blank=True)
    owner_department = models.ForeignKey(
        Department,
        verbose_name=_("所管部署"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="owned_plans",
    )
    contact = models.TextField(_("問い合わせ先"), blank=True)
    source_title = models.CharField(_("原資料の表題"), max_length=300, blank=True)
    source_filename = models.CharField(_("原資料のファイル名"), max_length=300, blank=True)
    source_updated_on = models.DateField(_("原資料の更新日"), null=True, blank=True)
    is_published = models.BooleanField(_("公開"), default=False)
    created_at = models.DateTimeField(_("登録日時"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新日時"), auto_now=True)

    objects = PlanQuerySet.as_manager()

    class Meta:
        verbose_name = _("計画")
        verbose_name_plural = _("計画")
        ordering = ["-start_fy", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(start_fy__isnull=True)
                | Q(end_fy__isnull=True)
                | Q(end_fy__gte=models.F("start_fy")),
                name="plan_period_ordered",
            )
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("portal:plan", args=[self.pk])

    @property
    def period_label(self) -> str:
        return format_fiscal_year_range(self.start_fy, self.end_fy)

    def level_name(self, depth: int) -> str:
        names = self.level_names or []
        return names[depth] if depth < len(names) else f"第{depth + 1}階層"


class PlanNode(models.Model):
    """A branch of a plan's tree (柱, 方策, 手法, 大項目 …); its level name comes from the plan."""

    plan = models.ForeignKey(
        Plan, verbose_name=_("計画"), on_delete=models.CASCADE, related_name="nodes"
    )
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上位の節"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="children",
    )
    depth = models.PositiveSmallIntegerField(_("階層"), default=0)
    position = models.PositiveIntegerField(_("順序"), default=0)
    number = models.CharField(_("番号"), max_length=30, blank=True)
    title = models.CharField(_("名称"), max_length=500)
    vision = models.TextField(_("めざす姿"), blank=True)
    challenges = models.JSONField(_("これまでの取り組みと今後の課題"), default=list, blank=True)
    purpose = models.TextField(_("目的・概要"), blank=True)

    class Meta:
        verbose_name = _("計画の節")
        verbose_name_plural = _("計画の節")
        ordering = ["plan", "depth", "position"]
        indexes = [models.Index(fields=["plan", "parent", "position"])]

    def __str__(self) -> str:
        return f"{self.number} {self.title}".strip()

    @property
    def level(self) -> str:
        return self.plan.level_name(self.depth)

    @property
    def label(self) -> str:
        return str(self)


class Action(models.Model):
    """The leaf the city commits to (実施内容 / 主な取組事項 / 事務事業)."""

    plan = models.ForeignKey(
        Plan, verbose_name=_("計画"), on_delete=models.CASCADE, related_name="actions"
    )
    node = models.ForeignKey(
        PlanNode, verbose_name=_("計画の節"), on_delete=models.CASCADE, related_name="actions"
    )
    position = models.PositiveIntegerField(_("順序"), default=0)
    number = models.CharField(_("番号"), max_length=30, blank=True)
    title = models.CharField(_("取組名"), max_length=500, blank=True)
    text = models.TextField(_("内容"))
    departments = models.ManyToManyField(
        Department,
        verbose_name=_("担当課"),
        through="ActionDepartment",
        related_name="actions",
        blank=True,
    )

    class Meta:
        verbose_name = _("取組")
        verbose_name_plural = _("取組")
        ordering = ["plan", "node__depth", "node__position", "position"]
        indexes = [models.Index(fields=["node", "position"])]

    def __str__(self) -> str:
        return self.heading

    def get_absolute_url(self) -> str:
        return reverse("portal:action", args=[self.pk])

    @property
    def heading(self) -> str:
        """A short label for lists: the title, or the start of the text when there is none."""
        subject = self.subject
        if self.title:
            return subject
        return subject if len(subject) <= 60 else subject[:60] + "…"

    @property
    def subject(self) -> str:
        """What the action is called, never cut (data files): the title, or the whole text."""
        if self.title:
            return f"{self.number} {self.title}".strip()
        return self.text


class DepartmentMarker(models.TextChoices):
    ALL = "all", _("全庁")
    CONCERNED = "concerned", _("関係各課など")


class ActionDepartment(models.Model):
    """One responsible-department line of an action, in document order.

    A line is either a Department or a marker (全庁 / 関係各課など). Validity years let a
    reorganisation hand an action to the successor department without rewriting history.
    """

    action = models.ForeignKey(
        Action, verbose_name=_("取組"), on_delete=models.CASCADE, related_name="responsibilities"
    )
    position = models.PositiveSmallIntegerField(_("順序"), default=0)
    department = models.ForeignKey(
        Department,
        verbose_name=_("部署"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="responsibilities",
    )
    marker = models.CharField(
        _("区分"), max_length=20, choices=DepartmentMarker.choices, blank=True
    )
    is_lead = models.BooleanField(_("主管課"), default=False)
    valid_from_fy = models.PositiveSmallIntegerField(_("担当開始年度"), null=True, blank=True)
    valid_until_fy = models.PositiveSmallIntegerField(_("担当終了年度"), null=True, blank=True)

    class Meta:
        verbose_name = _("担当課")
        verbose_name_plural = _("担当課")
        ordering = ["action", "position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(department__isnull=False) & Q(marker=""))
                | (Q(department__isnull=True) & ~Q(marker="")),
                name="action_department_is_department_or_marker",
            ),
            models.UniqueConstraint(
                fields=["action"],
                condition=Q(is_lead=True, valid_until_fy__isnull=True),
                name="action_has_one_current_lead",
            ),
        ]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        return self.department.name if self.department_id else self.get_marker_display()


class KeyProject(models.Model):
    """主要事業 listed under an action: ★ new or ○ continuing."""

    class Status(models.TextChoices):
        CONTINUING = "continuing", _("継続（○）")
        NEW = "new", _("新規（★）")

    action = models.ForeignKey(
        Action, verbose_name=_("取組"), on_delete=models.CASCADE, related_name="key_projects"
    )
    position = models.PositiveSmallIntegerField(_("順序"), default=0)
    title = models.CharField(_("事業名"), max_length=300)
    status = models.CharField(_("区分"), max_length=20, choices=Status.choices)

    class Meta:
        verbose_name = _("主要事業")
        verbose_name_plural = _("主要事業")
        ordering = ["action", "position"]

    def __str__(self) -> str:
        return f"{self.symbol}{self.title}"

    @property
    def symbol(self) -> str:
        return "★" if self.status == self.Status.NEW else "○"


class Note(models.Model):
    """A ※ glossary note printed beside a node or an action."""

    node = models.ForeignKey(
        PlanNode, verbose_name=_("計画の節"), on_delete=models.CASCADE, related_name="notes"
    )
    action = models.ForeignKey(
        Action,
        verbose_name=_("取組"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="notes",
    )
    position = models.PositiveSmallIntegerField(_("順序"), default=0)
    term = models.CharField(_("用語"), max_length=200)
    body = models.TextField(_("説明"))

    class Meta:
        verbose_name = _("注記（※）")
        verbose_name_plural = _("注記（※）")
        ordering = ["node", "position"]

    def __str__(self) -> str:
        return f"※{self.term}"


class PlanImport(models.Model):
    """An uploaded plan file waiting in the back office for its preview to be confirmed."""

    class Status(models.TextChoices):
        PREVIEWED = "previewed", _("確認待ち")
        APPLIED = "applied", _("取込済み")
        DISCARDED = "discarded", _("取消")

    file = models.FileField(_("ファイル"), upload_to="plan-imports/%Y/%m/")
    original_name = models.CharField(_("元のファイル名"), max_length=300)
    plan_name = models.CharField(_("計画名"), max_length=200)
    create_departments = models.BooleanField(_("未登録の部署を作成"), default=False)
    status = models.CharField(
        _("状態"), max_length=20, choices=Status.choices, default=Status.PREVIEWED
    )
    plan = models.ForeignKey(
        Plan, verbose_name=_("計画"), null=True, blank=True, on_delete=models.SET_NULL
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("登録者"), on_delete=models.PROTECT
    )
    created_at = models.DateTimeField(_("登録日時"), auto_now_add=True)

    class Meta:
        verbose_name = _("計画の取込")
        verbose_name_plural = _("計画の取込")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.original_name} → {self.plan_name}"


class MovedObject(models.Model):
    """An id that no longer exists because its object was recreated (a plan imported with
    --replace): its public URL answers 301 to the new object's URL."""

    class Kind(models.TextChoices):
        PLAN = "plan", _("計画")
        NODE = "node", _("計画の節")
        ACTION = "action", _("取組")

    kind = models.CharField(_("種別"), max_length=10, choices=Kind.choices)
    old_id = models.PositiveBigIntegerField(_("旧ID"))
    new_id = models.PositiveBigIntegerField(_("新ID"))
    moved_at = models.DateTimeField(_("移動日時"), auto_now_add=True)

    class Meta:
        # The table was created by the portal app, where this model lived first.
        db_table = "portal_movedobject"
        verbose_name = _("移動したURL")
        verbose_name_plural = _("移動したURL")
        constraints = [
            models.UniqueConstraint(fields=["kind", "old_id"], name="moved_object_unique_old_id")
        ]
        indexes = [models.Index(fields=["kind", "new_id"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.old_id} → {self.new_id}"
