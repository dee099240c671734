"""Downloads as users open them: Excel (BOM / CP932 / XLSX), programs (JSON), and bad input."""

import csv
import io
import json
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils.http import http_date

from conftest import shared_data
from hoshin.evaluations.models import EvaluationSheet
from hoshin.lib.spreadsheets import cp932_message
from hoshin.opendata.datasets import DATASETS
from hoshin.opendata.tests.builders import EXCEL_CHARS, published_results
from hoshin.plans.models import Action

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.filterwarnings("ignore:No directory at:UserWarning"),
]


def url(dataset: str, fmt: str) -> str:
    return reverse("opendata:download", args=[dataset, fmt])


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def read_csv(data: bytes, encoding: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode(encoding), newline="")))


def csv_records(data: bytes, encoding: str, dataset: str) -> list[dict]:
    """The rows keyed by machine name, after checking the Japanese header (the default)."""
    header, *rows = read_csv(data, encoding)
    assert header == DATASETS[dataset].headings("ja")
    names = DATASETS[dataset].column_names
    return [dict(zip(names, row, strict=True)) for row in rows]


def read_xlsx(data: bytes):
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(data))
    return workbook, [list(row) for row in workbook.worksheets[0].iter_rows(values_only=True)]


@shared_data
def results():
    """Built once for the download tests (each runs in its own transaction)."""
    return published_results()


def test_csv_is_utf8_with_bom_and_reads_back_as_excel_would(client, results):
    response = client.get(url("sheets", "csv"))
    assert response.status_code == 200 and response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    data = body(response)
    assert data.startswith(b"\xef\xbb\xbf") and data.count(b"\xef\xbb\xbf") == 1
    header = read_csv(data, "utf-8-sig")[0]
    assert header[:4] == ["評価シートID", "取組ID", "計画ID", "年度"]
    (record,) = csv_records(data, "utf-8-sig", "sheets")
    assert record["purpose_target"] == f"市民（{EXCEL_CHARS}）"
    assert record["activities"] == "ハザードマップを配布した。\n説明会を9回開いた。"
    assert record["fy"] == "2025" and record["progress_status_label"] == "取組中"
    assert b"\r\n" in data  # Excel's line ends


def test_csv_cp932_keeps_nec_and_ibm_extension_characters(client, results):
    response = client.get(url("sheets", "csv"), {"encoding": "cp932"})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=Shift_JIS"
    data = body(response)
    assert not data.startswith(b"\xef\xbb\xbf")
    (record,) = csv_records(data, "cp932", "sheets")
    assert record["purpose_target"] == f"市民（{EXCEL_CHARS}）"
    assert "sjis" in response["Content-Disposition"]


@pytest.mark.parametrize("char", ["𠮷", "😀", "〜"])
def test_csv_cp932_refuses_characters_it_cannot_hold_and_suggests_utf8(client, results, char):
    Action.objects.filter(pk=results.world.bousai_action.pk).update(text=f"取組{char}の説明")
    response = client.get(url("actions", "csv"), {"encoding": "cp932"})
    assert response.status_code == 400
    message = response.content.decode()
    assert "内容" in message and char in message and "UTF-8" in message
    assert f"action_id={results.world.bousai_action.pk}" in message
    utf8 = body(client.get(url("actions", "csv"))).decode("utf-8-sig")
    assert char in utf8
    # The one message of every CSV hoshin writes, at the line an editor shows.
    header = read_csv(utf8.encode(), "utf-8-sig")[0]
    assert (
        message
        == cp932_message(
            line=utf8[: utf8.index(f"取組{char}")].count("\n") + 1,
            column=header.index("内容") + 1,
            title="内容",
            label=f"action_id={results.world.bousai_action.pk}",
            char=char,
        )
        + "\n"
    )


def test_csv_escapes_text_that_looks_like_a_formula_but_not_numbers(client, results):
    EvaluationSheet.objects.filter(pk=results.sheet.pk).update(effect_savings=-300)
    (record,) = csv_records(body(client.get(url("sheets", "csv"))), "utf-8-sig", "sheets")
    assert record["department_comment"] == "'=1+1 は数式ではなく文字です。"
    (record,) = csv_records(body(client.get(url("effects", "csv"))), "utf-8-sig", "effects")
    assert record["effect_savings"] == "-300" and record["effect_total"] == "-300"


def test_json_parses_with_exact_numbers_and_licence(client, results):
    response = client.get(url("indicators", "json"))
    assert response.status_code == 200 and response.streaming
    document = json.loads(body(response), parse_float=Decimal)
    assert document["dataset"] == "indicators"
    assert [c["name"] for c in document["columns"]] == DATASETS["indicators"].column_names
    assert "CC BY 4.0" in document["license"]["name"] and document["attribution"]
    (row,) = document["rows"]
    assert row["baseline"] == 4 and row["progress_rate"] == Decimal("0.8333")
    assert row["target_met"] is False and row["fy"] == 2025


def test_json_of_an_empty_dataset_is_valid(client):
    document = json.loads(body(client.get(url("sheets", "json"))))
    assert document["rows"] == []


