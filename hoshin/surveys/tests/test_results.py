"""Results against a hand-built set of six responses whose every figure is worked out below."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from hoshin.surveys.charts import ChartRow, bar_chart
from hoshin.surveys.selectors.public import survey_questions
from hoshin.surveys.selectors.results import crosstab, survey_results

pytestmark = pytest.mark.django_db


@pytest.fixture
def answered(sample, districts):
    """Six respondents.

    | # | single | multiple | scale | number | text | age | district |
    |---|---|---|---|---|---|---|---|
    | 1 | 広報紙 | 図書館, 公民館 | 5 | 10 | A | 30s | 中村 |
    | 2 | 広報紙 | 図書館 | 4 | 20 | | 30s | 大野 |
    | 3 | SNS | | 4 | 30 | B | 70s | 中村 |
    | 4 | ホームページ | 窓口, 図書館 | 2 | | | 70s | — |
    | 5 | | 公民館 | | 100 | | — | 中村 |
    | 6 | 広報紙 | | 1 | 5 | <b>C</b> | 70s | 八幡 |
    """
    nakamura, ono, yawata = districts
    sample.answer(
        single="広報紙",
        multiple=["図書館", "公民館"],
        scale="5",
        number="10",
        text="A",
        age_band="30s",
        district=nakamura,
    )
    sample.answer(
        single="広報紙", multiple=["図書館"], scale="4", number="20", age_band="30s", district=ono
    )
    sample.answer(single="SNS", scale="4", number="30", text="B", age_band="70s", district=nakamura)
    sample.answer(single="ホームページ", multiple=["窓口", "図書館"], scale="2", age_band="70s")
    sample.answer(multiple=["公民館"], number="100", district=nakamura)
    sample.answer(
        single="広報紙", scale="1", number="5", text="<b>C</b>", age_band="70s", district=yawata
    )
    return sample


def result_for(results, question):
    for section in results.sections:
        for result in section.questions:
            if result.question.pk == question.pk:
                return result
    raise AssertionError(question)


def table(rows) -> list[tuple]:
    return [
        (
            row.label,
            row.count,
            str(row.share.quantize(Decimal("0.001"))) if row.share is not None else None,
        )
        for row in rows
    ]


def test_single_choice_counts_and_shares_of_all_respondents(answered):
    results = survey_results(survey=answered.survey)
    assert results.respondents == 6
    single = result_for(results, answered.single)
    assert (single.number, single.answered, single.unanswered) == (1, 5, 1)
    assert table(single.rows) == [
        ("広報紙", 3, "0.500"),
        ("ホームページ", 1, "0.167"),
        ("SNS", 1, "0.167"),
        ("無回答", 1, "0.167"),
    ]


def test_multiple_choice_shares_may_add_up_to_more_than_100_percent(answered):
    multiple = result_for(survey_results(survey=answered.survey), answered.multiple)
    assert multiple.answered == 4
    assert table(multiple.rows) == [
        ("図書館", 3, "0.500"),
        ("公民館", 2, "0.333"),
        ("窓口", 1, "0.167"),
        ("無回答", 2, "0.333"),
    ]
    assert "100%を超える" in multiple.chart.desc


def test_scale_distribution_and_mean(answered):
    scale = result_for(survey_results(survey=answered.survey), answered.scale)
    assert [(row.label, row.count) for row in scale.rows] == [
        ("1（不満）", 1),
        ("2", 1),
        ("3", 0),
        ("4", 2),
        ("5（満足）", 1),
        ("無回答", 1),
    ]
    assert scale.mean == Decimal("3.20")  # (5 + 4 + 4 + 2 + 1) / 5


def test_number_count_mean_median_min_max(answered):
    number = result_for(survey_results(survey=answered.survey), answered.number)
    assert (number.answered, number.unanswered) == (5, 1)
    assert number.mean == Decimal("33.00")  # (10 + 20 + 30 + 100 + 5) / 5
    assert number.median == Decimal("20.00")  # 5 10 [20] 30 100
    assert (number.minimum, number.maximum) == (5, 100)
    answered.answer(number="40")  # 5 10 [20 30] 40 100
    number = result_for(survey_results(survey=answered.survey), answered.number)
    assert number.median == Decimal("25.00")


def test_free_text_preview_in_order(answered):
    text = result_for(survey_results(survey=answered.survey), answered.text)
    assert text.answered == 3
    assert text.texts == ["A", "B", "<b>C</b>"]


def test_respondents_by_attribute(answered):
    results = survey_results(survey=answered.survey)
    ages = {row.label: row.count for row in results.by_age_band}
    assert (ages["30代"], ages["70代"], ages["回答しない"], ages["20代"]) == (2, 3, 1, 0)
    assert [(row.label, row.count) for row in results.by_district] == [
        ("中村", 3),
        ("大野", 1),
        ("八幡", 1),
        ("回答しない", 1),
    ]


def numbered(sample, question):
    return next(n for n in survey_questions(survey=sample.survey) if n.question.pk == question.pk)


def cells(row) -> list[tuple]:
    return [
        (c.count, str(c.share.quantize(Decimal("0.001"))) if c.share is not None else None)
        for c in row.cells
    ]


def test_crosstab_single_choice_by_age_band(answered):
    tab = crosstab(numbered=numbered(answered, answered.single), attribute="age_band")
    assert tab.columns == ["広報紙", "ホームページ", "SNS", "無回答"]
    rows = {row.label: row for row in tab.rows}
    assert rows["30代"].respondents == 2
    assert cells(rows["30代"]) == [(2, "1.000"), (0, "0.000"), (0, "0.000"), (0, "0.000")]
    assert cells(rows["70代"]) == [(1, "0.333"), (1, "0.333"), (1, "0.333"), (0, "0.000")]
    assert cells(rows["回答しない"]) == [(0, "0.000"), (0, "0.000"), (0, "0.000"), (1, "1.000")]
    assert rows["20代"].respondents == 0 and rows["20代"].cells[0].share is None
    assert tab.total.respondents == 6
    assert [c.count for c in tab.total.cells] == [3, 1, 1, 1]


def test_crosstab_multiple_choice_by_district(answered):
    tab = crosstab(numbered=numbered(answered, answered.multiple), attribute="district")
    assert [row.label for row in tab.rows] == ["中村", "大野", "八幡", "回答しない"]
    by = {row.label: [c.count for c in row.cells] for row in tab.rows}
    # columns: 図書館, 公民館, 窓口, 無回答
    assert by == {
        "中村": [1, 2, 0, 1],
        "大野": [1, 0, 0, 0],
        "八幡": [0, 0, 0, 1],
        "回答しない": [1, 0, 1, 0],
    }
    nakamura = next(row for row in tab.rows if row.label == "中村")
    assert cells(nakamura)[1] == (2, "0.667")  # 2 of the 3 中村 respondents


def test_crosstab_scale_by_age_band(answered):
    tab = crosstab(numbered=numbered(answered, answered.scale), attribute="age_band")
    by = {row.label: [c.count for c in row.cells] for row in tab.rows if row.respondents}
    assert by == {
        "30代": [0, 0, 0, 1, 1, 0],
        "70代": [1, 1, 0, 1, 0, 0],
        "回答しない": [0, 0, 0, 0, 0, 1],
    }


def test_chart_states_every_figure_and_scales_bars_to_the_share():
    chart = bar_chart(
        chart_id="c",
        title="問1",
        rows=[ChartRow("広報紙", 3, Decimal("0.5")), ChartRow("無回答", 0, Decimal(0))],
    )
    assert chart.desc == "広報紙 3件（50.0%）、無回答 0件（0.0%）。"
    assert chart.bars[0].width == chart.plot_width / 2 and chart.bars[1].width == 0


# ---- the page -------------------------------------------------------------------------------


def test_results_page_shows_figures_charts_tables_and_escaped_text(answered, hearing_client):
    url = reverse("surveys_staff:results", args=[answered.survey.pk])
    response = hearing_client.get(url, {"crosstab": answered.single.pk, "by": "age_band"})
    html = response.content.decode()
    assert response.status_code == 200
    assert html.count('role="img"') == 3  # single, multiple, scale
    assert '<title id="chart-q' in html and '<desc id="chart-q' in html
    assert "50.0%" in html and "33.3%" in html
    assert "&lt;b&gt;C&lt;/b&gt;" in html and "<b>C</b>" not in html
    assert response.context["crosstab"].attribute == "age_band"
    assert "年代別" in html


def test_free_text_listing_is_paginated_and_escaped(sample, hearing_client):
    for index in range(51):
        sample.answer(text=f"<i>意見{index}</i>")
    url = reverse("surveys_staff:texts", args=[sample.survey.pk, sample.text.pk])
    first = hearing_client.get(url)
    assert first.context["page"].paginator.count == 51
    assert len(first.context["page"].object_list) == 50
    second = hearing_client.get(url, {"page": 2}).content.decode()
    assert "&lt;i&gt;意見50&lt;/i&gt;" in second and "<i>意見50" not in second
    assert (
        hearing_client.get(
            reverse("surveys_staff:texts", args=[sample.survey.pk, sample.single.pk])
        ).status_code
        == 404
    )


def test_results_page_query_count_does_not_grow_with_responses(sample, hearing_client, districts):
    url = reverse("surveys_staff:results", args=[sample.survey.pk])
    params = {"crosstab": sample.multiple.pk, "by": "district"}

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert hearing_client.get(url, params).status_code == 200
        return len(captured)

    for index in range(3):
        sample.answer(
            single="広報紙",
            multiple=["図書館"],
            scale="3",
            number=str(index),
            text="x",
            district=districts[0],
        )
    few = queries()
    for index in range(60):
        sample.answer(
            single=["広報紙", "SNS"][index % 2],
            multiple=["図書館", "公民館", "窓口"][: index % 3 + 1],
            scale=str(index % 5 + 1),
            number=str(index),
            text=f"意見{index}",
            age_band=["20s", "50s", "70s"][index % 3],
            district=districts[index % 3],
        )
    many = queries()
    assert many == few < 40, (few, many)
