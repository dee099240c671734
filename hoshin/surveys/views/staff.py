"""Staff pages for building surveys: list, settings, sections, questions, publishing, versions,
invitation codes. Public-hearing office and administrators only (``public_hearing_office_required``).

Views are thin: load, validate a form, call a service, redirect. Mutating views require POST.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from hoshin.org.roles import public_hearing_office_required
from hoshin.surveys.forms import (
    InvitationForm,
    QuestionForm,
    SectionForm,
    SurveyForm,
    add_service_errors,
)
from hoshin.surveys.models import AnswerLimit, Survey, SurveyQuestion, SurveySection
from hoshin.surveys.selectors.public import survey_structure
from hoshin.surveys.services import editing, questions
from hoshin.surveys.services.exports import survey_invitations_export
from hoshin.surveys.services.invitations import invitations_generate


def render_staff(
    request: HttpRequest,
    template: str,
    context: dict,
    *,
    crumbs: list[tuple[str, str]] | None = None,
    status: int = 200,
) -> HttpResponse:
    """Render a survey staff page inside the back-office frame (menu, breadcrumbs)."""
    base = [("アンケート", reverse("surveys_staff:list"))]
    context = {"crumbs": base + (crumbs or []), "nav_section": "surveys", **context}
    return render(request, template, context, status=status)


def survey_crumbs(survey: Survey) -> list[tuple[str, str]]:
    return [(str(survey), reverse("surveys_staff:detail", args=[survey.pk]))]


def survey_or_404(survey_id: int) -> Survey:
    return get_object_or_404(Survey.objects.select_related("previous_version"), pk=survey_id)


def _to_detail(survey: Survey) -> HttpResponse:
    return redirect("surveys_staff:detail", survey.pk)


def _fail(request: HttpRequest, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


@public_hearing_office_required
def survey_list(request: HttpRequest) -> HttpResponse:
    """Every survey and version, newest first, with its phase and number of responses."""
    surveys = Survey.objects.annotate(
        response_count=Count("responses", distinct=True),
        next_count=Count("next_version", distinct=True),
    ).order_by("-created_at", "-id")
    return render_staff(request, "surveys/staff/list.html", {"surveys": surveys})


@public_hearing_office_required
def survey_create(request: HttpRequest) -> HttpResponse:
    form = SurveyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            survey = editing.survey_create(**form.cleaned_data, by=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "アンケートを作成しました。節と設問を追加してください。")
            return _to_detail(survey)
    return render_staff(
        request,
        "surveys/staff/survey_form.html",
        {"form": form, "survey": None},
        crumbs=[("新しいアンケート", reverse("surveys_staff:create"))],
    )


@public_hearing_office_required
def survey_detail(request: HttpRequest, survey_id: int) -> HttpResponse:
    """Settings, structure and what may be done next (edit, publish, close, new version …)."""
    survey = survey_or_404(survey_id)
    counts = survey.invitations.aggregate(
        issued=Count("id"), used=Count("id", filter=Q(used_at__isnull=False))
    )
    frozen = editing.survey_has_responses(survey=survey)
    return render_staff(
        request,
        "surveys/staff/detail.html",
        {
            "survey": survey,
            "blocks": survey_structure(survey=survey),
            "frozen": frozen,
            "response_count": survey.responses.count(),
            "publish_problems": []
            if survey.is_published
            else editing.survey_publish_problems(survey=survey),
            "next_version": Survey.objects.filter(previous_version=survey).first(),
            "invitations": counts,
            "public_url": request.build_absolute_uri(reverse("surveys:answer", args=[survey.pk])),
        },
        crumbs=survey_crumbs(survey),
    )


@public_hearing_office_required
def survey_edit(request: HttpRequest, survey_id: int) -> HttpResponse:
    survey = survey_or_404(survey_id)
    form = SurveyForm(request.POST or None, initial=SurveyForm.initial_for(survey))
    if request.method == "POST" and form.is_valid():
        try:
            editing.survey_update(survey=survey, **form.cleaned_data, by=request.user)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "設定を保存しました。")
            return _to_detail(survey)
    return render_staff(
        request,
        "surveys/staff/survey_form.html",
        {"form": form, "survey": survey, "frozen": editing.survey_has_responses(survey=survey)},
        crumbs=[*survey_crumbs(survey), ("設定の変更", request.path)],
    )


@require_POST
@public_hearing_office_required
def survey_action(request: HttpRequest, survey_id: int, action: str) -> HttpResponse:
    """Publish, take back, close now, copy as a new version, or delete a draft."""
    survey = survey_or_404(survey_id)
    try:
        if action == "publish":
            editing.survey_publish(survey=survey, by=request.user)
            messages.success(request, "公開しました。")
        elif action == "unpublish":
            editing.survey_unpublish(survey=survey, by=request.user)
            messages.success(request, "非公開（作成中）に戻しました。")
        elif action == "close":
            editing.survey_close(survey=survey, by=request.user)
            messages.success(request, "回答の受付を終了しました。")
        elif action == "new-version":
            copy = editing.survey_new_version(survey=survey, by=request.user)
            messages.success(
                request, f"第{copy.version}版を作成しました。設問を直して、日時を設定してください。"
            )
            return _to_detail(copy)
        elif action == "delete":
            editing.survey_delete(survey=survey, by=request.user)
            messages.success(request, "削除しました。")
            return redirect("surveys_staff:list")
    except ValidationError as error:
        _fail(request, error)
    return _to_detail(survey)


# ---- sections -----------------------------------------------------------------------------


@public_hearing_office_required
def section_form(
    request: HttpRequest, survey_id: int, section_id: int | None = None
) -> HttpResponse:
    """Add a section, or rename / move one."""
    survey = survey_or_404(survey_id)
    if editing.survey_has_responses(survey=survey):
        _fail(request, editing.SurveyFrozen(survey))
        return _to_detail(survey)
    section = get_object_or_404(SurveySection, pk=section_id, survey=survey) if section_id else None
    initial = {"title": section.title, "position": section.position} if section else {}
    form = SectionForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if section is None:
                questions.section_create(
                    survey=survey, title=data["title"], position=data["position"], by=request.user
                )
            else:
                questions.section_update(
                    section=section,
                    title=data["title"],
                    position=section.position if data["position"] is None else data["position"],
                    by=request.user,
                )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "節を保存しました。")
            return _to_detail(survey)
    label = "節の変更" if section else "節の追加"
    return render_staff(
        request,
        "surveys/staff/section_form.html",
        {"form": form, "survey": survey, "section": section, "heading": label},
        crumbs=[*survey_crumbs(survey), (label, request.path)],
    )


@require_POST
@public_hearing_office_required
def section_delete(request: HttpRequest, survey_id: int, section_id: int) -> HttpResponse:
    survey = survey_or_404(survey_id)
    section = get_object_or_404(SurveySection, pk=section_id, survey=survey)
    try:
        questions.section_delete(section=section, by=request.user)
        messages.success(request, "節を削除しました。")
    except ValidationError as error:
        _fail(request, error)
    return _to_detail(survey)


# ---- questions ----------------------------------------------------------------------------


@public_hearing_office_required
def question_form(
    request: HttpRequest, survey_id: int, question_id: int | None = None
) -> HttpResponse:
    """Add a question (``?section=`` preselects its section), or change one."""
    survey = survey_or_404(survey_id)
    if editing.survey_has_responses(survey=survey):
        _fail(request, editing.SurveyFrozen(survey))
        return _to_detail(survey)
    question = (
        get_object_or_404(
            SurveyQuestion.objects.prefetch_related("choices"), pk=question_id, survey=survey
        )
        if question_id
        else None
    )
    if question is not None:
        initial = QuestionForm.initial_for(question)
    else:
        initial = {"section": request.GET.get("section"), "text_max_length": 2000}
    if not survey.sections.exists():
        messages.error(request, "先に節を追加してください。")
        return _to_detail(survey)
    form = QuestionForm(request.POST or None, initial=initial, survey=survey)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if question is None:
                questions.question_create(
                    section=data["section"],
                    spec=form.spec(),
                    position=data["position"],
                    by=request.user,
                )
            else:
                questions.question_update(
                    question=question,
                    spec=form.spec(),
                    section=data["section"],
                    position=data["position"],
                    by=request.user,
                )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, "設問を保存しました。")
            return redirect(reverse("surveys_staff:detail", args=[survey.pk]) + "#structure")
    label = "設問の変更" if question else "設問の追加"
    return render_staff(
        request,
        "surveys/staff/question_form.html",
        {"form": form, "survey": survey, "question": question, "heading": label},
        crumbs=[*survey_crumbs(survey), (label, request.path)],
    )


@require_POST
@public_hearing_office_required
def question_delete(request: HttpRequest, survey_id: int, question_id: int) -> HttpResponse:
    survey = survey_or_404(survey_id)
    question = get_object_or_404(SurveyQuestion, pk=question_id, survey=survey)
    try:
        questions.question_delete(question=question, by=request.user)
        messages.success(request, "設問を削除しました。")
    except ValidationError as error:
        _fail(request, error)
    return _to_detail(survey)


# ---- invitation codes ---------------------------------------------------------------------


@public_hearing_office_required
def invitations(request: HttpRequest, survey_id: int) -> HttpResponse:
    """Issue invitation codes (per-code surveys) and download them for the mailing."""
    survey = survey_or_404(survey_id)
    form = InvitationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            created = invitations_generate(
                survey=survey, count=form.cleaned_data["count"], by=request.user
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, f"招待コードを{len(created):,}件発行しました。")
            return redirect("surveys_staff:invitations", survey.pk)
    counts = survey.invitations.aggregate(
        issued=Count("id"), used=Count("id", filter=Q(used_at__isnull=False))
    )
    return render_staff(
        request,
        "surveys/staff/invitations.html",
        {
            "survey": survey,
            "form": form,
            "counts": counts,
            "per_token": survey.answer_limit == AnswerLimit.TOKEN,
        },
        crumbs=[*survey_crumbs(survey), ("招待コード", request.path)],
    )


@public_hearing_office_required
def invitations_csv(request: HttpRequest, survey_id: int) -> HttpResponse:
    """Every code with its answer URL, as CSV (UTF-8 with BOM) for a mail merge.

    Whether a code has been used is left out on purpose: with the mailing list, it would tell
    who answered.
    """
    survey = survey_or_404(survey_id)
    content = survey_invitations_export(survey=survey, by=request.user)
    response = HttpResponse(content, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="survey-{survey.pk}-invitations.csv"'
    return response
