"""Citizens' ratings inside the portal's action page, added by one template line.

``{% result_rating sheet ratings first=forloop.first %}`` under a published result: the rating
form and the approved comments. ``ratings`` is what the action view read once for every year
(``selectors.ratings.ratings_public_for_action``); the tag only picks the year and reads nothing.
"""

from django import template

from hoshin.voices.services.ratings import COMMENT_LIMIT, SCORE_LABELS, SCORES

register = template.Library()


@register.inclusion_tag("voices/ratings/_public.html")
def result_rating(sheet, ratings, first=False) -> dict:
    """The form and approved comments under one published year (``sheet`` is a PublicSheet).

    The stylesheet link goes with the first year on the page only.
    """
    return {
        "ratings": ratings.get(sheet.fy),
        "sheet": sheet,
        "prefix": f"rating-{sheet.fy}",
        "choices": [(s, SCORE_LABELS[s]) for s in SCORES],
        "comment_limit": COMMENT_LIMIT,
        "with_stylesheet": first,
    }
