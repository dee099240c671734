"""Citizens' letters and comment moderation in the staff inbox (registered in ``apps.py``).

Each list starts from ``voices_visible_to`` (a voice the user may not open never appears) and
then keeps only the step that is the user's, asked of the role predicates: routing for the
public-hearing office, drafting for the lead department's editors, each approval for its holder
(``replies_waiting_for``), moderation for ``user_can_moderate_ratings``.
"""

import datetime

from django.db.models import Max, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hoshin.lib.fiscal import format_fiscal_year
from hoshin.org.inbox import InboxItem
from hoshin.org.models import Role
from hoshin.org.roles import departments_for_role, is_public_hearing_office
from hoshin.voices.models import CitizenVoice, RatingStatus, ReplyStage, ResultRating, VoiceStatus
from hoshin.voices.selectors.access import replies_waiting_for, voices_visible_to
from hoshin.voices.selectors.handling import with_display_subjects
from hoshin.voices.services.ratings import user_can_moderate_ratings

LETTERS = "voices"
LETTERS_LABEL = gettext_lazy("市民の声")
APPROVALS = "replies"
APPROVALS_LABEL = gettext_lazy("回答の承認")
MODERATION = "ratings"
MODERATION_LABEL = gettext_lazy("コメントの確認")

RELATED = ("lead_department", "category", "reply")


def _reply_reason(stage: str) -> str:
    return {
        ReplyStage.SUBMITTED: _("所属長として回答案を確認し、承認してください"),
        ReplyStage.DEPARTMENT_APPROVED: _("広聴担当として回答案を確認し、承認してください"),
        ReplyStage.OFFICE_APPROVED: _("市長公室として回答案を決裁してください"),
        ReplyStage.APPROVED: _("広聴担当として回答を送付してください"),
    }.get(stage, "")


def _voice_item(kind: str, voice: CitizenVoice, reason: str, since: datetime.date) -> InboxItem:
    department = voice.lead_department.name if voice.lead_department else _("主管課未定")
    return InboxItem(
        kind=kind,
        title=f"{voice.receipt_number} {voice.display_subject}",
        reason=reason,
        url=reverse("voices_staff:detail", args=[voice.pk]),
        due=voice.reply_due if voice.is_open else None,
        since=since,
        context=f"{voice.get_kind_display()} ・ {department}",
        state=voice.staff_status_label,
    )


def letter_inbox_items(*, user, today: datetime.date) -> list[InboxItem]:
    """Letters to route (public-hearing office) and to answer (the lead department's editors)."""
    visible = voices_visible_to(user=user).select_related(*RELATED)
    items = []
    if is_public_hearing_office(user=user):
        to_route = with_display_subjects(visible.filter(status=VoiceStatus.RECEIVED), user=user)
        for voice in to_route:
            reason = _("広聴担当として分類し、主管課を決めてください")
            items.append(_voice_item(LETTERS, voice, reason, voice.received_on))
    editor = departments_for_role(user=user, role=Role.DEPARTMENT_EDITOR)
    if editor:
        to_answer = visible.filter(
            Q(reply__isnull=True) | Q(reply__stage=ReplyStage.DRAFT),
            status__in=[VoiceStatus.ASSIGNED, VoiceStatus.ANSWERING],
            lead_department_id__in=editor,
        )
        for voice in with_display_subjects(to_answer, user=user):
            reason = _("主管課の担当者として回答案を作成し、提出してください")
            items.append(_voice_item(LETTERS, voice, reason, voice.received_on))
    return items


def reply_inbox_items(*, user, today: datetime.date) -> list[InboxItem]:
    """Replies waiting for this user's approval (head, public-hearing office, mayor's office) or
    for the office to send them; drafts are the letters list's."""
    replies = (
        replies_waiting_for(user=user)
        .exclude(stage=ReplyStage.DRAFT)
        .filter(voice__in=voices_visible_to(user=user))
        .select_related(*(f"voice__{name}" for name in RELATED if name != "reply"))
        .annotate(waiting_since=Max("events__at"))  # the step that put it in this stage
    )
    items = []
    replies = list(replies)
    for reply in replies:
        reply.voice.reply = reply  # the status label reads it; no second query
    with_display_subjects([reply.voice for reply in replies], user=user)
    for reply in replies:
        since = timezone.localdate(reply.waiting_since) if reply.waiting_since else None
        items.append(_voice_item(APPROVALS, reply.voice, _reply_reason(reply.stage), since))
    return items


def rating_inbox_items(*, user, today: datetime.date) -> list[InboxItem]:
    """Citizens' comments waiting for moderation: one item per result, oldest comment's age."""
    if not user_can_moderate_ratings(user=user):
        return []
    pending = (
        ResultRating.objects.exclude(comment="")
        .filter(comment_status=RatingStatus.PENDING)
        .select_related("sheet__cycle__plan", "sheet__action", "sheet__node")
        .order_by("created_at", "pk")
    )
    by_sheet: dict[int, list[ResultRating]] = {}
    for rating in pending:
        by_sheet.setdefault(rating.sheet_id, []).append(rating)
    base = reverse("voices_staff:ratings")
    items = []
    for sheet_id, ratings in by_sheet.items():
        sheet = ratings[0].sheet
        query = urlencode({"sheet": sheet_id, "status": RatingStatus.PENDING})
        items.append(
            InboxItem(
                kind=MODERATION,
                title=str(sheet.subject),
                reason=_("公開前のコメント %(count)d件を確認し、掲載か非掲載を決めてください")
                % {"count": len(ratings)},
                url=f"{base}?{query}",
                since=timezone.localdate(ratings[0].created_at),
                context=f"{sheet.cycle.plan.name} {format_fiscal_year(sheet.cycle.fy)}",
                state=str(RatingStatus.PENDING.label),
            )
        )
    return items
