"""Builders for survey tests: surveys built through the services, and answers submitted as citizens."""

import datetime
import itertools
from dataclasses import dataclass

from django.utils import timezone

from hoshin.org.models import District
from hoshin.surveys.models import AnswerLimit, QuestionKind, Survey, SurveyQuestion
from hoshin.surveys.services.answering import Submitted, response_submit
from hoshin.surveys.services.editing import survey_create, survey_publish
from hoshin.surveys.services.questions import QuestionSpec, question_create, section_create

_browsers = itertools.count(1)


def make_districts(*names: str) -> list[District]:
    names = names or ("中村", "大野", "八幡")
    return [
        District.objects.get_or_create(name=name, defaults={"position": i})[0]
        for i, name in enumerate(names)
    ]


def make_survey(
    title: str = "市民満足度調査",
    *,
    answer_limit: str = AnswerLimit.BROWSER,
    opens_at: datetime.datetime | None = None,
    closes_at: datetime.datetime | None = None,
    asks_age_band: bool = True,
    asks_district: bool = True,
) -> Survey:
    """A draft, open from a day ago for a week unless dates are given."""
    now = timezone.now()
    return survey_create(
        title=title,
        answer_limit=answer_limit,
        asks_age_band=asks_age_band,
        asks_district=asks_district,
        opens_at=opens_at or now - datetime.timedelta(days=1),
        closes_at=closes_at or now + datetime.timedelta(days=7),
    )


def add_question(survey: Survey, kind: str, text: str = "", section=None, **spec) -> SurveyQuestion:
    section = section or survey.sections.first() or section_create(survey=survey, title="設問")
    if kind in QuestionKind.with_choices() and "choices" not in spec:
        spec["choices"] = ["はい", "いいえ", "わからない"]
    return question_create(
        section=section, spec=QuestionSpec(kind=kind, text=text or f"{kind}の設問", **spec)
    )


@dataclass
class Sample:
    """A published survey with one question of every kind."""

    survey: Survey
    single: SurveyQuestion
    multiple: SurveyQuestion
    scale: SurveyQuestion
    number: SurveyQuestion
    text: SurveyQuestion

    def choice(self, question: SurveyQuestion, label: str) -> str:
        return str(question.choices.get(label=label).pk)

    def answer(
        self,
        *,
        single: str | None = None,
        multiple: list[str] | None = None,
        scale: str = "",
        number: str = "",
        text: str = "",
        age_band: str = "",
        district=None,
        browser_id: str | None = None,
        token: str | None = None,
        **kwargs,
    ) -> Submitted:
        """Submit as a citizen; choices are given by label."""
        raw = {
            self.single.pk: self.choice(self.single, single) if single else "",
            self.multiple.pk: [self.choice(self.multiple, label) for label in multiple or []],
            self.scale.pk: scale,
            self.number.pk: number,
            self.text.pk: text,
        }
        if token is None and browser_id is None:
            browser_id = f"browser-{next(_browsers)}"
        return response_submit(
            survey=self.survey,
            raw_answers=raw,
            age_band=age_band,
            district_id=district.pk if district is not None else None,
            browser_id=browser_id,
            invitation_token=token,
            **kwargs,
        )


def make_sample(*, publish: bool = True, required: bool = False, **survey_fields) -> Sample:
    survey = make_survey(**survey_fields)
    first = section_create(survey=survey, title="市政への満足度")
    second = section_create(survey=survey, title="情報発信")
    sample = Sample(
        survey=survey,
        single=add_question(
            survey,
            QuestionKind.SINGLE,
            "市の情報を主に何から得ていますか",
            section=first,
            required=required,
            choices=["広報紙", "ホームページ", "SNS"],
        ),
        multiple=add_question(
            survey,
            QuestionKind.MULTIPLE,
            "利用した施設をすべて選んでください",
            section=first,
            choices=["図書館", "公民館", "窓口"],
        ),
        scale=add_question(
            survey,
            QuestionKind.SCALE,
            "市政に満足していますか",
            section=first,
            scale_min_label="不満",
            scale_max_label="満足",
        ),
        number=add_question(
            survey,
            QuestionKind.NUMBER,
            "窓口まで何分かかりますか",
            section=second,
            number_min=0,
            number_max=300,
            number_unit="分",
        ),
        text=add_question(
            survey, QuestionKind.TEXT, "ご意見をどうぞ", section=second, text_max_length=200
        ),
    )
    if publish:
        sample.survey = survey_publish(survey=survey)
    return sample
