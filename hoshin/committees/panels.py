"""The committee's panel on the staff sheet page (registered with ``hoshin.evaluations.panels``):
what the committee said about this action in the two previous years and what the department
answered, so that the response reaches the next sheets of the same action."""

from django.http import HttpRequest
from django.template.loader import render_to_string

from hoshin.committees.selectors import responses_for_sheet
from hoshin.evaluations.models import EvaluationSheet


def responses_sheet_panel(request: HttpRequest, sheet: EvaluationSheet) -> str:
    """Opinions and responses of the two previous committee years; nothing when there are none."""
    responses = list(responses_for_sheet(sheet=sheet))
    if not responses:
        return ""
    return render_to_string(
        "committees/_sheet_responses.html", {"responses": responses}, request=request
    )
