"""The dataset registry: documented columns, filters, published rows and the blocks rule."""

import datetime
from decimal import Decimal

import pytest
from django.db import transaction

from hoshin.evaluations.models import EvaluationSheet
from hoshin.opendata.datasets import DATASETS, FilterError, dataset_get
from hoshin.opendata.models import DatasetChange
from hoshin.opendata.tests.builders import EXCEL_CHARS, published_results
from hoshin.plans.models import Plan
from hoshin.plans.services import plan_set_published

pytestmark = [pytest.mark.django_db]

# The documented column names (docs/open-data.md). Renaming one breaks users' programs: a
# change here must be an addition at the end, never an edit.
DOCUMENTED = {
    "plans": "plan_id name kind kind_label start_fy end_fy period_label description level_names "
    "action_level_name owner_office contact source_updated_on url",
    "nodes": "node_id plan_id parent_id depth level_name position number title vision "
    "challenges purpose url",
    "actions": "action_id plan_id node_id position number title text lead_department_id "
    "lead_department_name department_ids department_names key_projects url",
    "departments": "department_id name kind kind_label parent_id valid_from_fy valid_until_fy "
    "position url",
    "sheets": "sheet_id action_id plan_id fy department_id node_id subject_type subject fy_label "
    "department_name published_on overall_grade overall_grade_label future_direction "
    "future_direction_label progress_status progress_status_label progress_grade "
    "progress_grade_label purpose_target purpose_intent purpose_means legal_basis "
    "delivery_method delivery_method_label activities department_comment improvement_plan "
    "review_comment url",
    "indicators": "indicator_id sheet_id action_id plan_id fy department_id series_id position "
    "kind kind_label name unit direction direction_label baseline target actual progress_rate "
    "achievement_rate target_met",
    "costs": "cost_line_id sheet_id action_id plan_id fy department_id kind kind_label cost_fy "
    "national prefectural municipal_bonds other general project_cost person_years staff_cost "
    "total_cost",
    "effects": "sheet_id action_id plan_id fy department_id effect_savings effect_revenue "
    "effect_total",
}
TYPES = {"integer", "string", "decimal", "date", "datetime", "boolean"}


def rows_of(name: str, **params) -> list[dict]:
    dataset = dataset_get(name)
    return list(dataset.rows(dataset.queryset(dataset.parse_filters(params))))


def test_catalogue_order_and_column_names_are_the_documented_ones():
    assert list(DATASETS) == list(DOCUMENTED)
    for name, columns in DOCUMENTED.items():
        assert DATASETS[name].column_names == columns.split(), name


def test_every_column_has_a_known_type_a_label_and_a_description():
    for dataset in DATASETS.values():
        assert dataset.title and dataset.description
        for column in dataset.columns:
            assert column.type in TYPES, (dataset.name, column.name)
            assert str(column.label) and str(column.description), (dataset.name, column.name)
        assert set(dataset.filters) <= {"plan", "fy", "department", "grade", "direction"}


def test_unknown_dataset_raises_key_error():
    with pytest.raises(KeyError):
        dataset_get("secrets")


@pytest.mark.parametrize("typed", ["2025", "2025年度", "令和7年度", "R7", "ｒ７", "FY2025"])
def test_fiscal_year_filter_accepts_western_and_era_forms(typed):
    assert dataset_get("sheets").parse_filters({"fy": typed}) == {"fy": 2025}


@pytest.mark.parametrize(
    ("params", "param"),
    [
        ({"fy": "abc"}, "fy"),
        ({"fy": "平成40年度"}, "fy"),
        ({"plan": "-1"}, "plan"),
        ({"plan": "0"}, "plan"),
        ({"plan": "1.5"}, "plan"),
        ({"plan": "x" * 1000}, "plan"),
        ({"department": "1\x00"}, "department"),
        ({"grade": "A\nB"}, "grade"),
        ({"direction": "継" * 1000}, "direction"),
    ],
)
def test_bad_filter_values_name_their_parameter(params, param):
    with pytest.raises(FilterError) as caught:
        dataset_get("sheets").parse_filters(params)
    assert caught.value.param == param
    assert param in str(caught.value)


def test_a_filter_the_dataset_lacks_is_an_error_not_the_whole_table():
    with pytest.raises(FilterError) as caught:
        dataset_get("plans").parse_filters({"fy": "2025"})
    assert caught.value.param == "fy" and "plan" in str(caught.value)


def test_empty_and_unrelated_parameters_are_ignored():
    assert dataset_get("sheets").parse_filters({"fy": "", "encoding": "cp932", "page": "2"}) == {}


