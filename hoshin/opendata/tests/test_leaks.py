"""The attacker's test: canaries planted in everything unpublished never reach open data.

A draft plan (its name, nodes, actions and a department only it names), sheets in every stage
before publication, a published sheet of a draft plan, review comments and staff comments all
carry canary text and canary numbers; every dataset in every format (and the catalogue and
dictionary pages) is downloaded and searched for them.
"""

import io
import json

import pytest
from django.urls import reverse

from hoshin.opendata.datasets import DATASETS
from hoshin.opendata.tests.builders import attacked_results
from hoshin.plans.models import Plan

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.filterwarnings("ignore:No directory at:UserWarning"),
]

CANARY_NUMBERS = ("24680", "13579", "97531", "86420")
FORMATS = [("csv", {}), ("csv", {"encoding": "cp932"}), ("json", {}), ("xlsx", {})]


def as_text(response, fmt: str, params: dict) -> str:
    data = b"".join(response.streaming_content) if response.streaming else response.content
    if fmt == "xlsx":
        from openpyxl import load_workbook

        workbook = load_workbook(io.BytesIO(data))
        return "\n".join(
            str(value)
            for sheet in workbook.worksheets
            for row in sheet.iter_rows(values_only=True)
            for value in row
            if value is not None
        )
    if fmt == "json":
        return json.dumps(json.loads(data), ensure_ascii=False)
    return data.decode("cp932" if params else "utf-8-sig")


def every_download(client) -> dict[str, str]:
    texts = {}
    for name in DATASETS:
        for fmt, params in FORMATS:
            response = client.get(reverse("opendata:download", args=[name, fmt]), params)
            assert response.status_code == 200, (name, fmt, params)
            texts[f"{name}.{fmt}{params}"] = as_text(response, fmt, params)
    for page in ("opendata:catalogue", "opendata:dictionary"):
        texts[page] = client.get(reverse(page)).content.decode()
    return texts


def test_no_canary_reaches_any_dataset_in_any_format(client):
    attacked = attacked_results()
    texts = every_download(client)
    found = [
        f"{needle} in {where}"
        for where, text in texts.items()
        for needle in (*attacked.canaries, *CANARY_NUMBERS)
        if needle in text
    ]
    assert not found, found
    # …while the published sheet is there: the test would notice an empty download.
    assert "ハザードマップを配布した" in texts["sheets.csv{}"]
    assert "説明会の開催回数" in texts["indicators.json{}"]


def test_filtering_by_a_draft_plan_reveals_nothing(client):
    attacked_results()
    draft = Plan.objects.filter(is_published=False).first()
    missing = Plan.objects.order_by("-pk").first().pk + 100
    answers = []
    for plan_id in (draft.pk, missing):
        response = client.get(
            reverse("opendata:download", args=["actions", "csv"]), {"plan": plan_id}
        )
        assert response.status_code == 400
        answers.append(response.content.decode().replace(str(plan_id), "N"))
    assert answers[0] == answers[1]


def test_catalogue_counts_only_published_rows(client):
    attacked = attacked_results()
    page = client.get(reverse("opendata:catalogue")).content.decode()
    assert attacked.sheet.pk  # one published sheet among seven
    assert "1件" in page
    sheets_section = page.split('id="dataset-sheets"')[1].split("</section>")[0]
    assert "1件" in sheets_section
