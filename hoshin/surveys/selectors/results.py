"""Results of a survey, computed by aggregate queries (``values().annotate(Count)``).

No function here loops over answers in Python: each figure is a GROUP BY in the database, so
the number of queries depends on the number of questions, never on the number of responses.
Percentages are shares of *all respondents* (回答者数を母数), with 無回答 as its own row, as
cities print them; for multiple choice the shares add up to more than 100%.
"""

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Avg, Count, Max, Min, QuerySet

from hoshin.lib import palette
from hoshin.org.models import AgeBand, District
from hoshin.surveys.charts import BarChart, ChartRow, bar_chart
from hoshin.surveys.models import (
    SCALE_MAX,
    SCALE_MIN,
    QuestionKind,
    Survey,
    SurveyAnswer,
    SurveyQuestion,
    SurveyResponse,
)
from hoshin.surveys.selectors.public import NumberedQuestion, SectionBlock, survey_structure

TEXT_PREVIEW = 5
UNANSWERED = "無回答"
ATTRIBUTES = {"age_band": "年代", "district": "地区"}


def share(count: int, total: int) -> Decimal | None:
    """``count ÷ total`` as a Decimal ratio (None when ``total`` is 0)."""
    return Decimal(count) / Decimal(total) if total else None


def _two_places(value) -> Decimal | None:
    if value is None:
        return None
    return Decimal(str(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


@dataclass
class Row:
    label: str
    count: int
    share: Decimal | None
    key: object = None  # choice id, scale point, or None for 無回答


@dataclass
class QuestionResult:
    number: int
    question: SurveyQuestion
    respondents: int  # everyone who submitted the survey
    answered: int  # respondents who answered this question
    rows: list[Row] = field(default_factory=list)  # choice / scale questions
    chart: BarChart | None = None
    mean: Decimal | None = None  # scale and number questions
    median: Decimal | None = None
    minimum: int | None = None
    maximum: int | None = None
    texts: list[str] = field(default_factory=list)  # the first few free-text answers

    @property
    def unanswered(self) -> int:
        return self.respondents - self.answered

    @property
    def is_multiple(self) -> bool:
        return self.question.kind == QuestionKind.MULTIPLE


@dataclass
class SectionResults:
    block: SectionBlock
    questions: list[QuestionResult]


@dataclass
class AttributeCount:
    label: str
    count: int
    share: Decimal | None


@dataclass
class SurveyResults:
    survey: Survey
    respondents: int
    sections: list[SectionResults]
    by_age_band: list[AttributeCount]
    by_district: list[AttributeCount]


def _age_band_labels() -> list[tuple[str, str]]:
    """Age bands youngest first, 回答しない last (as a report table lists them)."""
    bands = [(value, str(label)) for value, label in AgeBand.choices if value]
    return [*bands, ("", str(AgeBand.UNDISCLOSED.label))]


def _district_labels() -> list[tuple[int | None, str]]:
    return [(d.pk, d.name) for d in District.objects.all()] + [(None, "回答しない")]


def _attribute_counts(responses: QuerySet, attribute: str, total: int) -> list[AttributeCount]:
    labels = _age_band_labels() if attribute == "age_band" else _district_labels()
    counts = {
        row[attribute]: row["n"] for row in responses.values(attribute).annotate(n=Count("id"))
    }
    return [
        AttributeCount(label, counts.get(key, 0), share(counts.get(key, 0), total))
        for key, label in labels
    ]


def _choice_rows(
    question: SurveyQuestion, counts: dict, respondents: int, answered: int
) -> list[Row]:
    if question.kind == QuestionKind.SCALE:
        keys = [(n, _scale_label(question, n)) for n in range(SCALE_MIN, SCALE_MAX + 1)]
    else:
        keys = [(choice.pk, choice.label) for choice in question.choices.all()]
    rows = [
        Row(label, counts.get(key, 0), share(counts.get(key, 0), respondents), key)
        for key, label in keys
    ]
    unanswered = respondents - answered
    rows.append(Row(UNANSWERED, unanswered, share(unanswered, respondents), None))
    return rows


def _scale_label(question: SurveyQuestion, point: int) -> str:
    if point == SCALE_MIN and question.scale_min_label:
        return f"{point}（{question.scale_min_label}）"
    if point == SCALE_MAX and question.scale_max_label:
        return f"{point}（{question.scale_max_label}）"
    return str(point)


def _median(question: SurveyQuestion, count: int) -> Decimal | None:
    """The median number of one question: one query reading the one or two middle values."""
    if not count:
        return None
    middle = (count - 1) // 2
    values = list(
        SurveyAnswer.objects.filter(question=question, number__isnull=False)
        .order_by("number")
        .values_list("number", flat=True)[middle : middle + 2 - count % 2]
    )
    return _two_places(sum(Decimal(v) for v in values) / len(values))


def survey_results(*, survey: Survey) -> SurveyResults:
    """Every question's figures, and respondents by age band and district."""
    blocks = survey_structure(survey=survey)
    responses = SurveyResponse.objects.filter(survey=survey)
    respondents = responses.count()
    answers = SurveyAnswer.objects.filter(question__survey=survey)
    answered = {
        row["question"]: row["n"]
        for row in answers.values("question").annotate(n=Count("response", distinct=True))
    }
    choice_counts: dict[int, dict] = {}
    for row in (
        answers.filter(choice__isnull=False).values("question", "choice").annotate(n=Count("id"))
    ):
        choice_counts.setdefault(row["question"], {})[row["choice"]] = row["n"]
    for row in (
        answers.filter(question__kind=QuestionKind.SCALE)
        .values("question", "number")
        .annotate(n=Count("id"))
    ):
        choice_counts.setdefault(row["question"], {})[row["number"]] = row["n"]
    number_stats = {
        row["question"]: row
        for row in answers.filter(
            question__kind__in=[QuestionKind.SCALE, QuestionKind.NUMBER], number__isnull=False
        )
        .values("question")
        .annotate(count=Count("id"), mean=Avg("number"), low=Min("number"), high=Max("number"))
    }
    sections = []
    for block in blocks:
        results = [
            _question_result(numbered, respondents, answered, choice_counts, number_stats)
            for numbered in block.questions
        ]
        sections.append(SectionResults(block=block, questions=results))
    return SurveyResults(
        survey=survey,
        respondents=respondents,
        sections=sections,
        by_age_band=_attribute_counts(responses, "age_band", respondents)
        if survey.asks_age_band
        else [],
        by_district=_attribute_counts(responses, "district", respondents)
        if survey.asks_district
        else [],
    )


def _question_result(
    numbered: NumberedQuestion,
    respondents: int,
    answered: dict,
    choice_counts: dict,
    number_stats: dict,
) -> QuestionResult:
    question = numbered.question
    result = QuestionResult(
        number=numbered.number,
        question=question,
        respondents=respondents,
        answered=answered.get(question.pk, 0),
    )
    if question.kind in QuestionKind.tabulated():
        result.rows = _choice_rows(
            question, choice_counts.get(question.pk, {}), respondents, result.answered
        )
        note = (
            "複数回答のため、割合の合計は100%を超えることがあります。" if result.is_multiple else ""
        )
        # A 5-step question's points look as in every satisfaction chart (5 満足 … 1 不満);
        # 無回答 (key None) keeps the chart's own colour.
        fills = (
            palette.score_fills(SCALE_MIN, SCALE_MAX) if question.kind == QuestionKind.SCALE else {}
        )
        result.chart = bar_chart(
            chart_id=f"chart-q{question.pk}",
            title=f"問{numbered.number} {question.text}（回答者{respondents:,}人に占める割合）",
            rows=[
                ChartRow(row.label, row.count, row.share, fills.get(row.key)) for row in result.rows
            ],
            note=note,
        )
    if question.kind in (QuestionKind.SCALE, QuestionKind.NUMBER):
        stats = number_stats.get(question.pk)
        if stats:
            result.mean = _two_places(stats["mean"])
            result.minimum, result.maximum = stats["low"], stats["high"]
            result.median = _median(question, stats["count"])
    if question.kind == QuestionKind.TEXT:
        result.texts = list(
            SurveyAnswer.objects.filter(question=question)
            .order_by("response__submitted_at", "id")
            .values_list("text", flat=True)[:TEXT_PREVIEW]
        )
    return result


def text_answers(*, question: SurveyQuestion) -> QuerySet:
    """Free-text answers to ``question`` in the order they arrived (for a paginated listing)."""
    return (
        SurveyAnswer.objects.filter(question=question)
        .exclude(text="")
        .select_related("response__district")
        .order_by("response__submitted_at", "id")
    )


# ---- cross-tabulation ---------------------------------------------------------------------


@dataclass
class Cell:
    count: int
    share: Decimal | None  # of the row's respondents


@dataclass
class CrossRow:
    label: str
    respondents: int
    cells: list[Cell]


@dataclass
class CrossTab:
    question: SurveyQuestion
    number: int
    attribute: str
    attribute_label: str
    columns: list[str]
    rows: list[CrossRow]
    total: CrossRow

    @property
    def is_multiple(self) -> bool:
        return self.question.kind == QuestionKind.MULTIPLE


def crosstab_questions(*, survey: Survey) -> list[NumberedQuestion]:
    """Questions that can be cross-tabulated: single and multiple choice, 1–5 scale."""
    from hoshin.surveys.selectors.public import survey_questions

    return [
        numbered
        for numbered in survey_questions(survey=survey)
        if numbered.question.kind in QuestionKind.tabulated()
    ]


def crosstab(*, numbered: NumberedQuestion, attribute: str) -> CrossTab:
    """Counts and row percentages of one question by ``attribute`` (``age_band`` or ``district``).

    Three aggregate queries (plus the district list): answers by group and value, respondents
    by group, and respondents who answered by group (for the 無回答 column).
    """
    if attribute not in ATTRIBUTES:
        raise ValueError(f"unknown attribute {attribute!r}")
    question = numbered.question
    group = f"response__{attribute}"
    value = "number" if question.kind == QuestionKind.SCALE else "choice"
    if question.kind == QuestionKind.SCALE:
        keys = [(n, _scale_label(question, n)) for n in range(SCALE_MIN, SCALE_MAX + 1)]
    else:
        keys = [(choice.pk, choice.label) for choice in question.choices.all()]
    answers = SurveyAnswer.objects.filter(question=question)
    counts: dict = {}
    for row in (
        answers.exclude(**{f"{value}__isnull": True}).values(group, value).annotate(n=Count("id"))
    ):
        counts[(row[group], row[value])] = row["n"]
    respondents = {
        row[attribute]: row["n"]
        for row in SurveyResponse.objects.filter(survey_id=question.survey_id)
        .values(attribute)
        .annotate(n=Count("id"))
    }
    answered = {
        row[group]: row["n"]
        for row in answers.values(group).annotate(n=Count("response", distinct=True))
    }
    labels = _age_band_labels() if attribute == "age_band" else _district_labels()

    def make_row(label: str, group_keys: list) -> CrossRow:
        total = sum(respondents.get(g, 0) for g in group_keys)
        cells = []
        for key, _label in keys:
            count = sum(counts.get((g, key), 0) for g in group_keys)
            cells.append(Cell(count, share(count, total)))
        missing = total - sum(answered.get(g, 0) for g in group_keys)
        cells.append(Cell(missing, share(missing, total)))
        return CrossRow(label=label, respondents=total, cells=cells)

    return CrossTab(
        question=question,
        number=numbered.number,
        attribute=attribute,
        attribute_label=ATTRIBUTES[attribute],
        columns=[label for _key, label in keys] + [UNANSWERED],
        rows=[make_row(label, [key]) for key, label in labels],
        total=make_row("全体", [key for key, _label in labels]),
    )
