"""A survey's sections and questions (with their choices), while nobody has answered it.

Each service locks the survey and refuses with ``SurveyFrozen`` once it has a response
(``editing.survey_lock_editable``); every write is atomic and audited.
"""

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max

from hoshin.audit.services import audit_record
from hoshin.surveys.models import (
    NUMBER_LIMIT,
    TEXT_ANSWER_DEFAULT_LIMIT,
    TEXT_LIMIT,
    QuestionKind,
    Survey,
    SurveyChoice,
    SurveyQuestion,
    SurveySection,
)
from hoshin.surveys.services.editing import clean_block, clean_line, survey_lock_editable

MAX_CHOICES = 50


@dataclass
class QuestionSpec:
    """What staff enter for a question; ``choices`` are labels in display order."""

    kind: str
    text: str
    required: bool = False
    help_text: str = ""
    number_min: int | None = None
    number_max: int | None = None
    number_unit: str = ""
    text_max_length: int = TEXT_ANSWER_DEFAULT_LIMIT
    scale_min_label: str = ""
    scale_max_label: str = ""
    choices: list[str] = field(default_factory=list)


# ---- sections -----------------------------------------------------------------------------


def _next_position(queryset) -> int:
    top = queryset.aggregate(top=Max("position"))["top"]
    return 0 if top is None else top + 1


@transaction.atomic
def section_create(
    *, survey: Survey, title: str, position: int | None = None, by=None
) -> SurveySection:
    """Add a section (a heading that groups questions) at ``position`` or at the end."""
    survey = survey_lock_editable(survey)
    section = SurveySection.objects.create(
        survey=survey,
        title=clean_line(title, label="title", limit=200, required=True),
        position=_next_position(survey.sections.all()) if position is None else position,
    )
    audit_record(
        actor=by,
        verb="survey.section_create",
        target=survey,
        summary=f"節「{section.title}」を追加",
    )
    return section


@transaction.atomic
def section_update(*, section: SurveySection, title: str, position: int, by=None) -> SurveySection:
    """Rename or move a section."""
    survey_lock_editable(section.survey)
    section.title = clean_line(title, label="title", limit=200, required=True)
    section.position = position
    section.save()
    audit_record(
        actor=by,
        verb="survey.section_update",
        target=section.survey,
        summary=f"節「{section.title}」を変更",
    )
    return section


@transaction.atomic
def section_delete(*, section: SurveySection, by=None) -> None:
    """Delete a section with its questions."""
    survey = survey_lock_editable(section.survey)
    audit_record(
        actor=by,
        verb="survey.section_delete",
        target=survey,
        summary=f"節「{section.title}」を削除（設問{section.questions.count()}件）",
    )
    section.delete()


# ---- questions ----------------------------------------------------------------------------


