"""Citizens' voices: letters, opinions and proposals from arrival to reply and publication.

Personal details live apart from the voice (VoiceWriter, attachments) so that they can be
shown only to roles that need them, logged when viewed, and deleted by the retention job
while the anonymous record and the statistics stay.
"""

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from hoshin.org.models import AgeBand, Department, District
from hoshin.plans.models import Action


class Channel(models.TextChoices):
    WEB = "web", _("ウェブフォーム")
    LETTER = "letter", _("郵送")
    BOX = "box", _("投書箱・提言箱")
    EMAIL = "email", _("電子メール")
    FAX = "fax", _("ファクス")
    PHONE = "phone", _("電話")
    MEETING = "meeting", _("懇談会")
    COUNTER = "counter", _("窓口")


class VoiceKind(models.TextChoices):
    MAYOR_LETTER = "mayor_letter", _("市長への手紙")
    OPINION = "opinion", _("意見・要望")
    PROPOSAL = "proposal", _("提案")


class VoiceStatus(models.TextChoices):
    RECEIVED = "received", _("受付")
    ASSIGNED = "assigned", _("担当課決定")
    ANSWERING = "answering", _("回答作成中")
    ANSWERED = "answered", _("回答済み")
    CLOSED = "closed", _("回答なしで終了")
    FORWARDED = "forwarded", _("他の機関へ回送")

    @classmethod
    def open(cls) -> set[str]:
        """Statuses in which the city still owes the writer something."""
        return {cls.RECEIVED, cls.ASSIGNED, cls.ANSWERING}


class VoiceCategory(models.Model):
    """A subject category (分類) used for routing and statistics."""

    name = models.CharField(_("分類名"), max_length=100, unique=True)
    position = models.PositiveSmallIntegerField(_("表示順"), default=0)
    is_active = models.BooleanField(_("使用中"), default=True)

    class Meta:
        verbose_name = _("分類")
        verbose_name_plural = _("分類")
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name


class ReceiptCounter(models.Model):
    """The last receipt number given in a fiscal year; locked while the next is taken."""

    fy = models.PositiveSmallIntegerField(_("年度"), unique=True)
    last_number = models.PositiveIntegerField(_("最終番号"), default=0)

    class Meta:
        verbose_name = _("受付番号の採番")
        verbose_name_plural = _("受付番号の採番")

    def __str__(self) -> str:
        return f"{self.fy}: {self.last_number}"


class CitizenVoice(models.Model):
    fy = models.PositiveSmallIntegerField(_("受付年度"))
    number = models.PositiveIntegerField(_("受付番号（年度内）"))
    channel = models.CharField(_("受付経路"), max_length=20, choices=Channel.choices)
    kind = models.CharField(_("種別"), max_length=20, choices=VoiceKind.choices)
    subject = models.CharField(_("件名"), max_length=200)
    body = models.TextField(_("内容"))
    category = models.ForeignKey(
        VoiceCategory, verbose_name=_("分類"), null=True, blank=True, on_delete=models.PROTECT
    )
    age_band = models.CharField(
        _("年代"), max_length=10, choices=AgeBand.choices, blank=True, default=""
    )
    district = models.ForeignKey(
        District, verbose_name=_("地区"), null=True, blank=True, on_delete=models.PROTECT
    )
    received_on = models.DateField(_("受付日"))
    reply_due = models.DateField(_("回答期限"), null=True, blank=True)
    wants_reply = models.BooleanField(_("回答を希望"), default=False)
    publish_consent = models.BooleanField(_("個人情報を除いた公表に同意"), default=False)
    notify_results = models.BooleanField(_("関連する評価結果の公表を通知"), default=False)
    mayor_flag = models.BooleanField(_("市長決裁が必要"), default=False)
    status = models.CharField(
        _("状況"), max_length=20, choices=VoiceStatus.choices, default=VoiceStatus.RECEIVED
    )
    status_reason = models.TextField(
        _("状況の理由"), blank=True, help_text=_("回答なしで終了した理由、回送先など（本人に表示）")
    )
    lead_department = models.ForeignKey(
        Department,
        verbose_name=_("主管課"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="lead_voices",
    )
    co_departments = models.ManyToManyField(
        Department, verbose_name=_("関係課"), blank=True, related_name="co_voices"
    )
    actions = models.ManyToManyField(
        Action, verbose_name=_("関連する取組"), blank=True, related_name="voices"
    )
    secret_hash = models.CharField(_("照会キー（ハッシュ）"), max_length=128)
    submission_key = models.UUIDField(_("送信キー"), null=True, blank=True, unique=True)
    answered_at = models.DateTimeField(_("回答日時"), null=True, blank=True)
    closed_at = models.DateTimeField(
        _("対応終了日時"),
        null=True,
        blank=True,
        help_text=_("回答済み・回答なしで終了・回送のいずれかになった日時（保存期間の起算日）"),
    )
    personal_data_deleted_at = models.DateTimeField(_("個人情報の削除日時"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登録した職員"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("登録日時"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新日時"), auto_now=True)

    class Meta:
        verbose_name = _("市民の声")
        verbose_name_plural = _("市民の声")
        ordering = ["-fy", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["fy", "number"], name="voice_receipt_number_unique")
        ]
        indexes = [
            models.Index(fields=["status", "reply_due"]),
            models.Index(fields=["received_on"]),
        ]

    def __str__(self) -> str:
        return f"{self.receipt_number} {self.subject}"

    @property
    def receipt_number(self) -> str:
        return format_receipt_number(self.fy, self.number)

    @property
    def is_open(self) -> bool:
        """The city still owes the writer something (see VoiceStatus.open)."""
        return self.status in VoiceStatus.open()

    @property
    def staff_status_label(self) -> str:
        """The state as staff need it: while a reply is in approval, whose approval it waits for
        (市長公室の承認待ち …) rather than 回答作成中. The one rule for the staff list, the letter
        page and the inbox; citizens keep the plain status."""
        if self.is_open:
            try:
                stage = self.reply.stage
            except ObjectDoesNotExist:
                stage = None
            label = REPLY_WAITING_LABELS.get(stage)
            if label:
                return str(label)
        return self.get_status_display()