def test_xlsx_reads_back_with_types_and_text_never_becomes_a_formula(client, results):
    response = client.get(url("sheets", "xlsx"))
    assert response.status_code == 200
    workbook, rows = read_xlsx(body(response))
    assert rows[0] == DATASETS["sheets"].column_names
    record = dict(zip(rows[0], rows[1], strict=True))
    assert record["fy"] == 2025 and record["purpose_target"] == f"市民（{EXCEL_CHARS}）"
    assert record["department_comment"] == "=1+1 は数式ではなく文字です。"
    cell = workbook.worksheets[0].cell(row=2, column=rows[0].index("department_comment") + 1)
    assert cell.data_type == "s" and cell.quotePrefix  # text, never a formula
    about = [row[0] for row in workbook.worksheets[1].iter_rows(values_only=True)]
    assert "purpose_target" in about and "ライセンス" in about


def test_xlsx_drops_control_characters_excel_cannot_hold(client, results):
    Action.objects.filter(pk=results.world.bousai_action.pk).update(text="取組\x0bの説明")
    _, rows = read_xlsx(body(client.get(url("actions", "xlsx"))))
    texts = [row[rows[0].index("text")] for row in rows[1:]]
    assert "取組の説明" in texts


@pytest.mark.parametrize("dataset", list(DATASETS))
@pytest.mark.parametrize("fmt", ["csv", "json", "xlsx"])
def test_every_dataset_downloads_in_every_format(client, results, dataset, fmt):
    response = client.get(url(dataset, fmt))
    assert response.status_code == 200
    assert "filename*=utf-8''" in response["Content-Disposition"]
    assert f"_{dataset}.{fmt}" in response["Content-Disposition"]
    assert response["Last-Modified"]
    assert not response.cookies
    data = body(response)
    if fmt == "csv":
        assert read_csv(data, "utf-8-sig")[0] == DATASETS[dataset].headings("ja")
    elif fmt == "json":
        assert json.loads(data)["rows"]
    else:
        assert read_xlsx(data)[1][0] == DATASETS[dataset].column_names


def test_filters_reach_the_download(client, results):
    plan = results.world.plan.pk
    data = body(client.get(url("sheets", "csv"), {"plan": plan, "fy": "令和7年度", "grade": "A"}))
    assert len(read_csv(data, "utf-8-sig")) == 2
    data = body(client.get(url("actions", "csv"), {"department": results.world.zaisei.pk}))
    assert len(read_csv(data, "utf-8-sig")) == 3  # header, zaisei's own, shared


def test_if_modified_since_answers_304(client, results):
    first = client.get(url("plans", "csv"))
    again = client.get(url("plans", "csv"), HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert again.status_code == 304
    stale = client.get(url("plans", "csv"), HTTP_IF_MODIFIED_SINCE=http_date(0))
    assert stale.status_code == 200


@pytest.mark.parametrize(
    ("path", "params", "status", "words"),
    [
        ("sheets.pdf", {}, 404, ["pdf", "csv"]),
        ("secrets.csv", {}, 404, ["secrets", "sheets"]),
        ("sheets.csv", {"fy": "abc"}, 400, ["fy", "abc"]),
        ("sheets.csv", {"plan": "-1"}, 400, ["plan"]),
        ("sheets.csv", {"plan": "9" * 1000}, 400, ["plan", "長すぎ"]),
        ("sheets.csv", {"grade": "A\x01"}, 400, ["grade", "制御文字"]),
        ("sheets.csv", {"department": "999999"}, 400, ["department"]),
        ("plans.csv", {"grade": "A"}, 400, ["grade"]),
        ("sheets.csv", {"encoding": "latin-1"}, 400, ["encoding", "cp932"]),
        ("sheets.json", {"encoding": "cp932"}, 400, ["encoding"]),
        ("sheets.csv", {"headers": "jp"}, 400, ["headers", "ja", "en"]),
        ("sheets.json", {"headers": "en"}, 400, ["headers", "CSV"]),
        ("sheets.xlsx", {"headers": "en"}, 400, ["headers", "CSV"]),
    ],
)
def test_bad_input_answers_4xx_with_a_message_naming_it(
    client, results, path, params, status, words
):
    response = client.get(f"/opendata/{path}", params)
    assert response.status_code == status
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    message = response.content.decode()
    for word in words:
        assert word in message, (word, message)


def test_downloads_refuse_post(client, results):
    assert client.post(url("plans", "csv")).status_code == 405


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t", "\r"])
def test_csv_escapes_published_text_with_every_formula_start(client, results, start):
    """Issue 10, finding 5: published text starting like a formula was a live formula in the open
    data CSV; it is escaped by the one policy (``lib.spreadsheets.csv_escape``)."""
    text = f'{start}HYPERLINK("http://example.invalid")'
    EvaluationSheet.objects.filter(pk=results.sheet.pk).update(department_comment=text)
    (record,) = csv_records(body(client.get(url("sheets", "csv"))), "utf-8-sig", "sheets")
    assert record["department_comment"] == "'" + text


def test_credit_line_names_the_city(client, results, settings):
    settings.HOSHIN_CITY_NAME = "ほしの市"
    document = json.loads(body(client.get(url("indicators", "json"))))
    assert document["attribution"].startswith("出典：ほしの市 行政経営ポータル オープンデータ")
    page = client.get(reverse("opendata:catalogue")).content.decode()
    assert "出典：ほしの市 行政経営ポータル オープンデータ" in page
