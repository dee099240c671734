"""/surveys/<id>/results/: the published results of a closed survey (aggregates only).

Anything else (a draft, an open or upcoming survey, one whose results staff keep internal, an
id that does not exist) answers the same 404, so the page says nothing about surveys citizens
cannot see. Not page-cached: whether results are public can change without new public data.
"""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_safe

from hoshin.surveys.models import Survey
from hoshin.surveys.selectors.public_results import (
    public_survey_results,
    survey_get_public_results,
)


@require_safe
def survey_results_page(request: HttpRequest, survey_id: int) -> HttpResponse:
    try:
        survey = survey_get_public_results(survey_id=survey_id)
    except Survey.DoesNotExist:
        raise Http404(gettext("公開している集計結果はありません。")) from None
    title = gettext("%(title)s の結果") % {"title": survey.title}
    return render(
        request,
        "surveys/public/results.html",
        {
            "survey": survey,
            "results": public_survey_results(survey=survey),
            "nav_section": "surveys",
            "crumbs": [
                (gettext("市民アンケート"), reverse("surveys:list")),
                (title, reverse("surveys:results", args=[survey.pk])),
            ],
        },
    )