def format_receipt_number(fy: int, number: int) -> str:
    """``2026-0042``: the fiscal year and a number without gaps within it."""
    return f"{fy}-{number:04d}"


class VoiceWriter(models.Model):
    """The writer's personal details, kept apart from the voice (see the module docstring)."""

    voice = models.OneToOneField(
        CitizenVoice, verbose_name=_("市民の声"), on_delete=models.CASCADE, related_name="writer"
    )
    name = models.CharField(_("氏名"), max_length=100, blank=True)
    email = models.EmailField(_("メールアドレス"), blank=True)
    phone = models.CharField(_("電話番号"), max_length=30, blank=True)
    postal_address = models.TextField(_("住所"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("投稿者の個人情報")
        verbose_name_plural = _("投稿者の個人情報")

    def __str__(self) -> str:
        return f"{self.voice.receipt_number} の投稿者"


class VoiceAttachment(models.Model):
    voice = models.ForeignKey(
        CitizenVoice,
        verbose_name=_("市民の声"),
        on_delete=models.CASCADE,
        related_name="attachments",
    )
    file = models.FileField(_("ファイル"), upload_to="voices/%Y/%m/")
    original_name = models.CharField(_("元のファイル名"), max_length=255)
    content_type = models.CharField(_("種類"), max_length=100)
    size = models.PositiveIntegerField(_("サイズ（バイト）"))
    uploaded_at = models.DateTimeField(_("登録日時"), auto_now_add=True)

    class Meta:
        verbose_name = _("添付ファイル")
        verbose_name_plural = _("添付ファイル")

    def __str__(self) -> str:
        return self.original_name


class VoiceEventStep(models.TextChoices):
    """What a step that keeps the status did, so the writer's timeline can say why it recurs."""

    NONE = "", _("（状況の変化）")
    REROUTED = "rerouted", _("担当課を変更しました")
    REOPENED = "reopened", _("対応を再開しました")
    PUBLISHED = "published", _("ホームページに掲載しました")
    WITHDRAWN = "withdrawn", _("ホームページへの掲載を取りやめました")


class VoiceEvent(models.Model):
    """A status change or routing step, for the staff log and the writer's status page."""

    voice = models.ForeignKey(
        CitizenVoice, verbose_name=_("市民の声"), on_delete=models.CASCADE, related_name="events"
    )
    status = models.CharField(_("状況"), max_length=20, choices=VoiceStatus.choices)
    note = models.TextField(_("職員用メモ"), blank=True)
    public_note = models.TextField(_("本人に表示する説明"), blank=True)
    step = models.CharField(
        _("手続"), max_length=20, choices=VoiceEventStep.choices, default="", blank=True
    )
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("操作者"), null=True, on_delete=models.SET_NULL
    )
    at = models.DateTimeField(_("日時"), auto_now_add=True)

    class Meta:
        verbose_name = _("対応履歴")
        verbose_name_plural = _("対応履歴")
        ordering = ["voice", "at", "id"]

    def __str__(self) -> str:
        return f"{self.voice.receipt_number} {self.get_status_display()}"


class ReplyStage(models.TextChoices):
    DRAFT = "draft", _("作成中")
    SUBMITTED = "submitted", _("所属長の承認待ち")
    DEPARTMENT_APPROVED = "department_approved", _("広聴担当の確認待ち")
    OFFICE_APPROVED = "office_approved", _("市長決裁待ち")
    APPROVED = "approved", _("送付待ち")
    SENT = "sent", _("送付済み")


# What a voice with a reply in approval is waiting for (CitizenVoice.staff_status_label).
REPLY_WAITING_LABELS = {
    ReplyStage.SUBMITTED: _("所属長の承認待ち"),
    ReplyStage.DEPARTMENT_APPROVED: _("広聴担当の確認待ち"),
    ReplyStage.OFFICE_APPROVED: _("市長公室の承認待ち"),
    ReplyStage.APPROVED: _("広聴担当の送付待ち"),
}


class VoiceReply(models.Model):
    """The city's reply to one voice, drafted by the lead department and approved in turn."""

    class Method(models.TextChoices):
        EMAIL = "email", _("電子メール")
        LETTER = "letter", _("文書（郵送）")
        OTHER = "other", _("その他（電話・窓口で回答、または連絡先なし）")

    voice = models.OneToOneField(
        CitizenVoice, verbose_name=_("市民の声"), on_delete=models.CASCADE, related_name="reply"
    )
    body = models.TextField(_("回答内容"), blank=True)
    stage = models.CharField(
        _("段階"), max_length=30, choices=ReplyStage.choices, default=ReplyStage.DRAFT
    )
    version = models.PositiveIntegerField(_("版"), default=1)
    drafted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("作成者"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    sent_at = models.DateTimeField(_("送付日時"), null=True, blank=True)
    sent_method = models.CharField(_("送付方法"), max_length=10, choices=Method.choices, blank=True)

    class Meta:
        verbose_name = _("回答")
        verbose_name_plural = _("回答")

    def __str__(self) -> str:
        return f"{self.voice.receipt_number} への回答"


class ReplyEvent(models.Model):
    """One approval step of a reply: who moved it, when, and why if it was sent back."""

    reply = models.ForeignKey(
        VoiceReply, verbose_name=_("回答"), on_delete=models.CASCADE, related_name="events"
    )
    from_stage = models.CharField(_("変更前"), max_length=30, choices=ReplyStage.choices)
    to_stage = models.CharField(_("変更後"), max_length=30, choices=ReplyStage.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("操作者"), null=True, on_delete=models.SET_NULL
    )
    comment = models.TextField(_("コメント"), blank=True)
    at = models.DateTimeField(_("日時"), auto_now_add=True)

    class Meta:
        verbose_name = _("回答の決裁履歴")
        verbose_name_plural = _("回答の決裁履歴")
        ordering = ["reply", "at", "id"]

    def __str__(self) -> str:
        return f"{self.from_stage} → {self.to_stage}"


class VoicePublicationQuerySet(models.QuerySet):
    def published(self) -> "VoicePublicationQuerySet":
        """The one door to published voices on the portal."""
        return self.filter(is_published=True, voice__publish_consent=True)


class VoicePublication(models.Model):
    """What the portal shows of a voice: masked summary and reply, confirmed by a person."""

    voice = models.OneToOneField(
        CitizenVoice,
        verbose_name=_("市民の声"),
        on_delete=models.CASCADE,
        related_name="publication",
    )
    title = models.CharField(_("件名（公表用）"), max_length=200, blank=True)
    summary = models.TextField(_("要旨（公表用）"))
    reply_text = models.TextField(_("回答（公表用）"))
    answering_department = models.ForeignKey(
        Department, verbose_name=_("回答した課"), null=True, blank=True, on_delete=models.PROTECT
    )
    is_published = models.BooleanField(_("公表中"), default=False)
    published_at = models.DateTimeField(_("公表日時"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("公表を確認した職員"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = VoicePublicationQuerySet.as_manager()

    class Meta:
        verbose_name = _("公表する市民の声")
        verbose_name_plural = _("公表する市民の声")
        constraints = [
            models.CheckConstraint(
                condition=Q(is_published=False) | Q(published_at__isnull=False),
                name="voice_publication_has_date",
            )
        ]

    def __str__(self) -> str:
        return f"{self.voice.receipt_number}（公表）"


class VoiceNotification(models.Model):
    """One e-mail telling a writer that an action linked to their voice has a published result.

    There is never a second for the same voice and sheet (closing the loop, services/loop.py).
    """

    voice = models.ForeignKey(
        CitizenVoice,
        verbose_name=_("市民の声"),
        on_delete=models.CASCADE,
        related_name="notifications",
    )
    sheet = models.ForeignKey(
        "evaluations.EvaluationSheet",
        verbose_name=_("評価シート"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    sent_at = models.DateTimeField(_("送信日時"), auto_now_add=True)

    class Meta:
        verbose_name = _("評価結果公表の通知")
        verbose_name_plural = _("評価結果公表の通知")
        ordering = ["-sent_at"]
        constraints = [
            models.UniqueConstraint(fields=["voice", "sheet"], name="voice_notification_once")
        ]

    def __str__(self) -> str:
        return f"{self.voice.receipt_number} → {self.sheet_id}"


class VoiceReminderLog(models.Model):
    """One reminder digest about overdue or soon-due voices to one person on one day."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("宛先"), on_delete=models.CASCADE, related_name="+"
    )
    day = models.DateField(_("日付"))
    voice_count = models.PositiveIntegerField(_("件数"))
    sent_at = models.DateTimeField(_("送信日時"), auto_now_add=True)

    class Meta:
        verbose_name = _("市民の声の督促メール")
        verbose_name_plural = _("市民の声の督促メール")
        constraints = [
            models.UniqueConstraint(fields=["user", "day"], name="voice_reminder_once_per_day")
        ]

    def __str__(self) -> str:
        return f"{self.user} {self.day}"


class PersonalDataView(models.Model):
    """Every time a member of staff saw a writer's personal details."""

    voice = models.ForeignKey(
        CitizenVoice, verbose_name=_("市民の声"), on_delete=models.CASCADE, related_name="+"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("職員"), null=True, on_delete=models.SET_NULL
    )
    purpose = models.CharField(_("目的"), max_length=100)
    at = models.DateTimeField(_("日時"), auto_now_add=True)

    class Meta:
        verbose_name = _("個人情報の閲覧記録")
        verbose_name_plural = _("個人情報の閲覧記録")
        ordering = ["-at"]

    def __str__(self) -> str:
        return f"{self.user} {self.at:%Y-%m-%d %H:%M}"


class RatingStatus(models.TextChoices):
    PENDING = "pending", _("確認待ち")
    APPROVED = "approved", _("掲載")
    REJECTED = "rejected", _("非掲載")


class ResultRating(models.Model):
    """A citizen's satisfaction (1–5) with a published evaluation result, with an optional comment."""

    sheet = models.ForeignKey(
        "evaluations.EvaluationSheet",
        verbose_name=_("評価シート"),
        on_delete=models.CASCADE,
        related_name="ratings",
    )
    score = models.PositiveSmallIntegerField(_("満足度"))
    comment = models.TextField(_("コメント"), max_length=2000, blank=True)
    comment_status = models.CharField(
        _("コメントの掲載"),
        max_length=20,
        choices=RatingStatus.choices,
        default=RatingStatus.PENDING,
    )
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("確認した職員"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    moderated_at = models.DateTimeField(_("確認日時"), null=True, blank=True)
    created_at = models.DateTimeField(_("投稿日時"), auto_now_add=True)

    class Meta:
        verbose_name = _("評価結果への満足度")
        verbose_name_plural = _("評価結果への満足度")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(score__gte=1) & Q(score__lte=5), name="rating_score_1_to_5"
            )
        ]

    def __str__(self) -> str:
        return f"{self.sheet_id}: {self.score}"
