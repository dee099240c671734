"""Departments (a tree with validity periods), staff users and their roles."""

import jaconv
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Case, F, IntegerField, Q, Value, When
from django.db.models.functions import Coalesce, NullIf
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from hoshin.lib.fiscal import display_fiscal_year, format_fiscal_year


class DepartmentKind(models.TextChoices):
    BU = "bu", _("部")
    KA = "ka", _("課")
    SHITSU = "shitsu", _("室")
    KAKARI = "kakari", _("係")
    IINKAI = "iinkai", _("委員会")
    JIMUKYOKU = "jimukyoku", _("事務局")
    KAN = "kan", _("館")
    OTHER = "other", _("その他")

    @classmethod
    def guess(cls, name: str) -> "DepartmentKind":
        """Guess a kind from the name's ending (…課 → 課), for departments created by an import."""
        for suffix, kind in (
            ("委員会", cls.IINKAI),
            ("事務局", cls.JIMUKYOKU),
            ("部", cls.BU),
            ("課", cls.KA),
            ("室", cls.SHITSU),
            ("係", cls.KAKARI),
            ("館", cls.KAN),
        ):
            if name.endswith(suffix):
                return kind
        return cls.OTHER


def department_order(prefix: str = "") -> list:
    """The organisation order of departments, as ``order_by`` terms (``prefix``: ``"department__"``).

    The one rule for every list, pull-down, page and file: departments the admin gave a
    position (``position`` > 0) first, in that order; then the others by their kana reading
    (あいうえお順), or by name when they have no reading; the id last, so that the order is total.
    Code-point order of kanji (こども家庭課, 下水道課, 中央公民館 …) means nothing to a reader.
    Trees keep parents before children on top of this (``org.selectors.departments_as_tree``).
    """
    position, reading, name = (f"{prefix}position", f"{prefix}reading", f"{prefix}name")
    unset = Case(
        When(**{position: 0}, then=Value(1)), default=Value(0), output_field=IntegerField()
    )
    return [
        unset,
        F(position).asc(),
        Coalesce(NullIf(reading, Value("")), name).asc(),
        f"{prefix}id",
    ]


def normalize_reading(text: str) -> str:
    """A reading as stored: hiragana (カタカナ and half-width ｶﾅ are converted), no spaces."""
    text = jaconv.h2z(text or "", kana=True, ascii=False, digit=False)
    return "".join(jaconv.kata2hira(text).split())


class DepartmentQuerySet(models.QuerySet):
    def in_org_order(self) -> "DepartmentQuerySet":
        """These departments in the organisation order (``department_order``)."""
        return self.order_by(*department_order())

    def valid_in(self, fy: int) -> "DepartmentQuerySet":
        """Departments that exist in fiscal year ``fy``."""
        return self.filter(Q(valid_from_fy__isnull=True) | Q(valid_from_fy__lte=fy)).filter(
            Q(valid_until_fy__isnull=True) | Q(valid_until_fy__gte=fy)
        )

    def current(self) -> "DepartmentQuerySet":
        """Departments that have not been closed by a reorganisation."""
        return self.filter(valid_until_fy__isnull=True)


