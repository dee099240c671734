"""Citizens' surveys (市民アンケート): questions in sections, anonymous responses, versions.

A survey's questions are frozen once it has a response (``services.editing`` refuses the edit
and offers a new version), so every stored answer keeps meaning what it meant when it was
given. Responses never hold an IP address or personal details: only the respondent attributes
the survey asks (age band, district), the answers, and what enforces "one answer" — the
invitation used, or a keyed hash of the browser's random cookie.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hoshin.org.models import TEXT_LIMIT, AgeBand, District

TEXT_ANSWER_DEFAULT_LIMIT = 2_000  # characters of one free-text answer unless the question says
SCALE_MIN, SCALE_MAX = 1, 5
NUMBER_LIMIT = 10**9  # whole numbers only; anything bigger is a typing accident


class SurveyStatus(models.TextChoices):
    DRAFT = "draft", _("作成中")
    PUBLISHED = "published", _("公開")


class AnswerLimit(models.TextChoices):
    TOKEN = "token", _("招待コードごとに1回")
    BROWSER = "browser", _("ブラウザごとに1回")


class QuestionKind(models.TextChoices):
    SINGLE = "single", _("単一選択")
    MULTIPLE = "multiple", _("複数選択")
    SCALE = "scale_1_5", _("5段階評価")
    NUMBER = "number", _("数値")
    TEXT = "text", _("自由記述")

    @classmethod
    def with_choices(cls) -> set[str]:
        """Kinds answered by picking from the question's own choices."""
        return {cls.SINGLE, cls.MULTIPLE}

    @classmethod
    def tabulated(cls) -> set[str]:
        """Kinds that can be cross-tabulated by a respondent attribute."""
        return {cls.SINGLE, cls.MULTIPLE, cls.SCALE}


class SurveyQuerySet(models.QuerySet):
    def published(self) -> "SurveyQuerySet":
        """The one door to surveys citizens may see: published ones (open, upcoming or closed)."""
        return self.filter(status=SurveyStatus.PUBLISHED)

    def open_at(self, when) -> "SurveyQuerySet":
        """Published surveys accepting answers at ``when`` (opens_at ≤ when < closes_at)."""
        return self.published().filter(opens_at__lte=when, closes_at__gt=when)

    def results_public_at(self, when) -> "SurveyQuerySet":
        """The one door to public results: published surveys that allow it and are closed."""
        return self.published().filter(results_public=True, closes_at__lte=when)


