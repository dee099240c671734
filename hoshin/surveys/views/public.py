"""Public survey pages: the list of open surveys, the answer page and the thank-you page.

No login, no JavaScript needed. Drafts are 404; a published survey before or after its dates
shows a page saying so. The answer page is per visitor (CSRF token, browser cookie, invitation
code), so it is never cached.
"""

import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.cache import never_cache

from hoshin.surveys.forms import (
    answer_fields,
    attribute_fields,
    new_submission_key,
    parse_submission_key,
    raw_answers_from,
)
from hoshin.surveys.models import AnswerLimit, QuestionKind, Survey
from hoshin.surveys.selectors.public import (
    response_with_submission_key,
    survey_structure,
    surveys_open,
    surveys_upcoming,
)
from hoshin.surveys.selectors.public_results import surveys_with_public_results
from hoshin.surveys.services.answering import (
    AlreadyAnswered,
    InvitationInvalid,
    SurveyNotOpen,
    already_answered,
    invitation_for,
    response_submit,
)

BROWSER_COOKIE = "hoshin_survey_browser"
BROWSER_COOKIE_SALT = "hoshin.surveys.browser-cookie"
BROWSER_COOKIE_AGE = 2 * 365 * 24 * 3600
HONEYPOT = "website"


def _browser_id(request: HttpRequest) -> str | None:
    """The random id in this browser's signed cookie (None if absent or tampered with)."""
    return request.get_signed_cookie(BROWSER_COOKIE, default=None, salt=BROWSER_COOKIE_SALT)


def _remember_browser(response: HttpResponse, browser_id: str) -> HttpResponse:
    response.set_signed_cookie(
        BROWSER_COOKIE,
        browser_id,
        salt=BROWSER_COOKIE_SALT,
        max_age=BROWSER_COOKIE_AGE,
        httponly=True,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
    )
    return response


def _page(request, template: str, context: dict, status: int = 200) -> HttpResponse:
    """Render a public survey page with the portal frame's menu and breadcrumbs."""
    crumbs = [(gettext("市民アンケート"), reverse("surveys:list"))]
    survey = context.get("survey")
    if survey is not None:
        crumbs.append((survey.title, reverse("surveys:answer", args=[survey.pk])))
    context = {"nav_section": "surveys", "crumbs": crumbs, **context}
    return render(request, template, context, status=status)


def survey_list(request: HttpRequest) -> HttpResponse:
    """Surveys open now, those opening later, and closed ones whose results are public."""
    now = timezone.now()
    return _page(
        request,
        "surveys/public/list.html",
        {
            "open_surveys": surveys_open(when=now),
            "upcoming": surveys_upcoming(when=now),
            "with_results": surveys_with_public_results(when=now),
        },
    )


def _unavailable(request, survey: Survey, phase: str, status: int = 200) -> HttpResponse:
    return _page(
        request, "surveys/public/unavailable.html", {"survey": survey, "phase": phase}, status
    )


def _answered(request, survey: Survey, status: int = 200) -> HttpResponse:
    return _page(request, "surveys/public/answered.html", {"survey": survey}, status)


def _token_page(request, survey: Survey, *, error: str = "", status: int = 200) -> HttpResponse:
    return _page(
        request,
        "surveys/public/token.html",
        {"survey": survey, "error": error, "token": request.GET.get("token", "")},
        status,
    )