class Department(models.Model):
    """One version of an organisational unit.

    A rename, merge or split closes the old row (``valid_until_fy``) and opens new rows, linked
    by a DepartmentChange, so last year's records keep pointing at last year's department.

    How a department is named (one rule for pages, e-mails, letters, PDFs and data files): by
    its own ``name`` (広聴広報課), as the office signs its letters, and as ``str()`` gives it;
    lists that mix levels show the tree (parents as group headings) rather than long names.
    ``full_name`` (市長公室広聴広報課) is only for telling departments apart where the short
    name is not enough: matching names from a file, listing the candidates of an ambiguous
    name, audit summaries and the reorganisation form.
    """

    name = models.CharField(_("名称"), max_length=100)
    kind = models.CharField(_("種別"), max_length=20, choices=DepartmentKind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上位組織"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    code = models.CharField(_("組織コード"), max_length=20, blank=True)
    valid_from_fy = models.PositiveSmallIntegerField(_("設置年度"), null=True, blank=True)
    valid_until_fy = models.PositiveSmallIntegerField(_("廃止前の最終年度"), null=True, blank=True)
    position = models.PositiveIntegerField(_("表示順"), default=0)
    # The kana reading orders departments the way a Japanese reader expects (あいうえお順)
    # where the admin has set no position; code-point order of kanji means nothing to anyone.
    reading = models.CharField(
        _("よみがな"), max_length=200, blank=True, help_text=_("並べ替えに使います（ひらがな）。")
    )
    # Contact details shown to citizens on department pages, replies and letters.
    phone = models.CharField(_("電話番号"), max_length=40, blank=True)
    email = models.EmailField(_("メールアドレス"), blank=True)
    address = models.CharField(_("所在地"), max_length=200, blank=True)
    opening_hours = models.CharField(
        _("受付時間"), max_length=200, blank=True, help_text=_("例: 平日 8時30分〜17時15分")
    )

    # A rename or merge keeps the office where it was: successors start with these copied.
    CONTACT_FIELDS = ("phone", "email", "address", "opening_hours")

    objects = DepartmentQuerySet.as_manager()

    class Meta:
        verbose_name = _("部署")
        verbose_name_plural = _("部署")
        ordering = department_order()
        constraints = [
            models.CheckConstraint(
                condition=Q(valid_from_fy__isnull=True)
                | Q(valid_until_fy__isnull=True)
                | Q(valid_until_fy__gte=models.F("valid_from_fy")),
                name="department_valid_period_ordered",
            ),
            models.UniqueConstraint(
                fields=["code"], condition=~Q(code=""), name="department_code_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.reading = normalize_reading(self.reading)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("portal:department", args=[self.pk])

    def clean(self) -> None:
        if self.parent_id and self.parent_id == self.pk:
            raise ValidationError({"parent": _("自分自身を上位組織にはできません。")})

    @property
    def full_name(self) -> str:
        """Name with its ancestors, e.g. 教育部総務課: only to tell same-named 課 apart (see the
        class docstring); pages and documents show ``name``."""
        names, node, seen = [], self, set()
        while node is not None and node.pk not in seen:
            seen.add(node.pk)
            names.append(node.name)
            node = node.parent
        return "".join(reversed(names))

    @property
    def validity_label(self) -> str:
        if self.valid_from_fy is None and self.valid_until_fy is None:
            return ""
        start = display_fiscal_year(self.valid_from_fy) if self.valid_from_fy else ""
        end = display_fiscal_year(self.valid_until_fy) if self.valid_until_fy else ""
        return f"{start}～{end}"


class DepartmentChange(models.Model):
    """A reorganisation taking effect at the start of a fiscal year: rename, merge or split."""

    class Kind(models.TextChoices):
        RENAME = "rename", _("名称変更")
        MERGE = "merge", _("統合")
        SPLIT = "split", _("分割")
        ABOLISH = "abolish", _("廃止")

    kind = models.CharField(_("種別"), max_length=20, choices=Kind.choices)
    effective_fy = models.PositiveSmallIntegerField(_("実施年度"))
    predecessors = models.ManyToManyField(
        Department, verbose_name=_("変更前"), related_name="changes_out"
    )
    successors = models.ManyToManyField(
        Department, verbose_name=_("変更後"), related_name="changes_in", blank=True
    )
    note = models.TextField(_("備考"), blank=True)
    created_at = models.DateTimeField(_("登録日時"), auto_now_add=True)

    class Meta:
        verbose_name = _("組織改編")
        verbose_name_plural = _("組織改編")
        ordering = ["-effective_fy", "-id"]

    def __str__(self) -> str:
        return f"{format_fiscal_year(self.effective_fy)} {self.get_kind_display()}"


class User(AbstractUser):
    """A member of staff (or a committee member). Citizens never have accounts."""

    department = models.ForeignKey(
        Department,
        verbose_name=_("所属"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="staff",
    )
    display_name = models.CharField(_("表示名"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("職員")
        verbose_name_plural = _("職員")

    def __str__(self) -> str:
        return self.display_name or self.get_full_name() or self.username


class Role(models.TextChoices):
    ADMIN = "admin", _("システム管理者")
    PLANNING_OFFICE = "planning_office", _("企画担当（全庁）")
    DEPARTMENT_EDITOR = "department_editor", _("部署の担当者")
    DEPARTMENT_HEAD = "department_head", _("部署の所属長（承認者）")
    COMMITTEE_MEMBER = "committee_member", _("外部評価委員")
    VIEWER = "viewer", _("閲覧者")
    PUBLIC_HEARING = "public_hearing", _("広聴担当")
    MAYOR_OFFICE = "mayor_office", _("市長公室（市長決裁）")

    @classmethod
    def department_scoped(cls) -> set[str]:
        """Roles that act for one department (and its sub-units), never for the whole city."""
        return {cls.DEPARTMENT_EDITOR, cls.DEPARTMENT_HEAD}


class RoleAssignment(models.Model):
    """A role held by a user, scoped to a department where the role acts for one."""

    user = models.ForeignKey(
        User, verbose_name=_("職員"), on_delete=models.CASCADE, related_name="role_assignments"
    )
    role = models.CharField(_("役割"), max_length=30, choices=Role.choices)
    department = models.ForeignKey(
        Department,
        verbose_name=_("対象部署"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="role_assignments",
        help_text=_("部署の担当者・所属長は必須。閲覧者は空欄なら全庁。"),
    )

    class Meta:
        verbose_name = _("役割")
        verbose_name_plural = _("役割")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "role", "department"], name="role_assignment_unique"
            ),
            models.UniqueConstraint(
                fields=["user", "role"],
                condition=Q(department__isnull=True),
                name="role_assignment_unique_citywide",
            ),
            models.CheckConstraint(
                condition=~Q(role__in=["department_editor", "department_head"])
                | Q(department__isnull=False),
                name="department_role_needs_department",
            ),
        ]

    def __str__(self) -> str:
        scope = f" / {self.department}" if self.department_id else ""
        return f"{self.user} — {self.get_role_display()}{scope}"

    def clean(self) -> None:
        if self.role in Role.department_scoped() and not self.department_id:
            raise ValidationError({"department": _("この役割には対象部署が必要です。")})


# --- who writes to the city: shared by citizens' voices and surveys --------------------------

# Characters of one text a citizen sends (a letter, a survey answer's upper limit): long letters
# exist, 100,000-character ones are abuse.
TEXT_LIMIT = 20_000


class AgeBand(models.TextChoices):
    UNDISCLOSED = "", _("回答しない")
    TEENS = "10s", _("10代以下")
    TWENTIES = "20s", _("20代")
    THIRTIES = "30s", _("30代")
    FORTIES = "40s", _("40代")
    FIFTIES = "50s", _("50代")
    SIXTIES = "60s", _("60代")
    SEVENTIES = "70s", _("70代")
    EIGHTIES_PLUS = "80s", _("80代以上")


class District(models.Model):
    """A district of the city (地区), chosen by writers and survey respondents."""

    name = models.CharField(_("地区名"), max_length=100, unique=True)
    position = models.PositiveSmallIntegerField(_("表示順"), default=0)

    class Meta:
        # The table was created by the voices app, where this model lived first.
        db_table = "voices_district"
        verbose_name = _("地区")
        verbose_name_plural = _("地区")
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name
