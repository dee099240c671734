"""Storing answers: validation per kind, exactly once, one response per code or per browser, dates."""

import datetime
import uuid

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from hoshin.surveys.models import (
    AnswerLimit,
    QuestionKind,
    SurveyAnswer,
    SurveyInvitation,
    SurveyResponse,
)
from hoshin.surveys.services.answering import (
    AlreadyAnswered,
    InvitationInvalid,
    SurveyNotOpen,
    browser_key_for,
    normalize_token,
    parse_whole_number,
    response_submit,
)
from hoshin.surveys.services.editing import survey_close, survey_publish
from hoshin.surveys.services.invitations import invitations_generate

from . import factories as f

pytestmark = pytest.mark.django_db


def errors_of(call) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as caught:
        call()
    return caught.value.message_dict


def test_a_full_answer_is_stored_once_with_one_row_per_ticked_choice(sample, districts):
    submitted = sample.answer(
        single="SNS",
        multiple=["図書館", "窓口"],
        scale="5",
        number="１２",
        text="  バスを増やしてほしい\r\n  ",
        age_band="30s",
        district=districts[1],
    )
    response = submitted.response
    assert submitted.created
    assert (response.age_band, response.district) == ("30s", districts[1])
    values = {
        (a.question_id, a.choice.label if a.choice else None, a.number, a.text)
        for a in response.answers.select_related("choice")
    }
    assert values == {
        (sample.single.pk, "SNS", None, ""),
        (sample.multiple.pk, "図書館", None, ""),
        (sample.multiple.pk, "窓口", None, ""),
        (sample.scale.pk, None, 5, ""),
        (sample.number.pk, None, 12, ""),
        (sample.text.pk, None, None, "バスを増やしてほしい"),
    }


def test_unanswered_optional_questions_store_no_rows(sample):
    response = sample.answer().response
    assert response.answers.count() == 0


def test_required_questions_are_named_in_the_errors(districts):
    sample = f.make_sample(required=True)
    errors = errors_of(lambda: sample.answer(scale="3"))
    assert errors == {sample.single.field_name: ["この設問は回答が必要です。"]}
    assert not SurveyResponse.objects.exists()


def test_required_multiple_and_number_and_text(districts):
    survey = f.make_survey()
    multiple = f.add_question(survey, QuestionKind.MULTIPLE, required=True)
    number = f.add_question(survey, QuestionKind.NUMBER, required=True)
    text = f.add_question(survey, QuestionKind.TEXT, required=True)
    scale = f.add_question(survey, QuestionKind.SCALE, required=True)
    survey = survey_publish(survey=survey)
    errors = errors_of(
        lambda: response_submit(
            survey=survey,
            raw_answers={multiple.pk: [], number.pk: " ", text.pk: " \n ", scale.pk: ""},
            browser_id="b",
        )
    )
    assert set(errors) == {q.field_name for q in (multiple, number, text, scale)}


def test_a_choice_of_another_question_is_refused(sample):
    other = str(sample.multiple.choices.first().pk)
    errors = errors_of(
        lambda: response_submit(
            survey=sample.survey, raw_answers={sample.single.pk: other}, browser_id="b"
        )
    )
    assert errors[sample.single.field_name] == ["この設問の選択肢から選んでください。"]
    errors = errors_of(
        lambda: response_submit(
            survey=sample.survey, raw_answers={sample.multiple.pk: ["abc"]}, browser_id="b"
        )
    )
    assert errors[sample.multiple.field_name] == ["この設問の選択肢から選んでください。"]


def test_single_choice_takes_one_value_and_duplicate_ticks_count_once(sample):
    a, b = (str(c.pk) for c in sample.single.choices.all()[:2])
    errors = errors_of(
        lambda: response_submit(
            survey=sample.survey, raw_answers={sample.single.pk: [a, b]}, browser_id="b"
        )
    )
    assert "1つだけ" in errors[sample.single.field_name][0]
    library = sample.choice(sample.multiple, "図書館")
    response = response_submit(
        survey=sample.survey,
        raw_answers={sample.multiple.pk: [library, library]},
        browser_id="b2",
    ).response
    assert response.answers.count() == 1


