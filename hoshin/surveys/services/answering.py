"""Storing a citizen's answers: validated per question, exactly once, one response per person.

"One person" is what the survey chooses: an invitation code (each admits one response), or a
browser (a random id in a signed cookie; only a keyed hash of it, different for every survey,
is stored). No IP address or personal detail is ever stored. A hidden submission key makes a
double click or a reload of the POST return the response already stored.
"""

import re
import unicodedata
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac

from hoshin.audit.services import audit_record
from hoshin.org.models import AgeBand, District
from hoshin.surveys.models import (
    NUMBER_LIMIT,
    SCALE_MAX,
    SCALE_MIN,
    AnswerLimit,
    QuestionKind,
    Survey,
    SurveyAnswer,
    SurveyInvitation,
    SurveyQuestion,
    SurveyResponse,
)
from hoshin.surveys.selectors.public import response_with_submission_key

_BROWSER_SALT = "hoshin.surveys.browser"
REQUIRED_MESSAGE = "この設問は回答が必要です。"
CHOICE_MESSAGE = "この設問の選択肢から選んでください。"
# Control characters other than line breaks and tabs break CSV/XLSX exports and mean nothing.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_INTEGER = re.compile(r"^[+-]?\d+$")

RawValue = str | list[str] | None


class SurveyNotOpen(Exception):
    """The survey does not accept answers now; ``phase`` is draft, upcoming or closed."""

    def __init__(self, phase: str):
        super().__init__(phase)
        self.phase = phase


class AlreadyAnswered(Exception):
    """This invitation code, or this browser, has already answered the survey."""


class InvitationInvalid(Exception):
    """The invitation code is missing or not one issued for this survey."""


@dataclass
class Submitted:
    response: SurveyResponse
    created: bool  # False when the same submission arrived again (double click, reload)


def normalize_token(raw: str | None) -> str:
    """An invitation code as typed (full width, lower case, spaces, hyphens) → stored form."""
    text = unicodedata.normalize("NFKC", raw or "").upper()
    return "".join(ch for ch in text if ch.isalnum())


def browser_key_for(*, survey: Survey, browser_id: str) -> str:
    """The stored identity of a browser for one survey: a keyed hash, not linkable across surveys."""
    return salted_hmac(_BROWSER_SALT, f"{survey.pk}:{browser_id}", algorithm="sha256").hexdigest()


def invitation_for(*, survey: Survey, token: str | None) -> SurveyInvitation | None:
    """The invitation of ``survey`` with this code (as typed), or None."""
    token = normalize_token(token)
    if not token:
        return None
    return SurveyInvitation.objects.filter(survey=survey, token=token).first()


def already_answered(
    *, survey: Survey, browser_id: str | None = None, invitation: SurveyInvitation | None = None
) -> bool:
    """True if this browser (per-browser surveys) or invitation (per-code) has answered."""
    if survey.answer_limit == AnswerLimit.TOKEN:
        return invitation is not None and invitation.used_at is not None
    if not browser_id:
        return False
    key = browser_key_for(survey=survey, browser_id=browser_id)
    return SurveyResponse.objects.filter(survey=survey, browser_key=key).exists()


def clean_text(value: str | None) -> str:
    """Text as text: line breaks unified, control characters dropped, outer spaces trimmed."""
    text = (value or "").replace("\r\n", "\n").replace("\r", "\n")
    return _CONTROL.sub("", text).strip()


def parse_whole_number(value: str) -> int:
    """``１２``, ``1,200``, ``－3`` → int; ValueError with a message for anything else."""
    text = unicodedata.normalize("NFKC", value).strip().replace(",", "").replace("−", "-")
    if not _INTEGER.match(text):
        raise ValueError("半角または全角の数字（整数）で入力してください。")
    return int(text)


def _single(value: RawValue) -> str:
    if isinstance(value, list | tuple):
        return str(value[-1]) if value else ""
    return "" if value is None else str(value)


