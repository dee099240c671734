"""Reads for the public pages: which surveys citizens see, and a survey's questions in order."""

import datetime
import uuid
from dataclasses import dataclass, field

from django.db.models import Prefetch
from django.utils import timezone

from hoshin.surveys.models import Survey, SurveyQuestion, SurveyResponse, SurveySection


@dataclass
class NumberedQuestion:
    number: int  # 問1, 問2 … across the whole survey
    question: SurveyQuestion


@dataclass
class SectionBlock:
    section: SurveySection
    questions: list[NumberedQuestion] = field(default_factory=list)


def surveys_open(*, when: datetime.datetime | None = None):
    """Published surveys accepting answers now, the one closing soonest first."""
    return Survey.objects.open_at(when or timezone.now()).order_by("closes_at", "id")


def surveys_upcoming(*, when: datetime.datetime | None = None):
    """Published surveys that open later, the soonest first."""
    return (
        Survey.objects.published()
        .filter(opens_at__gt=when or timezone.now())
        .order_by("opens_at", "id")
    )


def survey_structure(*, survey: Survey) -> list[SectionBlock]:
    """Sections in order, each with its questions (choices prefetched), numbered 問1, 問2 …

    Three queries whatever the size of the survey.
    """
    questions = SurveyQuestion.objects.filter(survey=survey).prefetch_related("choices")
    sections = survey.sections.prefetch_related(Prefetch("questions", queryset=questions))
    blocks, number = [], 0
    for section in sections:
        block = SectionBlock(section=section)
        for question in section.questions.all():
            number += 1
            block.questions.append(NumberedQuestion(number=number, question=question))
        blocks.append(block)
    return blocks


def survey_questions(*, survey: Survey) -> list[NumberedQuestion]:
    """Every question of ``survey`` in display order, numbered."""
    return [numbered for block in survey_structure(survey=survey) for numbered in block.questions]


def response_with_submission_key(
    *, survey: Survey, submission_key: uuid.UUID | None
) -> SurveyResponse | None:
    """The response already stored from this form submission (a reload, a double click)."""
    if submission_key is None:
        return None
    return SurveyResponse.objects.filter(submission_key=submission_key, survey=survey).first()
