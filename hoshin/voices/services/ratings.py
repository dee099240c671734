"""Citizens rate published evaluation results (1–5 and a comment); staff moderate the comments.

A rating can only be given to a published result shown on the portal (an action's sheet through
``EvaluationSheet.objects.published()``): any other id raises ``EvaluationSheet.DoesNotExist``
exactly like an id that does not exist, and nothing is stored. The score counts in the
aggregates at once; a comment waits (``RatingStatus.PENDING``) until the planning office or the
public-hearing office approves it. A rating without a comment has nothing to moderate and is
stored as approved, with nobody recorded as its moderator.
"""

import re

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy

from hoshin.audit.services import audit_record
from hoshin.evaluations.models import EvaluationSheet
from hoshin.org.roles import is_planning_office, is_public_hearing_office
from hoshin.voices.models import RatingStatus, ResultRating

SCORES = (1, 2, 3, 4, 5)
SCORE_LABELS = {
    1: gettext_lazy("不満"),
    2: gettext_lazy("やや不満"),
    3: gettext_lazy("どちらともいえない"),
    4: gettext_lazy("やや満足"),
    5: gettext_lazy("満足"),
}
COMMENT_LIMIT = ResultRating._meta.get_field("comment").max_length
# Control characters other than newline and tab never belong in a comment.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def sheets_rateable() -> QuerySet[EvaluationSheet]:
    """Results citizens may rate: published sheets of published plans that the portal shows
    on an action page (施策評価 sheets of a node are not shown there)."""
    return EvaluationSheet.objects.published().filter(action__isnull=False)


def user_can_moderate_ratings(*, user) -> bool:
    """The planning office, the public-hearing office and administrators moderate comments."""
    return is_planning_office(user=user) or is_public_hearing_office(user=user)


def clean_comment(text: str) -> str:
    """The comment as stored: plain text, newlines normalised, control characters removed."""
    return _CONTROL.sub("", (text or "").replace("\r\n", "\n").replace("\r", "\n")).strip()


def rating_submit(*, sheet_id: int, score: int, comment: str = "") -> ResultRating:
    """Store a citizen's satisfaction with a published result (and a comment to moderate)."""
    sheet = sheets_rateable().get(pk=sheet_id)
    if score not in SCORES:
        raise ValidationError({"score": "満足度を1～5から選んでください。"})
    comment = clean_comment(comment)
    if len(comment) > COMMENT_LIMIT:
        raise ValidationError(
            {"comment": f"{len(comment):,}文字あります。{COMMENT_LIMIT:,}文字以内にしてください。"}
        )
    with transaction.atomic():
        rating = ResultRating.objects.create(
            sheet=sheet,
            score=score,
            comment=comment,
            comment_status=RatingStatus.PENDING if comment else RatingStatus.APPROVED,
        )
        audit_record(
            actor=None,
            verb="rating.submit",
            target=rating,
            summary=f"評価結果への満足度 {score}（評価シート {sheet.pk}"
            + ("・コメントあり" if comment else "")
            + "）",
        )
    return rating


def rating_moderate(*, rating: ResultRating, decision: str, by) -> ResultRating:
    """Approve (show under the result) or reject a comment; a decision can be changed later."""
    if not user_can_moderate_ratings(user=by):
        raise PermissionDenied
    if decision not in (RatingStatus.APPROVED, RatingStatus.REJECTED):
        raise ValidationError("掲載か非掲載を選んでください。")
    if not rating.comment:
        raise ValidationError("コメントのない評価は確認の対象ではありません。")
    with transaction.atomic():
        previous = rating.comment_status
        rating.comment_status = decision
        rating.moderated_by = by
        rating.moderated_at = timezone.now()
        rating.save(update_fields=["comment_status", "moderated_by", "moderated_at"])
        audit_record(
            actor=by,
            verb="rating.moderate",
            target=rating,
            summary=f"評価結果へのコメントを{RatingStatus(decision).label}に"
            f"（評価シート {rating.sheet_id}）",
            data={"from": previous, "to": decision},
        )
    return rating
