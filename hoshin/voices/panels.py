"""Voices' panel on the staff sheet page (registered with ``hoshin.evaluations.panels``)."""

from django.http import HttpRequest
from django.template.loader import render_to_string

from hoshin.evaluations.models import EvaluationSheet, Stage
from hoshin.voices.selectors.ratings import rating_summary
from hoshin.voices.services.ratings import user_can_moderate_ratings


def ratings_sheet_panel(request: HttpRequest, sheet: EvaluationSheet) -> str:
    """Citizens' ratings beside a staff sheet: mean, count and distribution of the scores and a
    link to the comments waiting for moderation; nothing for a sheet never published."""
    if not sheet.action_id or (sheet.stage != Stage.PUBLISHED and sheet.published_at is None):
        return ""
    context = {
        "sheet": sheet,
        "summary": rating_summary(sheet_id=sheet.pk),
        "can_moderate": user_can_moderate_ratings(user=request.user),
    }
    return render_to_string("voices/ratings/_sheet_summary.html", context, request=request)
