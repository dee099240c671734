"""Surveys in the staff inbox (registered in ``apps.py``): the public-hearing office's drafts to
publish and recently closed surveys whose results are to be checked and published.

Only the public-hearing office and administrators run surveys (``is_public_hearing_office``, the
predicate every staff survey view requires), so nobody else gets survey items.
"""

import datetime

from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from hoshin.org.inbox import InboxItem
from hoshin.org.roles import is_public_hearing_office
from hoshin.surveys.models import Survey, SurveyStatus

KIND = "surveys"
LABEL = gettext_lazy("アンケート")
# A closed survey stays in the inbox this long: its results are checked and published in the
# weeks after closing, and an older one is no longer waiting for anyone.
RESULTS_WINDOW_DAYS = 30


def survey_inbox_items(*, user, today: datetime.date) -> list[InboxItem]:
    """Drafts to finish and publish (due: the day answering should open) and surveys closed in
    the last ``RESULTS_WINDOW_DAYS`` days (their results)."""
    if not is_public_hearing_office(user=user):
        return []
    items = []
    for survey in Survey.objects.filter(status=SurveyStatus.DRAFT).order_by("created_at", "pk"):
        opens = timezone.localdate(survey.opens_at) if survey.opens_at else None
        items.append(
            InboxItem(
                kind=KIND,
                title=str(survey),
                reason=_("作成中です。設問と受付期間を確認して公開してください"),
                url=reverse("surveys_staff:detail", args=[survey.pk]),
                due=opens,
                since=timezone.localdate(survey.created_at),
                state=str(survey.phase_label),
            )
        )
    now = timezone.now()
    window_start = now - datetime.timedelta(days=RESULTS_WINDOW_DAYS)
    closed = Survey.objects.filter(
        status=SurveyStatus.PUBLISHED, closes_at__lte=now, closes_at__gte=window_start
    ).order_by("closes_at", "pk")
    for survey in closed:
        items.append(
            InboxItem(
                kind=KIND,
                title=str(survey),
                reason=_("受付が終了しました。結果を確認して公表してください"),
                url=reverse("surveys_staff:results", args=[survey.pk]),
                since=timezone.localdate(survey.closes_at),
                state=str(survey.phase_label),
            )
        )
    return items