@pytest.mark.parametrize("value", ["0", "6", "3.5", "three"])
def test_scale_accepts_only_1_to_5(sample, value):
    errors = errors_of(lambda: sample.answer(scale=value))
    assert errors[sample.scale.field_name] == ["1～5から選んでください。"]


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("301", "0分～300分の範囲で入力してください。"),
        ("-1", "0分～300分の範囲で入力してください。"),
        ("12.5", "整数"),
        ("十二", "整数"),
        ("1e3", "整数"),
    ],
)
def test_number_out_of_range_or_not_a_whole_number(sample, value, message):
    errors = errors_of(lambda: sample.answer(number=value))
    assert message in errors[sample.number.field_name][0]


@pytest.mark.parametrize(
    ("typed", "number"), [("１２", 12), ("1,200", 1200), ("－３", -3), ("−3", -3), (" 7 ", 7)]
)
def test_whole_numbers_as_people_type_them(typed, number):
    assert parse_whole_number(typed) == number


def test_text_length_limit_counts_characters_not_bytes(sample):
    assert sample.answer(text="𠮷" * 200).created
    errors = errors_of(lambda: sample.answer(text="あ" * 201))
    assert errors[sample.text.field_name] == ["201文字あります。200文字以内にしてください。"]


def test_text_is_stored_as_text_without_control_characters(sample):
    markup = '<script>alert("x")</script>\x00\x07 髙﨑①㈱𠮷😀'
    response = sample.answer(text=markup).response
    stored = response.answers.get().text
    assert stored == '<script>alert("x")</script> 髙﨑①㈱𠮷😀'


def test_attributes_must_come_from_the_lists(sample):
    errors = errors_of(lambda: sample.answer(age_band="99s"))
    assert "age_band" in errors
    errors = errors_of(
        lambda: response_submit(
            survey=sample.survey, raw_answers={}, district_id="99999", browser_id="b"
        )
    )
    assert "district" in errors


def test_attributes_not_asked_are_not_stored(districts):
    sample = f.make_sample(asks_age_band=False, asks_district=False)
    response = sample.answer(age_band="30s", district=districts[0]).response
    assert (response.age_band, response.district) == ("", None)


def test_the_same_submission_key_is_stored_once(sample):
    key = uuid.uuid4()
    first = sample.answer(scale="3", submission_key=key, browser_id="one")
    again = sample.answer(scale="3", submission_key=key, browser_id="one")
    assert first.created and not again.created
    assert again.response == first.response
    assert SurveyResponse.objects.count() == 1


# ---- one answer per browser / per invitation code -----------------------------------------


def test_second_answer_from_the_same_browser_is_refused(sample):
    sample.answer(scale="3", browser_id="same")
    with pytest.raises(AlreadyAnswered):
        sample.answer(scale="1", browser_id="same")
    assert SurveyResponse.objects.count() == 1
    assert sample.answer(scale="1", browser_id="other").created


def test_the_browser_is_stored_only_as_a_per_survey_hash(sample, districts):
    response = sample.answer(browser_id="cookie-value").response
    assert response.browser_key == browser_key_for(survey=sample.survey, browser_id="cookie-value")
    assert "cookie-value" not in response.browser_key and len(response.browser_key) == 64
    other = f.make_sample(title="別の調査")
    assert browser_key_for(survey=other.survey, browser_id="cookie-value") != response.browser_key


def test_per_browser_survey_needs_the_cookie(sample):
    with pytest.raises(ValidationError, match="Cookie"):
        response_submit(survey=sample.survey, raw_answers={}, browser_id=None)


def test_database_refuses_a_second_response_of_a_browser(sample):
    response = sample.answer(browser_id="x").response
    with pytest.raises(IntegrityError), transaction.atomic():
        SurveyResponse.objects.create(survey=sample.survey, browser_key=response.browser_key)
    with pytest.raises(IntegrityError), transaction.atomic():
        SurveyResponse.objects.create(survey=sample.survey)  # neither code nor browser


