"""Results of closed surveys as citizens see them: aggregates only.

A survey shows its results to citizens only when staff allowed it (``results_public``) and
answering has ended (``Survey.objects.results_public_at``), so early figures can never sway
those still answering. Citizens get counts and shares of choice and 1–5 questions and the mean
and median of numbers. Never shown: free-text answers (they may hold names, addresses or a
story that identifies the writer), the smallest and largest number (each is one person's
answer), and respondents by age band and district (a small district narrows a response to a
household).
"""

import datetime

from django.utils import timezone

from hoshin.surveys.models import Survey
from hoshin.surveys.selectors.results import SurveyResults, survey_results


def surveys_with_public_results(*, when: datetime.datetime | None = None):
    """Closed surveys whose results are public, the most recently closed first."""
    return Survey.objects.results_public_at(when or timezone.now()).order_by("-closes_at", "-id")


def survey_get_public_results(*, survey_id: int, when: datetime.datetime | None = None) -> Survey:
    """The survey if citizens may see its results now, else Survey.DoesNotExist."""
    return surveys_with_public_results(when=when).get(pk=survey_id)


def public_survey_results(*, survey: Survey) -> SurveyResults:
    """The figures of ``survey_results`` that may be published (see the module docstring)."""
    results = survey_results(survey=survey)
    for section in results.sections:
        for result in section.questions:
            result.texts = []
            result.minimum = result.maximum = None
    results.by_age_band = []
    results.by_district = []
    return results