@never_cache
def survey_answer(request: HttpRequest, survey_id: int) -> HttpResponse:
    """The answer form (GET) and its submission (POST); see the module docstring."""
    survey = get_object_or_404(Survey.objects.published(), pk=survey_id)
    if request.method == "POST":
        if request.POST.get(HONEYPOT):
            # Only a robot fills the hidden field: thank it and store nothing.
            return redirect("surveys:thanks", survey.pk)
        key = parse_submission_key(request.POST.get("submission_key"))
        if response_with_submission_key(survey=survey, submission_key=key) is not None:
            # A reload or a double click of a stored answer: thank again, store nothing.
            return redirect("surveys:thanks", survey.pk)
    phase = survey.phase()
    if phase != "open":
        return _unavailable(request, survey, phase)
    per_token = survey.answer_limit == AnswerLimit.TOKEN
    token = (request.POST if request.method == "POST" else request.GET).get("token", "")
    browser_id = _browser_id(request)
    if per_token:
        if not token.strip():
            return _token_page(request, survey)
        invitation = invitation_for(survey=survey, token=token)
        if invitation is None:
            return _token_page(
                request,
                survey,
                error=gettext(
                    "招待コードが正しくありません。お手元の案内に記載のコードを確かめてください。"
                ),
                status=200 if request.method == "GET" else 400,
            )
        if already_answered(survey=survey, invitation=invitation):
            return _answered(request, survey)
        token = invitation.token
    elif already_answered(survey=survey, browser_id=browser_id):
        return _answered(request, survey)

    blocks = survey_structure(survey=survey)
    errors: dict[str, list[str]] = {}
    form_errors: list[str] = []
    data = None
    if request.method == "POST":
        data = request.POST
        questions = [numbered for block in blocks for numbered in block.questions]
        try:
            response_submit(
                survey=survey,
                raw_answers=raw_answers_from(request.POST, questions),
                age_band=request.POST.get("age_band", ""),
                district_id=request.POST.get("district", ""),
                invitation_token=token if per_token else None,
                browser_id=None if per_token else browser_id,
                submission_key=parse_submission_key(request.POST.get("submission_key")),
            )
        except SurveyNotOpen as closed:
            return _unavailable(request, survey, closed.phase, status=409)
        except AlreadyAnswered:
            return _answered(request, survey, status=409)
        except InvitationInvalid:
            return _token_page(
                request, survey, error=gettext("招待コードが正しくありません。"), status=400
            )
        except ValidationError as error:
            if hasattr(error, "error_dict"):
                errors = error.message_dict
                form_errors = errors.pop("__all__", [])
            else:
                form_errors = error.messages
        else:
            return redirect("surveys:thanks", survey.pk)
    page = _page(
        request,
        "surveys/public/answer.html",
        {
            "survey": survey,
            "sections": answer_fields(blocks, data=data, errors=errors),
            "attributes": attribute_fields(survey=survey, data=data, errors=errors),
            "form_errors": form_errors,
            "has_errors": bool(errors or form_errors),
            "error_count": len(errors) + len(form_errors),
            "error_links": _error_links(blocks, errors),
            "submission_key": (data or {}).get("submission_key") or new_submission_key(),
            "token": token if per_token else "",
            "honeypot": HONEYPOT,
        },
        status=400 if errors or form_errors else 200,
    )
    if not per_token and browser_id is None:
        _remember_browser(page, secrets.token_urlsafe(18))
    return page


def _error_links(blocks, errors: dict) -> list[tuple[str, str]]:
    """(id of the input to focus, text) for the error summary, in page order."""
    links = []
    for block in blocks:
        for numbered in block.questions:
            question = numbered.question
            name = question.field_name
            if name in errors:
                anchor = (
                    f"id_{name}_0" if question.kind in QuestionKind.tabulated() else f"id_{name}"
                )
                links.append((anchor, f"問{numbered.number}: {' '.join(errors[name])}"))
    for name, anchor, label in (
        ("age_band", "id_age_band_0", "年代"),
        ("district", "id_district", "地区"),
    ):
        if name in errors:
            links.append((anchor, f"{label}: {' '.join(errors[name])}"))
    return links


def survey_thanks(request: HttpRequest, survey_id: int) -> HttpResponse:
    survey = get_object_or_404(Survey.objects.published(), pk=survey_id)
    return _page(request, "surveys/public/thanks.html", {"survey": survey})