def _several(value: RawValue) -> list[str]:
    if value is None:
        return []
    if isinstance(value, list | tuple):
        return [str(v) for v in value]
    return [str(value)]


def _answer_values(
    question: SurveyQuestion, value: RawValue, choice_ids: dict[str, int]
) -> list[SurveyAnswer]:
    """Unsaved answers for one question (possibly none); ValueError with the message otherwise."""
    if question.kind in QuestionKind.with_choices():
        picked = [v.strip() for v in _several(value) if v.strip()]
        if question.kind == QuestionKind.SINGLE and len(picked) > 1:
            raise ValueError("選択肢を1つだけ選んでください。")
        answers = []
        for raw in dict.fromkeys(picked):  # ticking the same box twice counts once
            if raw not in choice_ids:
                raise ValueError(CHOICE_MESSAGE)
            answers.append(SurveyAnswer(question=question, choice_id=choice_ids[raw]))
        if question.required and not answers:
            raise ValueError(REQUIRED_MESSAGE)
        return answers
    raw = _single(value).strip()
    if question.kind == QuestionKind.SCALE:
        if not raw:
            if question.required:
                raise ValueError(REQUIRED_MESSAGE)
            return []
        if raw not in {str(n) for n in range(SCALE_MIN, SCALE_MAX + 1)}:
            raise ValueError(f"{SCALE_MIN}～{SCALE_MAX}から選んでください。")
        return [SurveyAnswer(question=question, number=int(raw))]
    if question.kind == QuestionKind.NUMBER:
        if not raw:
            if question.required:
                raise ValueError(REQUIRED_MESSAGE)
            return []
        number = parse_whole_number(raw)
        low = question.number_min if question.number_min is not None else -NUMBER_LIMIT
        high = question.number_max if question.number_max is not None else NUMBER_LIMIT
        if not low <= number <= high:
            unit = question.number_unit
            raise ValueError(f"{low:,}{unit}～{high:,}{unit}の範囲で入力してください。")
        return [SurveyAnswer(question=question, number=number)]
    text = clean_text(_single(value))
    if not text:
        if question.required:
            raise ValueError(REQUIRED_MESSAGE)
        return []
    if len(text) > question.text_max_length:
        raise ValueError(
            f"{len(text):,}文字あります。{question.text_max_length:,}文字以内にしてください。"
        )
    return [SurveyAnswer(question=question, text=text)]


def answers_validate(
    *, questions: Iterable[SurveyQuestion], raw_answers: Mapping[int, RawValue]
) -> list[SurveyAnswer]:
    """Check every question's raw value (required, choice of this question, range, length).

    ``raw_answers`` maps question ids to what the form sent (choice ids as strings, a list for
    multiple choice). Returns unsaved answers, or raises ValidationError keyed by each
    question's ``field_name`` so the form shows each message at its question.
    """
    answers: list[SurveyAnswer] = []
    errors: dict[str, str] = {}
    for question in questions:
        choice_ids = {str(choice.pk): choice.pk for choice in question.choices.all()}
        try:
            answers += _answer_values(question, raw_answers.get(question.pk), choice_ids)
        except ValueError as exc:
            errors[question.field_name] = str(exc)
    if errors:
        raise ValidationError(errors)
    return answers


def _attributes(
    survey: Survey, age_band: str | None, district_id: str | int | None
) -> tuple[str, District | None]:
    errors = {}
    age_band = (age_band or "").strip() if survey.asks_age_band else ""
    if age_band not in AgeBand.values:
        errors["age_band"] = "年代は一覧から選んでください。"
    district = None
    if survey.asks_district and district_id not in (None, ""):
        district = (
            District.objects.filter(pk=str(district_id)).first()
            if str(district_id).isdigit()
            else None
        )
        if district is None:
            errors["district"] = "地区は一覧から選んでください。"
    if errors:
        raise ValidationError(errors)
    return age_band, district