def test_one_answer_per_invitation_code(districts):
    sample = f.make_sample(answer_limit=AnswerLimit.TOKEN)
    code_a, code_b = invitations_generate(survey=sample.survey, count=2)
    typed = code_a.display_token.lower().replace("-", " - ")
    submitted = sample.answer(scale="4", token=typed)
    code_a.refresh_from_db()
    assert submitted.response.invitation == code_a and code_a.used_at is not None
    assert submitted.response.browser_key is None
    with pytest.raises(AlreadyAnswered):
        sample.answer(scale="2", token=code_a.token)
    with pytest.raises(InvitationInvalid):
        sample.answer(scale="2", token="WRONG-CODE")
    with pytest.raises(InvitationInvalid):
        sample.answer(scale="2", token=None, browser_id="a browser is not a code")
    assert sample.answer(scale="2", token=code_b.token).created


def test_a_code_of_another_survey_is_invalid(districts):
    first = f.make_sample(answer_limit=AnswerLimit.TOKEN)
    second = f.make_sample(title="別の調査", answer_limit=AnswerLimit.TOKEN)
    (code,) = invitations_generate(survey=second.survey, count=1)
    with pytest.raises(InvitationInvalid):
        first.answer(token=code.token)


def test_database_refuses_a_second_response_with_one_code(districts):
    sample = f.make_sample(answer_limit=AnswerLimit.TOKEN)
    (code,) = invitations_generate(survey=sample.survey, count=1)
    sample.answer(token=code.token)
    with pytest.raises(IntegrityError), transaction.atomic():
        SurveyResponse.objects.create(survey=sample.survey, invitation=code)


def test_invitation_codes_normalise_as_typed():
    assert normalize_token(" acde-fghj ｋｍｎｐ ") == "ACDEFGHJKMNP"
    assert SurveyInvitation._meta.get_field("token").unique


# ---- dates and drafts ---------------------------------------------------------------------


def test_drafts_do_not_accept_answers(districts):
    sample = f.make_sample(publish=False)
    with pytest.raises(SurveyNotOpen) as caught:
        sample.answer(scale="3")
    assert caught.value.phase == "draft"


def test_answers_only_between_the_dates(sample):
    before = sample.survey.opens_at - datetime.timedelta(seconds=1)
    with pytest.raises(SurveyNotOpen) as caught:
        sample.answer(scale="3", when=before)
    assert caught.value.phase == "upcoming"
    assert sample.answer(scale="3", when=sample.survey.opens_at).created
    with pytest.raises(SurveyNotOpen) as caught:
        sample.answer(scale="3", when=sample.survey.closes_at)
    assert caught.value.phase == "closed"


def test_closed_survey_refuses_answers(sample):
    survey_close(survey=sample.survey, when=timezone.now() - datetime.timedelta(seconds=1))
    with pytest.raises(SurveyNotOpen):
        sample.answer(scale="3")


# ---- database rules on answers ------------------------------------------------------------


def test_an_answer_holds_exactly_one_value(sample):
    response = sample.answer(browser_id="z").response
    choice = sample.single.choices.first()
    for values in ({}, {"choice": choice, "number": 1}, {"number": 1, "text": "x"}):
        with pytest.raises(IntegrityError), transaction.atomic():
            SurveyAnswer.objects.create(response=response, question=sample.single, **values)
    SurveyAnswer.objects.create(response=response, question=sample.number, number=1)
    with pytest.raises(IntegrityError), transaction.atomic():
        SurveyAnswer.objects.create(response=response, question=sample.number, number=2)
    SurveyAnswer.objects.create(response=response, question=sample.single, choice=choice)
    with pytest.raises(IntegrityError), transaction.atomic():
        SurveyAnswer.objects.create(response=response, question=sample.single, choice=choice)
