"""Citizens' ratings inside the portal's action page, added by one template line.

- ``{% result_rating action sheet %}`` under a published result on the portal's action page:
  the rating form and the approved comments. The first call on a page loads every year of
  the action at once (two queries) and keeps it on the action object for the other years.

The staff sheet page's summary of ratings is a sheet panel (``hoshin.voices.panels``).
"""

from django import template

from hoshin.voices.selectors.ratings import ratings_public_for_action
from hoshin.voices.services.ratings import (
    COMMENT_LIMIT,
    SCORE_LABELS,
    SCORES,
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
