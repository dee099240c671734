"""Building a survey: settings, sections, questions and choices, publishing, versions, invitations.

Every function validates, writes inside one transaction and records an audit entry. Errors a
member of staff can fix are raised as ``ValidationError`` with a message in Japanese.

The rule that matters most: once a survey has a response, its questions, choices, sections,
answer limit and respondent attributes never change (``SurveyFrozen``); staff make a new
version instead (``survey_new_version``), which starts as a draft copy.
"""

import datetime
import secrets
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from hoshin.audit.services import audit_record
from hoshin.surveys.models import (
    NUMBER_LIMIT,
    TEXT_ANSWER_DEFAULT_LIMIT,
    TEXT_LIMIT,
    AnswerLimit,
    QuestionKind,
    Survey,
    SurveyChoice,
    SurveyInvitation,
    SurveyQuestion,
    SurveySection,
    SurveyStatus,
)

MAX_CHOICES = 50
MAX_INVITATIONS_PER_BATCH = 5_000
# Invitation codes are typed from a printed letter: no 0/O, 1/I/L, 2/Z, 5/S, 8/B look-alikes.
TOKEN_ALPHABET = "ACDEFGHJKMNPQRTUVWXY34679"
TOKEN_LENGTH = 12  # 25**12 ≈ 6e16: not guessable by trying


class SurveyFrozen(ValidationError):
    """The survey has responses: its questions cannot change; make a new version instead."""

    def __init__(self, survey: Survey):
        super().__init__(
            f"「{survey.title}」には既に回答があるため、設問・選択肢・節・回答の制限・尋ねる属性は"
            "変更できません。変更する場合は新しい版を作成してください。"
        )
        self.survey = survey


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


def survey_has_responses(*, survey: Survey) -> bool:
    """True once anyone has answered: from then on the questions are frozen."""
    return survey.responses.exists()


def _lock(survey: Survey) -> Survey:
    """Lock the survey row for the rest of the transaction (``response_submit`` takes it too)."""
    return Survey.objects.select_for_update().get(pk=survey.pk)


def _ensure_editable(survey: Survey) -> Survey:
    locked = _lock(survey)
    if survey_has_responses(survey=locked):
        raise SurveyFrozen(locked)
    return locked


def _clean_line(value: str | None, *, label: str, limit: int, required: bool = False) -> str:
    text = " ".join((value or "").split())
    if required and not text:
        raise ValidationError({label: "入力してください。"})
    if len(text) > limit:
        raise ValidationError({label: f"{limit:,}文字以内にしてください。"})
    return text


def _clean_block(value: str | None, *, label: str, limit: int, required: bool = False) -> str:
    text = (value or "").replace("\r\n", "\n").replace("\r", "\n").strip()
    if required and not text:
        raise ValidationError({label: "入力してください。"})
    if len(text) > limit:
        raise ValidationError({label: f"{limit:,}文字以内にしてください。"})
    return text


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
    by=None,
) -> Survey:
    """Create a draft survey (no questions yet)."""
    if answer_limit not in AnswerLimit.values:
        raise ValidationError({"answer_limit": "回答の制限を選んでください。"})
    _check_dates(opens_at, closes_at, published=False)
    survey = Survey.objects.create(
        title=_clean_line(title, label="title", limit=200, required=True),
        description=_clean_block(description, label="description", limit=5_000),
        answer_limit=answer_limit,
        asks_age_band=asks_age_band,
        asks_district=asks_district,
        opens_at=opens_at,
        closes_at=closes_at,
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
    by=None,
) -> Survey:
    """Change a survey's settings; the dates may change at any time, the rest only before answers."""
    survey = _lock(survey)
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
    survey.title = _clean_line(title, label="title", limit=200, required=True)
    survey.description = _clean_block(description, label="description", limit=5_000)
    survey.opens_at, survey.closes_at = opens_at, closes_at
    survey.answer_limit = answer_limit
    survey.asks_age_band, survey.asks_district = asks_age_band, asks_district
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
    survey = _lock(survey)
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
    survey = _ensure_editable(survey)
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
    survey = _lock(survey)
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
    survey = _ensure_editable(survey)
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
    survey = _lock(survey)
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


# ---- sections -----------------------------------------------------------------------------


def _next_position(queryset) -> int:
    top = queryset.aggregate(top=Max("position"))["top"]
    return 0 if top is None else top + 1


@transaction.atomic
def section_create(
    *, survey: Survey, title: str, position: int | None = None, by=None
) -> SurveySection:
    """Add a section (a heading that groups questions) at ``position`` or at the end."""
    survey = _ensure_editable(survey)
    section = SurveySection.objects.create(
        survey=survey,
        title=_clean_line(title, label="title", limit=200, required=True),
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
    _ensure_editable(section.survey)
    section.title = _clean_line(title, label="title", limit=200, required=True)
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
    survey = _ensure_editable(section.survey)
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
    text = _clean_block(spec.text, label="text", limit=1_000, required=True)
    help_text = _clean_line(spec.help_text, label="help_text", limit=300)
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
        clean.number_unit = _clean_line(spec.number_unit, label="number_unit", limit=20)
    elif spec.kind == QuestionKind.TEXT:
        if not 1 <= (spec.text_max_length or 0) <= TEXT_LIMIT:
            errors["text_max_length"] = f"1～{TEXT_LIMIT:,}文字の範囲で指定してください。"
        clean.text_max_length = spec.text_max_length or TEXT_ANSWER_DEFAULT_LIMIT
    elif spec.kind == QuestionKind.SCALE:
        clean.scale_min_label = _clean_line(spec.scale_min_label, label="scale_min_label", limit=40)
        clean.scale_max_label = _clean_line(spec.scale_max_label, label="scale_max_label", limit=40)
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
    survey = _ensure_editable(section.survey)
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
    survey = _ensure_editable(question.survey)
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
    survey = _ensure_editable(question.survey)
    audit_record(
        actor=by,
        verb="survey.question_delete",
        target=survey,
        summary=f"設問「{question.text[:60]}」を削除",
    )
    question.delete()


# ---- invitations --------------------------------------------------------------------------


def _new_token() -> str:
    return "".join(secrets.choice(TOKEN_ALPHABET) for _ in range(TOKEN_LENGTH))


@transaction.atomic
def invitations_generate(*, survey: Survey, count: int, by=None) -> list[SurveyInvitation]:
    """Issue ``count`` new invitation codes for a survey answered once per code."""
    if survey.answer_limit != AnswerLimit.TOKEN:
        raise ValidationError("招待コードは「招待コードごとに1回」のアンケートにだけ発行できます。")
    if not 1 <= count <= MAX_INVITATIONS_PER_BATCH:
        raise ValidationError(
            {"count": f"1回に発行できるのは1～{MAX_INVITATIONS_PER_BATCH:,}件です。"}
        )
    if survey.phase() == "closed":
        raise ValidationError("受付を終了したアンケートには招待コードを発行できません。")
    created: list[SurveyInvitation] = []
    while len(created) < count:
        batch = [
            SurveyInvitation(survey=survey, token=_new_token()) for _ in range(count - len(created))
        ]
        try:
            with transaction.atomic():
                created += SurveyInvitation.objects.bulk_create(batch)
        except IntegrityError:  # a code already issued (vanishingly rare): draw the batch again
            continue
    audit_record(
        actor=by,
        verb="survey.invitations_generate",
        target=survey,
        summary=f"アンケート「{survey}」の招待コードを{count}件発行",
    )
    return created