class Survey(models.Model):
    title = models.CharField(_("タイトル"), max_length=200)
    description = models.TextField(_("説明"), blank=True, max_length=5_000)
    opens_at = models.DateTimeField(_("回答受付の開始"), null=True, blank=True)
    closes_at = models.DateTimeField(_("回答受付の終了"), null=True, blank=True)
    status = models.CharField(
        _("状態"), max_length=20, choices=SurveyStatus.choices, default=SurveyStatus.DRAFT
    )
    answer_limit = models.CharField(
        _("回答の制限"), max_length=20, choices=AnswerLimit.choices, default=AnswerLimit.BROWSER
    )
    asks_age_band = models.BooleanField(_("年代を尋ねる"), default=True)
    asks_district = models.BooleanField(_("地区を尋ねる"), default=True)
    # Citizens see the aggregated results once answering has ended (never the free texts).
    results_public = models.BooleanField(_("受付終了後に集計結果を公開する"), default=False)
    version = models.PositiveIntegerField(_("版"), default=1)
    previous_version = models.OneToOneField(
        "self",
        verbose_name=_("前の版"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="next_version",
    )
    published_at = models.DateTimeField(_("公開日時"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("作成した職員"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("作成日時"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新日時"), auto_now=True)

    objects = SurveyQuerySet.as_manager()

    class Meta:
        verbose_name = _("アンケート")
        verbose_name_plural = _("アンケート")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(opens_at__isnull=True)
                | Q(closes_at__isnull=True)
                | Q(closes_at__gt=models.F("opens_at")),
                name="survey_closes_after_opening",
            ),
            models.CheckConstraint(
                condition=~Q(status="published")
                | Q(opens_at__isnull=False, closes_at__isnull=False, published_at__isnull=False),
                name="survey_published_has_dates",
            ),
            models.CheckConstraint(
                condition=Q(previous_version__isnull=True, version=1)
                | Q(previous_version__isnull=False, version__gt=1),
                name="survey_version_follows_previous",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title}（第{self.version}版）" if self.version > 1 else self.title

    @property
    def is_published(self) -> bool:
        return self.status == SurveyStatus.PUBLISHED

    def phase(self, when=None) -> str:
        """``draft``, ``upcoming``, ``open`` or ``closed`` at ``when`` (default: now)."""
        if not self.is_published:
            return "draft"
        when = when or timezone.now()
        if when < self.opens_at:
            return "upcoming"
        if when >= self.closes_at:
            return "closed"
        return "open"

    @property
    def phase_label(self) -> str:
        return {
            "draft": _("作成中"),
            "upcoming": _("受付開始前"),
            "open": _("回答受付中"),
            "closed": _("受付終了"),
        }[self.phase()]


class SurveySection(models.Model):
    survey = models.ForeignKey(
        Survey, verbose_name=_("アンケート"), on_delete=models.CASCADE, related_name="sections"
    )
    title = models.CharField(_("見出し"), max_length=200)
    position = models.PositiveSmallIntegerField(_("表示順"), default=0)

    class Meta:
        verbose_name = _("アンケートの節")
        verbose_name_plural = _("アンケートの節")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.title


class SurveyQuestion(models.Model):
    survey = models.ForeignKey(
        Survey, verbose_name=_("アンケート"), on_delete=models.CASCADE, related_name="questions"
    )
    section = models.ForeignKey(
        SurveySection, verbose_name=_("節"), on_delete=models.CASCADE, related_name="questions"
    )
    kind = models.CharField(_("設問の種類"), max_length=20, choices=QuestionKind.choices)
    text = models.TextField(_("設問文"), max_length=1_000)
    help_text = models.CharField(_("補足"), max_length=300, blank=True)
    required = models.BooleanField(_("回答必須"), default=False)
    position = models.PositiveSmallIntegerField(_("表示順"), default=0)
    number_min = models.IntegerField(_("最小値"), null=True, blank=True)
    number_max = models.IntegerField(_("最大値"), null=True, blank=True)
    number_unit = models.CharField(_("単位"), max_length=20, blank=True)
    text_max_length = models.PositiveIntegerField(
        _("最大文字数"), default=TEXT_ANSWER_DEFAULT_LIMIT
    )
    scale_min_label = models.CharField(_("1の意味"), max_length=40, blank=True)
    scale_max_label = models.CharField(_("5の意味"), max_length=40, blank=True)

    class Meta:
        verbose_name = _("設問")
        verbose_name_plural = _("設問")
        ordering = ["section__position", "section_id", "position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(number_min__isnull=True)
                | Q(number_max__isnull=True)
                | Q(number_max__gte=models.F("number_min")),
                name="survey_question_number_range_ordered",
            ),
            models.CheckConstraint(
                condition=Q(text_max_length__gte=1, text_max_length__lte=TEXT_LIMIT),
                name="survey_question_text_limit",
            ),
        ]

    def __str__(self) -> str:
        return self.text[:60]

    @property
    def field_name(self) -> str:
        """The name of this question's field on the answer form (and key of its errors)."""
        return f"q{self.pk}"

    @property
    def has_choices(self) -> bool:
        return self.kind in QuestionKind.with_choices()


class SurveyChoice(models.Model):
    question = models.ForeignKey(
        SurveyQuestion, verbose_name=_("設問"), on_delete=models.CASCADE, related_name="choices"
    )
    label = models.CharField(_("選択肢"), max_length=200)
    position = models.PositiveSmallIntegerField(_("表示順"), default=0)

    class Meta:
        verbose_name = _("選択肢")
        verbose_name_plural = _("選択肢")
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["question", "label"], name="survey_choice_label_unique")
        ]

    def __str__(self) -> str:
        return self.label


class SurveyInvitation(models.Model):
    """An invitation code mailed to a citizen; it admits exactly one response."""

    survey = models.ForeignKey(
        Survey, verbose_name=_("アンケート"), on_delete=models.CASCADE, related_name="invitations"
    )
    token = models.CharField(_("招待コード"), max_length=32, unique=True)
    created_at = models.DateTimeField(_("発行日時"), auto_now_add=True)
    used_at = models.DateTimeField(_("回答日時"), null=True, blank=True)

    class Meta:
        verbose_name = _("招待コード")
        verbose_name_plural = _("招待コード")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.display_token

    @property
    def display_token(self) -> str:
        """``ABCD-EFGH-JKLM``: groups of four are easier to type from a letter."""
        return "-".join(self.token[i : i + 4] for i in range(0, len(self.token), 4))


class SurveyResponse(models.Model):
    """One citizen's answers. Anonymous: no IP address, no name, no contact details."""

    survey = models.ForeignKey(
        Survey, verbose_name=_("アンケート"), on_delete=models.PROTECT, related_name="responses"
    )
    submitted_at = models.DateTimeField(_("回答日時"), default=timezone.now)
    age_band = models.CharField(
        _("年代"), max_length=10, choices=AgeBand.choices, blank=True, default=""
    )
    district = models.ForeignKey(
        District, verbose_name=_("地区"), null=True, blank=True, on_delete=models.PROTECT
    )
    invitation = models.OneToOneField(
        SurveyInvitation,
        verbose_name=_("招待コード"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="response",
    )
    # NULL (not ""), so that the per-browser unique constraint ignores per-code responses.
    browser_key = models.CharField(  # noqa: DJ001
        _("ブラウザ識別子（ハッシュ）"), max_length=64, null=True, blank=True
    )
    submission_key = models.UUIDField(_("送信キー"), null=True, blank=True, unique=True)

    class Meta:
        verbose_name = _("回答")
        verbose_name_plural = _("回答")
        ordering = ["submitted_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "browser_key"], name="survey_response_one_per_browser"
            ),
            # Exactly one of the two ways of enforcing "one answer" identifies each response.
            models.CheckConstraint(
                condition=Q(invitation__isnull=False, browser_key__isnull=True)
                | Q(invitation__isnull=True, browser_key__isnull=False),
                name="survey_response_token_or_browser",
            ),
        ]
        indexes = [models.Index(fields=["survey", "age_band"])]

    def __str__(self) -> str:
        return f"{self.survey} #{self.pk}"


class SurveyAnswer(models.Model):
    """One answer value: a choice (one row per ticked choice), a number (also 1–5) or a text."""

    response = models.ForeignKey(
        SurveyResponse, verbose_name=_("回答"), on_delete=models.CASCADE, related_name="answers"
    )
    question = models.ForeignKey(
        SurveyQuestion, verbose_name=_("設問"), on_delete=models.PROTECT, related_name="answers"
    )
    choice = models.ForeignKey(
        SurveyChoice,
        verbose_name=_("選択肢"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="answers",
    )
    number = models.BigIntegerField(_("数値"), null=True, blank=True)
    text = models.TextField(_("記述"), blank=True)

    class Meta:
        verbose_name = _("設問への回答")
        verbose_name_plural = _("設問への回答")
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(choice__isnull=False, number__isnull=True, text="")
                | Q(choice__isnull=True, number__isnull=False, text="")
                | (Q(choice__isnull=True, number__isnull=True) & ~Q(text="")),
                name="survey_answer_one_value",
            ),
            models.UniqueConstraint(
                fields=["response", "question", "choice"], name="survey_answer_choice_once"
            ),
            models.UniqueConstraint(
                fields=["response", "question"],
                condition=Q(choice__isnull=True),
                name="survey_answer_value_once",
            ),
        ]
        indexes = [models.Index(fields=["question", "choice"])]

    def __str__(self) -> str:
        return f"{self.response_id}/{self.question_id}"