def question_spec_clean(spec: QuestionSpec) -> QuestionSpec:
    """The spec with empty lines dropped and settings of other kinds cleared; or ValidationError."""
    if spec.kind not in QuestionKind.values:
        raise ValidationError({"kind": "設問の種類を選んでください。"})
    errors: dict[str, str] = {}
    text = clean_block(spec.text, label="text", limit=1_000, required=True)
    help_text = clean_line(spec.help_text, label="help_text", limit=300)
    clean = QuestionSpec(kind=spec.kind, text=text, required=spec.required, help_text=help_text)
    if spec.kind in QuestionKind.with_choices():
        labels = [" ".join(label.split()) for label in spec.choices]
        labels = [label for label in labels if label]
        duplicates = sorted({label for label in labels if labels.count(label) > 1})
        if len(labels) < 2:
            errors["choices"] = "選択肢を2つ以上、1行に1つずつ入力してください。"
        elif len(labels) > MAX_CHOICES:
            errors["choices"] = f"選択肢は{MAX_CHOICES}個までです。"
        elif duplicates:
            errors["choices"] = f"同じ選択肢が重複しています: {'、'.join(duplicates)}"
        elif any(len(label) > 200 for label in labels):
            errors["choices"] = "選択肢は1つ200文字以内にしてください。"
        clean.choices = labels
    elif spec.kind == QuestionKind.NUMBER:
        for name in ("number_min", "number_max"):
            value = getattr(spec, name)
            if value is not None and abs(value) > NUMBER_LIMIT:
                errors[name] = f"±{NUMBER_LIMIT:,}の範囲で入力してください。"
        if (
            spec.number_min is not None
            and spec.number_max is not None
            and spec.number_max < spec.number_min
        ):
            errors["number_max"] = "最大値は最小値以上にしてください。"
        clean.number_min, clean.number_max = spec.number_min, spec.number_max
        clean.number_unit = clean_line(spec.number_unit, label="number_unit", limit=20)
    elif spec.kind == QuestionKind.TEXT:
        if not 1 <= (spec.text_max_length or 0) <= TEXT_LIMIT:
            errors["text_max_length"] = f"1～{TEXT_LIMIT:,}文字の範囲で指定してください。"
        clean.text_max_length = spec.text_max_length or TEXT_ANSWER_DEFAULT_LIMIT
    elif spec.kind == QuestionKind.SCALE:
        clean.scale_min_label = clean_line(spec.scale_min_label, label="scale_min_label", limit=40)
        clean.scale_max_label = clean_line(spec.scale_max_label, label="scale_max_label", limit=40)
    if errors:
        raise ValidationError(errors)
    return clean


def _apply_spec(question: SurveyQuestion, spec: QuestionSpec) -> None:
    for name in (
        "kind",
        "text",
        "required",
        "help_text",
        "number_min",
        "number_max",
        "number_unit",
        "text_max_length",
        "scale_min_label",
        "scale_max_label",
    ):
        setattr(question, name, getattr(spec, name))


def _replace_choices(question: SurveyQuestion, labels: list[str]) -> None:
    # Safe only because nobody has answered (the caller checked): no answer points at a choice.
    question.choices.all().delete()
    SurveyChoice.objects.bulk_create(
        SurveyChoice(question=question, label=label, position=index)
        for index, label in enumerate(labels)
    )


@transaction.atomic
def question_create(
    *, section: SurveySection, spec: QuestionSpec, position: int | None = None, by=None
) -> SurveyQuestion:
    """Add a question (with its choices) to ``section``, at ``position`` or at the end."""
    survey = survey_lock_editable(section.survey)
    spec = question_spec_clean(spec)
    question = SurveyQuestion(
        survey=survey,
        section=section,
        position=_next_position(section.questions.all()) if position is None else position,
    )
    _apply_spec(question, spec)
    question.save()
    _replace_choices(question, spec.choices)
    audit_record(
        actor=by,
        verb="survey.question_create",
        target=survey,
        summary=f"設問「{question.text[:60]}」を追加",
    )
    return question


@transaction.atomic
def question_update(
    *,
    question: SurveyQuestion,
    spec: QuestionSpec,
    section: SurveySection | None = None,
    position: int | None = None,
    by=None,
) -> SurveyQuestion:
    """Change a question, its choices, section or position (only while nobody has answered)."""
    survey = survey_lock_editable(question.survey)
    if section is not None and section.survey_id != survey.pk:
        raise ValidationError({"section": "このアンケートの節を選んでください。"})
    spec = question_spec_clean(spec)
    _apply_spec(question, spec)
    if section is not None:
        question.section = section
    if position is not None:
        question.position = position
    question.save()
    _replace_choices(question, spec.choices)
    audit_record(
        actor=by,
        verb="survey.question_update",
        target=survey,
        summary=f"設問「{question.text[:60]}」を変更",
    )
    return question


@transaction.atomic
def question_delete(*, question: SurveyQuestion, by=None) -> None:
    """Delete a question and its choices."""
    survey = survey_lock_editable(question.survey)
    audit_record(
        actor=by,
        verb="survey.question_delete",
        target=survey,
        summary=f"設問「{question.text[:60]}」を削除",
    )
    question.delete()
