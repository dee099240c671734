"""Staff pages for results: figures and charts per question, cross-tabulation, free text, exports."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse

from hoshin.lib.spreadsheets import CP932, UTF8_BOM, CsvEncodingError, csv_encoding
from hoshin.org.roles import public_hearing_office_required
from hoshin.surveys.models import QuestionKind, SurveyQuestion
from hoshin.surveys.selectors.results import (
    ATTRIBUTES,
    crosstab,
    crosstab_questions,
    survey_results,
    text_answers,
)
from hoshin.surveys.services.exports import survey_answers_export
from hoshin.surveys.views.staff import render_staff, survey_crumbs, survey_or_404

TEXTS_PER_PAGE = 50
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _attributes(survey) -> list[tuple[str, str]]:
    asked = {"age_band": survey.asks_age_band, "district": survey.asks_district}
    return [(key, label) for key, label in ATTRIBUTES.items() if asked[key]]


@public_hearing_office_required
def results(request: HttpRequest, survey_id: int) -> HttpResponse:
    """All figures of a survey; ``?crosstab=<question id>&by=age_band|district`` adds a cross-tab."""
    survey = survey_or_404(survey_id)
    candidates = crosstab_questions(survey=survey)
    attributes = _attributes(survey)
    table = None
    chosen_question = request.GET.get("crosstab", "")
    chosen_by = request.GET.get("by", attributes[0][0] if attributes else "")
    if chosen_question and chosen_by in dict(attributes):
        numbered = next((n for n in candidates if str(n.question.pk) == chosen_question), None)
        if numbered is not None:
            table = crosstab(numbered=numbered, attribute=chosen_by)
    return render_staff(
        request,
        "surveys/staff/results.html",
        {
            "survey": survey,
            "results": survey_results(survey=survey),
            "crosstab_candidates": candidates,
            "attributes": attributes,
            "chosen_question": chosen_question,
            "chosen_by": chosen_by,
            "crosstab": table,
        },
        crumbs=[*survey_crumbs(survey), ("集計結果", request.path)],
    )


@public_hearing_office_required
def texts(request: HttpRequest, survey_id: int, question_id: int) -> HttpResponse:
    """Every free-text answer to one question, 50 per page, as text (escaped, line breaks kept)."""
    survey = survey_or_404(survey_id)
    question = get_object_or_404(
        SurveyQuestion, pk=question_id, survey=survey, kind=QuestionKind.TEXT
    )
    page = Paginator(text_answers(question=question), TEXTS_PER_PAGE).get_page(
        request.GET.get("page")
    )
    results_url = reverse("surveys_staff:results", args=[survey.pk])
    return render_staff(
        request,
        "surveys/staff/texts.html",
        {"survey": survey, "question": question, "page": page},
        crumbs=[
            *survey_crumbs(survey),
            ("集計結果", results_url),
            ("自由記述の一覧", request.path),
        ],
    )


@public_hearing_office_required
def export(request: HttpRequest, survey_id: int) -> HttpResponse:
    """Raw answers: ``?format=xlsx``, or CSV in UTF-8 with BOM (default) or ``&encoding=cp932``."""
    survey = survey_or_404(survey_id)
    kind = request.GET.get("format", "csv")
    try:
        if kind == "xlsx":
            body = survey_answers_export(survey=survey, by=request.user, kind="xlsx")
            content_type, extension = XLSX, "xlsx"
        else:
            encoding = csv_encoding(request.GET.get("encoding", "")) or UTF8_BOM
            body = survey_answers_export(
                survey=survey, by=request.user, kind="csv", encoding=encoding
            )
            charset = "shift_jis" if encoding == CP932 else "utf-8"
            content_type, extension = f"text/csv; charset={charset}", "csv"
    except CsvEncodingError as error:
        messages.error(request, str(error))
        return redirect("surveys_staff:results", survey.pk)
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = (
        f'attachment; filename="survey-{survey.pk}-answers.{extension}"'
    )
    response["Cache-Control"] = "no-store"
    return response
