"""Building a survey: its settings, publishing, closing, deleting and new versions.

Sections and questions are built in ``questions``, invitation codes issued in ``invitations``.
Every function validates, writes inside one transaction and records an audit entry. Errors a
member of staff can fix are raised as ``ValidationError`` with a message in Japanese.

The rule that matters most: once a survey has a response, its questions, choices, sections,
answer limit and respondent attributes never change (``SurveyFrozen``, checked by
``survey_lock_editable`` here for every building service); staff make a new version instead
(``survey_new_version``), which starts as a draft copy.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from hoshin.audit.services import audit_record
from hoshin.surveys.models import (
    AnswerLimit,
    Survey,
    SurveyChoice,
    SurveySection,
    SurveyStatus,
)


class SurveyFrozen(ValidationError):
    """The survey has responses: its questions cannot change; make a new version instead."""

    def __init__(self, survey: Survey):
        super().__init__(
            f"「{survey.title}」には既に回答があるため、設問・選択肢・節・回答の制限・尋ねる属性は"
            "変更できません。変更する場合は新しい版を作成してください。"
        )
        self.survey = survey


def survey_has_responses(*, survey: Survey) -> bool:
    """True once anyone has answered: from then on the questions are frozen."""
    return survey.responses.exists()


def survey_lock(survey: Survey) -> Survey:
    """Lock the survey row for the rest of the transaction (``response_submit`` takes it too)."""
    return Survey.objects.select_for_update().get(pk=survey.pk)


def survey_lock_editable(survey: Survey) -> Survey:
    """Lock the survey row; SurveyFrozen if anyone has answered (every building service's guard)."""
    locked = survey_lock(survey)
    if survey_has_responses(survey=locked):
        raise SurveyFrozen(locked)
    return locked


def _bounded(text: str, *, label: str, limit: int, required: bool) -> str:
    if required and not text:
        raise ValidationError({label: "入力してください。"})
    if len(text) > limit:
        raise ValidationError({label: f"{limit:,}文字以内にしてください。"})
    return text


def clean_line(value: str | None, *, label: str, limit: int, required: bool = False) -> str:
    """One line of staff input (a title, a label): runs of white space become one space."""
    text = " ".join((value or "").split())
    return _bounded(text, label=label, limit=limit, required=required)


def clean_block(value: str | None, *, label: str, limit: int, required: bool = False) -> str:
    """A paragraph of staff input: line breaks unified, outer white space trimmed."""
    text = (value or "").replace("\r\n", "\n").replace("\r", "\n").strip()
    return _bounded(text, label=label, limit=limit, required=required)


def _check_dates(
    opens_at: datetime.datetime | None, closes_at: datetime.datetime | None, *, published: bool
) -> None:
    if published and (opens_at is None or closes_at is None):
        raise ValidationError(
            {"closes_at": "公開中のアンケートには回答受付の開始と終了の日時が必要です。"}
        )
    if opens_at is not None and closes_at is not None and closes_at <= opens_at:
        raise ValidationError({"closes_at": "終了日時は開始日時より後にしてください。"})


# ---- the survey ---------------------------------------------------------------------------


@transaction.atomic
def survey_create(
    *,
    title: str,
    description: str = "",
    answer_limit: str = AnswerLimit.BROWSER,
    asks_age_band: bool = True,
    asks_district: bool = True,
    opens_at: datetime.datetime | None = None,
    closes_at: datetime.datetime | None = None,
    results_public: bool = False,
    by=None,
) -> Survey:
    """Create a draft survey (no questions yet)."""
    if answer_limit not in AnswerLimit.values:
        raise ValidationError({"answer_limit": "回答の制限を選んでください。"})
    _check_dates(opens_at, closes_at, published=False)
    survey = Survey.objects.create(
        title=clean_line(title, label="title", limit=200, required=True),
        description=clean_block(description, label="description", limit=5_000),
        answer_limit=answer_limit,
        asks_age_band=asks_age_band,
        asks_district=asks_district,
        opens_at=opens_at,
        closes_at=closes_at,
        results_public=results_public,
        created_by=by if getattr(by, "pk", None) else None,
    )
    audit_record(
        actor=by, verb="survey.create", target=survey, summary=f"アンケート「{survey}」を作成"
    )
    return survey


@transaction.atomic
def survey_update(
    *,
    survey: Survey,
    title: str,
    description: str,
    opens_at: datetime.datetime | None,
    closes_at: datetime.datetime | None,
    answer_limit: str,
    asks_age_band: bool,
    asks_district: bool,
    results_public: bool | None = None,
    by=None,
) -> Survey:
    """Change a survey's settings; the dates may change at any time, the rest only before answers.

    ``results_public`` (None: unchanged) may change at any time too: it only decides whether
    citizens see the aggregated results once answering has ended."""
    survey = survey_lock(survey)
    structural = (answer_limit, asks_age_band, asks_district) != (
        survey.answer_limit,
        survey.asks_age_band,
        survey.asks_district,
    )
    if structural and survey_has_responses(survey=survey):
        raise SurveyFrozen(survey)
    if answer_limit not in AnswerLimit.values:
        raise ValidationError({"answer_limit": "回答の制限を選んでください。"})
    _check_dates(opens_at, closes_at, published=survey.is_published)
    before = {
        "opens_at": survey.opens_at.isoformat() if survey.opens_at else None,
        "closes_at": survey.closes_at.isoformat() if survey.closes_at else None,
    }
    survey.title = clean_line(title, label="title", limit=200, required=True)
    survey.description = clean_block(description, label="description", limit=5_000)
    survey.opens_at, survey.closes_at = opens_at, closes_at
    survey.answer_limit = answer_limit
    survey.asks_age_band, survey.asks_district = asks_age_band, asks_district
    if results_public is not None:
        survey.results_public = results_public
    survey.save()
    audit_record(
        actor=by,
        verb="survey.update",
        target=survey,
        summary=f"アンケート「{survey}」の設定を変更",
        data={"before": before},
    )
    return survey


def survey_publish_problems(*, survey: Survey, now: datetime.datetime | None = None) -> list[str]:
    """Why ``survey`` cannot be published yet ([] when it can)."""
    now = now or timezone.now()
    problems = []
    if survey.opens_at is None or survey.closes_at is None:
        problems.append("回答受付の開始日時と終了日時を設定してください。")
    elif survey.closes_at <= now:
        problems.append("回答受付の終了日時が過ぎています。終了日時を変更してください。")
    questions = list(survey.questions.prefetch_related("choices"))
    if not questions:
        problems.append("設問がありません。")
    for number, question in enumerate(questions, 1):
        if question.has_choices and len(question.choices.all()) < 2:
            problems.append(f"問{number}「{question.text[:30]}」の選択肢が2つ未満です。")
    return problems


@transaction.atomic
def survey_publish(*, survey: Survey, by=None) -> Survey:
    """Publish a draft: citizens see it on /surveys/ and can answer between its dates."""
    survey = survey_lock(survey)
    if survey.is_published:
        return survey
    problems = survey_publish_problems(survey=survey)
    if problems:
        raise ValidationError(problems)
    survey.status = SurveyStatus.PUBLISHED
    survey.published_at = timezone.now()
    survey.save(update_fields=["status", "published_at", "updated_at"])
    audit_record(
        actor=by, verb="survey.publish", target=survey, summary=f"アンケート「{survey}」を公開"
    )
    return survey


@transaction.atomic
def survey_unpublish(*, survey: Survey, by=None) -> Survey:
    """Take a survey without answers back to draft (one with answers is closed instead)."""
    survey = survey_lock_editable(survey)
    survey.status = SurveyStatus.DRAFT
    survey.published_at = None
    survey.save(update_fields=["status", "published_at", "updated_at"])
    audit_record(
        actor=by,
        verb="survey.unpublish",
        target=survey,
        summary=f"アンケート「{survey}」を非公開に戻す",
    )
    return survey


@transaction.atomic
def survey_close(*, survey: Survey, by=None, when: datetime.datetime | None = None) -> Survey:
    """End answering now (the end date becomes now); answers so far are kept."""
    survey = survey_lock(survey)
    when = when or timezone.now()
    if survey.phase(when) != "open":
        raise ValidationError("回答受付中のアンケートではありません。")
    survey.closes_at = when
    survey.save(update_fields=["closes_at", "updated_at"])
    audit_record(
        actor=by, verb="survey.close", target=survey, summary=f"アンケート「{survey}」の受付を終了"
    )
    return survey


@transaction.atomic
def survey_delete(*, survey: Survey, by=None) -> None:
    """Delete a draft that nobody answered and that no later version copies."""
    survey = survey_lock_editable(survey)
    if survey.is_published:
        raise ValidationError("公開中のアンケートは削除できません。先に非公開に戻してください。")
    if Survey.objects.filter(previous_version=survey).exists():
        raise ValidationError("新しい版があるアンケートは削除できません。")
    audit_record(
        actor=by,
        verb="survey.delete",
        target=survey,
        summary=f"アンケート「{survey}」を削除",
    )
    survey.delete()


@transaction.atomic
def survey_new_version(*, survey: Survey, by=None) -> Survey:
    """Copy ``survey`` (sections, questions, choices, settings) as a draft of the next version.

    Dates are left empty for staff to set; the old version keeps its answers and dates. A
    survey has at most one next version: asking twice raises ValidationError naming it.
    """
    survey = survey_lock(survey)
    existing = Survey.objects.filter(previous_version=survey).first()
    if existing is not None:
        raise ValidationError(
            f"この版の次の版（第{existing.version}版）は既にあります。そちらを編集してください。"
        )
    copy = Survey.objects.create(
        title=survey.title,
        description=survey.description,
        answer_limit=survey.answer_limit,
        asks_age_band=survey.asks_age_band,
        asks_district=survey.asks_district,
        results_public=survey.results_public,
        version=survey.version + 1,
        previous_version=survey,
        created_by=by if getattr(by, "pk", None) else None,
    )
    for section in survey.sections.prefetch_related("questions__choices"):
        new_section = SurveySection.objects.create(
            survey=copy, title=section.title, position=section.position
        )
        for question in section.questions.all():
            choices = list(question.choices.all())
            question.pk = None
            question.survey, question.section = copy, new_section
            question.save(force_insert=True)
            SurveyChoice.objects.bulk_create(
                SurveyChoice(question=question, label=c.label, position=c.position) for c in choices
            )
    audit_record(
        actor=by,
        verb="survey.new_version",
        target=copy,
        summary=f"アンケート「{survey}」から第{copy.version}版を作成",
        data={"previous_version": survey.pk},
    )
    return copy
