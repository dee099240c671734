"""Issue 11 item 8: Japanese CSV headers by default (English ones on request, byte for byte as
before), label columns that say what a code means, and text that is never cut."""

import csv
import io
import json
import re
from pathlib import Path

import pytest
from django.urls import reverse

from conftest import shared_data
from hoshin.evaluations.models import EvaluationSheet
from hoshin.opendata.datasets import DATASETS
from hoshin.opendata.tests.builders import EXCEL_CHARS, published_results
from hoshin.plans.models import Action

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.filterwarnings("ignore:No directory at:UserWarning"),
]

BOM = b"\xef\xbb\xbf"


def download(client, dataset: str, fmt: str, **params) -> bytes:
    response = client.get(reverse("opendata:download", args=[dataset, fmt]), params)
    assert response.status_code == 200, response.content
    return b"".join(response.streaming_content) if response.streaming else response.content


def first_line_and_rest(data: bytes) -> tuple[bytes, bytes]:
    line, _, rest = data.partition(b"\r\n")
    return line, rest


@shared_data
def results():
    return published_results()


@pytest.mark.parametrize("dataset", list(DATASETS))
def test_csv_headers_are_japanese_by_default_and_english_on_request(client, results, dataset):
    chosen = DATASETS[dataset]
    japanese = download(client, dataset, "csv")
    english = download(client, dataset, "csv", headers="en")
    ja_header, ja_rows = first_line_and_rest(japanese)
    en_header, en_rows = first_line_and_rest(english)
    # The English header row is the one every earlier release wrote: the names, comma-separated.
    assert en_header == BOM + ",".join(chosen.column_names).encode()
    labels = chosen.headings("ja")
    assert ja_header == BOM + ",".join(labels).encode("utf-8")
    assert len(set(labels)) == len(labels)  # a header names one column
    assert all(not label.isascii() for label in labels)
    assert ja_rows == en_rows and ja_rows  # only the header differs
    # Shift_JIS too; and an explicit headers=ja is the default.
    sjis = download(client, dataset, "csv", encoding="cp932")
    assert first_line_and_rest(sjis)[0].decode("cp932") == ",".join(labels)
    assert download(client, dataset, "csv", headers="ja") == japanese


def test_japanese_headers_do_not_follow_the_page_language(client, results):
    """A file's header is its format: the same whatever Accept-Language says."""
    japanese = download(client, "sheets", "csv")
    english_reader = client.get(
        reverse("opendata:download", args=["sheets", "csv"]), HTTP_ACCEPT_LANGUAGE="en"
    )
    assert b"".join(english_reader.streaming_content) == japanese


def test_kept_downloads_are_one_file_per_header_choice(client, results, settings):
    japanese = download(client, "costs", "csv")
    english = download(client, "costs", "csv", headers="en")
    assert japanese != english
    assert download(client, "costs", "csv") == japanese  # the kept file, not the English one
    assert download(client, "costs", "csv", headers="en") == english
    kept = [p for p in Path(settings.HOSHIN_DOWNLOAD_CACHE_DIR).rglob("*") if p.is_file()]
    assert len(kept) == 2


def test_the_dictionary_gives_both_names_of_every_column(client, results):
    html = client.get(reverse("opendata:dictionary")).content.decode()
    assert "headers=en" in html
    for dataset in DATASETS.values():
        for column in dataset.columns:
            assert re.search(
                rf"<code>{column.name}</code></th><td[^>]*>{re.escape(str(column.label))}</td>",
                html,
            )


def test_json_keys_stay_the_machine_names_with_the_japanese_label_beside(client, results):
    document = json.loads(download(client, "sheets", "json"))
    assert list(document["rows"][0]) == DATASETS["sheets"].column_names
    assert document["columns"][0] == {
        "name": "sheet_id",
        "label": "評価シートID",
        "type": "integer",
    }


# ---- label columns ------------------------------------------------------------------------------


def _records(client, dataset: str) -> list[dict]:
    return json.loads(download(client, dataset, "json"))["rows"]


@pytest.mark.parametrize("dataset", list(DATASETS))
def test_every_label_column_says_more_than_its_code(client, results, dataset):
    """``x_label`` beside ``x``: never empty where the code is set, never the code again."""
    pairs = [
        (c.name, c.name.removesuffix("_label"))
        for c in DATASETS[dataset].columns
        if c.name.endswith("_label")
        and c.name.removesuffix("_label") in DATASETS[dataset].column_names
    ]
    records = _records(client, dataset)
    assert records
    for record in records:
        for label, code in pairs:
            if record[code] not in (None, ""):
                assert record[label], (dataset, label, record)
                assert str(record[label]) != str(record[code]), (dataset, label, record)


def test_grade_labels_are_the_words_of_the_scale(client, results):
    sheet = EvaluationSheet.objects.get(pk=results.sheet.pk)
    grades = {item["code"]: item for item in sheet.scales["grades"]}
    scales = dict(sheet.scales)
    # A city's scale where the label is only the letter (as the default one is): B → 概ね順調.
    scales["grades"] = [
        {"code": "B", "label": "B", "meaning": "概ね順調"},
        *(item for code, item in grades.items() if code != "B"),
    ]
    scales["progress_grades"] = [{"code": "A", "label": "A", "meaning": "良好"}]
    EvaluationSheet.objects.filter(pk=sheet.pk).update(
        overall_grade="B", progress_grade="A", scales=scales
    )
    (record,) = _records(client, "sheets")
    assert record["overall_grade"] == "B" and record["overall_grade_label"] == "概ね順調"
    assert record["progress_grade_label"] == "良好"
    assert record["progress_status_label"] == "取組中"


def test_a_code_missing_from_the_frozen_scale_is_named_by_the_default_scale(client, results):
    EvaluationSheet.objects.filter(pk=results.sheet.pk).update(
        future_direction="continue", scales={"blocks": results.sheet.scales.get("blocks")}
    )
    (record,) = _records(client, "sheets")
    assert record["future_direction"] == "continue"
    assert record["future_direction_label"] == "継続"


# ---- nothing cut --------------------------------------------------------------------------------


def test_a_long_subject_survives_byte_for_byte_in_every_format(client, results):
    subject = (
        f"長い取組の内容{EXCEL_CHARS}、" + "市民と行政の協働による地域課題の解決を進める。" * 12
    )
    assert len(subject) > 200
    action = results.world.bousai_action
    Action.objects.filter(pk=action.pk).update(title="", text=subject)

    (record,) = json.loads(download(client, "sheets", "json"))["rows"]
    assert record["subject"] == subject

    data = download(client, "sheets", "csv", headers="en")
    header, row = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert dict(zip(header, row, strict=True))["subject"] == subject
    assert subject.encode() in data

    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(download(client, "sheets", "xlsx"))).worksheets[0]
    rows = list(sheet.iter_rows(values_only=True))
    assert dict(zip(rows[0], rows[1], strict=True))["subject"] == subject

    (action_row,) = [r for r in _records(client, "actions") if r["action_id"] == action.pk]
    assert action_row["text"] == subject
