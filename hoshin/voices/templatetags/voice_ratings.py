"""Citizens' ratings inside other apps' pages, each added by one template line.

- ``{% result_rating action sheet %}`` under a published result on the portal's action page:
  the rating form and the approved comments. The first call on a page loads every year of
  the action at once (two queries) and keeps it on the action object for the other years.
- ``{% sheet_ratings sheet %}`` on the staff sheet page: mean, count and distribution of the
  scores, and a link to the comments waiting for moderation.
"""

from django import template

from hoshin.evaluations.models import Stage
from hoshin.voices.selectors.ratings import rating_summary, ratings_public_for_action
from hoshin.voices.services.ratings import (
    COMMENT_LIMIT,
    SCORE_LABELS,
    SCORES,
    user_can_moderate_ratings,
)

register = template.Library()

_LOADED = "_voice_ratings_public"
_STYLESHEET_SHOWN = "_voice_ratings_css"


@register.inclusion_tag("voices/ratings/_public.html")
def result_rating(action, sheet) -> dict:
    """The form and approved comments under one published year (``sheet`` is a PublicSheet)."""
    by_fy = getattr(action, _LOADED, None)
    if by_fy is None:
        by_fy = ratings_public_for_action(action=action)
        setattr(action, _LOADED, by_fy)
    first = not getattr(action, _STYLESHEET_SHOWN, False)
    setattr(action, _STYLESHEET_SHOWN, True)
    return {
        "ratings": by_fy.get(sheet.fy),
        "sheet": sheet,
        "prefix": f"rating-{sheet.fy}",
        "choices": [(s, SCORE_LABELS[s]) for s in SCORES],
        "comment_limit": COMMENT_LIMIT,
        "with_stylesheet": first,
    }


@register.inclusion_tag("voices/ratings/_sheet_summary.html", takes_context=True)
def sheet_ratings(context, sheet) -> dict:
    """Citizens' ratings beside a staff sheet (nothing for a sheet never published)."""
    if not sheet.action_id or (sheet.stage != Stage.PUBLISHED and sheet.published_at is None):
        return {"summary": None}
    request = context.get("request")
    user = getattr(request, "user", None)
    return {
        "sheet": sheet,
        "summary": rating_summary(sheet_id=sheet.pk),
        "can_moderate": user is not None and user_can_moderate_ratings(user=user),
    }