def _existing(submission_key: uuid.UUID | None, survey: Survey) -> SurveyResponse | None:
    return response_with_submission_key(survey=survey, submission_key=submission_key)


def response_submit(
    *,
    survey: Survey,
    raw_answers: Mapping[int, RawValue],
    age_band: str | None = "",
    district_id: str | int | None = None,
    invitation_token: str | None = None,
    browser_id: str | None = None,
    submission_key: uuid.UUID | None = None,
    when=None,
) -> Submitted:
    """Store one anonymous response to an open survey, exactly once.

    Raises SurveyNotOpen (draft, not yet open, closed), InvitationInvalid, AlreadyAnswered,
    or ValidationError keyed by form field (each question's ``field_name``, ``age_band``,
    ``district``). The same ``submission_key`` returns the stored response (created=False).
    """
    existing = _existing(submission_key, survey)
    if existing is not None:
        return Submitted(response=existing, created=False)
    if (
        submission_key is not None
        and SurveyResponse.objects.filter(submission_key=submission_key).exists()
    ):
        submission_key = None  # a key sent to another survey: ignore it rather than fail
    try:
        with transaction.atomic():
            return _store(
                survey=survey,
                raw_answers=raw_answers,
                age_band=age_band,
                district_id=district_id,
                invitation_token=invitation_token,
                browser_id=browser_id,
                submission_key=submission_key,
                when=when or timezone.now(),
            )
    except IntegrityError:
        # The same submission raced itself (double click), or another tab of the same browser
        # (or holder of the same code) got there first.
        existing = _existing(submission_key, survey)
        if existing is not None:
            return Submitted(response=existing, created=False)
        raise AlreadyAnswered() from None


def _store(
    *,
    survey: Survey,
    raw_answers,
    age_band,
    district_id,
    invitation_token,
    browser_id,
    submission_key,
    when,
) -> Submitted:
    # The lock orders this response after any edit of the questions (editing takes it too),
    # so answers are checked against the questions as they are when stored.
    survey = Survey.objects.select_for_update().get(pk=survey.pk)
    phase = survey.phase(when)
    if phase != "open":
        raise SurveyNotOpen(phase)
    invitation, browser_key = None, None
    if survey.answer_limit == AnswerLimit.TOKEN:
        token = normalize_token(invitation_token)
        invitation = (
            SurveyInvitation.objects.select_for_update().filter(survey=survey, token=token).first()
            if token
            else None
        )
        if invitation is None:
            raise InvitationInvalid()
        if invitation.used_at is not None:
            raise AlreadyAnswered()
    else:
        if not browser_id:
            raise ValidationError(
                "回答を受け付けられませんでした。ブラウザのCookieを有効にして、"
                "このページを開き直してから送信してください。"
            )
        browser_key = browser_key_for(survey=survey, browser_id=browser_id)
        if SurveyResponse.objects.filter(survey=survey, browser_key=browser_key).exists():
            raise AlreadyAnswered()
    questions = list(survey.questions.prefetch_related("choices"))
    errors: dict[str, list[str]] = {}
    try:
        answers = answers_validate(questions=questions, raw_answers=raw_answers)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    try:
        age_band, district = _attributes(survey, age_band, district_id)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    response = SurveyResponse.objects.create(
        survey=survey,
        submitted_at=when,
        age_band=age_band,
        district=district,
        invitation=invitation,
        browser_key=browser_key,
        submission_key=submission_key,
    )
    for answer in answers:
        answer.response = response
    SurveyAnswer.objects.bulk_create(answers)
    if invitation is not None:
        invitation.used_at = when
        invitation.save(update_fields=["used_at"])
    audit_record(
        actor=None,
        verb="survey.response",
        target=response,
        summary=f"アンケート「{survey}」に回答（{len(answers)}件の回答値）",
    )
    return Submitted(response=response, created=True)
