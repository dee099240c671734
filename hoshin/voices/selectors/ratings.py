"""Reads of citizens' ratings: what the portal shows, what staff see beside a sheet, the queue.

The portal reads only approved, non-empty comments of published results, and only text (never
the moderation fields). Staff figures (mean, count, distribution) count every score at once,
whatever the state of its comment.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Avg, Count, Q, QuerySet
from django.utils import timezone

from hoshin.plans.models import Action
from hoshin.voices.models import RatingStatus, ResultRating
from hoshin.voices.services.ratings import SCORE_LABELS, SCORES, sheets_rateable

PUBLIC_COMMENTS_PER_SHEET = 50  # the newest; a result with more still shows its count


# ---- the portal ------------------------------------------------------------------------------


@dataclass(frozen=True)
class PublicComment:
    text: str
    posted_on: datetime.date


@dataclass
class PublicRatings:
    """What the action page shows under one published year: the form's target and comments."""

    sheet_id: int
    comments: list[PublicComment] = field(default_factory=list)
    comment_count: int = 0


def ratings_public_for_action(*, action: Action) -> dict[int, PublicRatings]:
    """Per fiscal year of the action's published results: the sheet id and approved comments.

    Two queries whatever the number of years and comments.
    """
    sheets = sheets_rateable().filter(action=action)
    found = {fy: PublicRatings(sheet_id=pk) for pk, fy in sheets.values_list("pk", "cycle__fy")}
    if not found:
        return found
    comments = (
        ResultRating.objects.filter(sheet__in=sheets, comment_status=RatingStatus.APPROVED)
        .exclude(comment="")
        .order_by("-created_at", "-pk")
        .values_list("sheet__cycle__fy", "comment", "created_at")
    )
    for fy, text, created_at in comments:
        ratings = found.get(fy)
        if ratings is None:
            continue
        ratings.comment_count += 1
        if len(ratings.comments) < PUBLIC_COMMENTS_PER_SHEET:
            ratings.comments.append(PublicComment(text, timezone.localdate(created_at)))
    return found


# ---- staff -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ScoreCount:
    score: int
    label: str
    count: int
    share: float | None


@dataclass
class RatingSummary:
    count: int
    mean: float | None
    distribution: list[ScoreCount]
    pending: int  # comments waiting for moderation


def rating_summary(*, sheet_id: int) -> RatingSummary:
    """Mean, count and distribution of one sheet's scores, and its pending comments (one query)."""
    row = ResultRating.objects.filter(sheet_id=sheet_id).aggregate(
        count=Count("pk"),
        mean=Avg("score"),
        pending=Count("pk", filter=Q(comment_status=RatingStatus.PENDING) & ~Q(comment="")),
        **{f"score_{s}": Count("pk", filter=Q(score=s)) for s in SCORES},
    )
    total = row["count"]
    return RatingSummary(
        count=total,
        mean=row["mean"],
        distribution=[
            ScoreCount(
                s, SCORE_LABELS[s], row[f"score_{s}"], row[f"score_{s}"] / total if total else None
            )
            for s in SCORES
        ],
        pending=row["pending"],
    )


def ratings_for_moderation(
    *, status: str = RatingStatus.PENDING, sheet_id: int | None = None
) -> QuerySet[ResultRating]:
    """Ratings with a comment in ``status``: the oldest pending first, else the newest."""
    ratings = (
        ResultRating.objects.exclude(comment="")
        .filter(comment_status=status)
        .select_related("sheet__cycle__plan", "sheet__action", "sheet__department", "moderated_by")
    )
    if sheet_id is not None:
        ratings = ratings.filter(sheet_id=sheet_id)
    if status == RatingStatus.PENDING:
        return ratings.order_by("created_at", "pk")
    return ratings.order_by("-moderated_at", "-created_at", "-pk")


def moderation_counts() -> dict[str, int]:
    """Comments per moderation state, for the tabs of the moderation page (one query)."""
    return ResultRating.objects.exclude(comment="").aggregate(
        **{s.value: Count("pk", filter=Q(comment_status=s.value)) for s in RatingStatus}
    )