def test_a_draft_plan_id_is_refused_exactly_like_a_missing_one():
    results = published_results()
    draft = Plan.objects.create(name="下書きの計画", kind="reform", is_published=False)
    messages = []
    for plan_id in (draft.pk, draft.pk + 1000):
        with pytest.raises(FilterError) as caught:
            dataset_get("actions").parse_filters({"plan": str(plan_id)})
        messages.append(str(caught.value).replace(str(plan_id), "N"))
    assert messages[0] == messages[1]
    assert dataset_get("actions").parse_filters({"plan": str(results.world.plan.pk)})


def test_unknown_grade_lists_the_published_codes():
    published_results()
    with pytest.raises(FilterError) as caught:
        dataset_get("sheets").parse_filters({"grade": "Z"})
    assert caught.value.param == "grade" and "A" in str(caught.value)


def test_sheet_row_carries_official_fields_with_types_kept():
    results = published_results()
    (row,) = rows_of("sheets")
    assert list(row) == DATASETS["sheets"].column_names
    assert row["sheet_id"] == results.sheet.pk
    assert row["fy"] == 2025 and row["fy_label"] == "令和7年度（2025年度）"
    assert row["overall_grade"] == "A" and row["department_name"] == "地域防災対策室"
    assert row["purpose_target"] == f"市民（{EXCEL_CHARS}）"
    assert isinstance(row["published_on"], datetime.date)
    assert row["url"].endswith(f"/actions/{results.world.bousai_action.pk}/#result-2025")


def test_indicator_cost_and_effect_rows_with_rates_and_staff_cost():
    results = published_results()
    (indicator,) = rows_of("indicators")
    assert indicator["indicator_id"] == results.indicator_id
    assert indicator["baseline"] == Decimal(4) and indicator["actual"] == Decimal(9)
    assert indicator["progress_rate"] == Decimal("0.8333")  # (9-4)/(10-4)
    assert indicator["achievement_rate"] == Decimal("0.9000")
    assert indicator["target_met"] is False
    actual = next(row for row in rows_of("costs") if row["kind"] == "actual")
    assert actual["general"] == Decimal(1234) and actual["project_cost"] == Decimal(1234)
    assert actual["staff_cost"] == Decimal(4000)  # 0.5 person-years × 8,000千円
    assert actual["total_cost"] == Decimal(5234)
    (effect,) = rows_of("effects")
    assert effect["effect_savings"] == Decimal(500) and effect["effect_total"] == Decimal(500)


def test_blocks_the_template_leaves_out_are_left_out_of_the_datasets():
    results = published_results()
    scales = {**results.sheet.scales, "blocks": ["viewpoints"]}
    EvaluationSheet.objects.filter(pk=results.sheet.pk).update(scales=scales)
    (row,) = rows_of("sheets")
    assert row["purpose_target"] is None and row["progress_grade"] is None
    assert row["activities"]  # always printed
    assert rows_of("indicators") == [] and rows_of("costs") == [] and rows_of("effects") == []


def test_filters_select_rows():
    results = published_results()
    plan_id = str(results.world.plan.pk)
    assert len(rows_of("sheets", fy="R7", plan=plan_id, grade="A")) == 1
    assert rows_of("sheets", fy="2024") == []
    department = str(results.world.bousai.pk)
    assert {row["action_id"] for row in rows_of("actions", department=department)} == {
        results.world.bousai_action.pk,
        results.world.shared_action.pk,
    }
    assert rows_of("effects", department=str(results.world.zaisei.pk)) == []


def test_rows_accept_a_sliced_queryset_for_pagination():
    results = published_results()
    dataset = dataset_get("actions")
    page = list(dataset.rows(dataset.queryset({})[1:3]))
    everything = list(dataset.rows(dataset.queryset({})))
    assert page == everything[1:3] and len(everything) == 4
    assert results.world.plan.pk == everything[0]["plan_id"]


def test_publishing_stamps_the_affected_datasets_and_a_rollback_does_not():
    results = published_results()
    before = dataset_get("plans").last_modified()
    assert before is not None
    DatasetChange.objects.all().delete()
    try:
        with transaction.atomic():
            plan_set_published(plan=results.world.plan, published=False)
            raise RuntimeError
    except RuntimeError:
        pass
    assert not DatasetChange.objects.exists()
    plan_set_published(plan=results.world.plan, published=False)
    assert set(DatasetChange.objects.values_list("dataset", flat=True)) == set(DATASETS)
    assert dataset_get("plans").last_modified() >= before
