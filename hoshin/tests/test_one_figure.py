"""One figure everywhere (issue 11): the same sheet read through every surface gives the same
numbers — staff sheet page (and its save-as-you-go JSON), public action page, sheet PDF, annual
report PDF, the staff XLSX, open-data CSV and JSON, and the API.

The sheets are built so that a surface using another rule gives another number: unit costs differ
between this year (8,000) and next year (8,100), one line has its own unit cost (9,000), FY2024
has no unit cost at all, and the output indicator's actual makes 0.1 and 0.01 roundings differ.
The expected values are worked out by hand below, not by the code under test.
"""

import csv
import io
import json
import re
from dataclasses import dataclass
from decimal import Decimal
from html.parser import HTMLParser

import openpyxl
import pypdf
import pytest
from django.urls import reverse

from conftest import shared_data
from hoshin.evaluations.models import CostLine, EvaluationSheet, StaffUnitCost, Stage
from hoshin.evaluations.services.sheets import indicator_add
from hoshin.evaluations.tests.factories import World, make_world, open_year, sheet_of
from hoshin.evaluations.tests.stage_helpers import advance, fill, people
from hoshin.lib.numbers import format_amount, format_quantity

pytestmark = pytest.mark.django_db

# Hand-computed. 人件費 = 人工 × unit cost (the line's own, else the column's year's; next year's
# budget uses next year's unit cost when set); 総コスト = 事業費 + 人件費.
# A, FY2025: unit costs 8,000 (FY2025) and 8,100 (FY2026).
A_2025 = {
    "previous_actual": (4000, None, None),  # FY2024 has no unit cost
    "budget": (5000, 2400, 7400),  # 0.3 × 8,000
    "actual": (5280, 3200, 8480),  # 0.4 × 8,000
    "next_budget": (5300, 4050, 9350),  # 0.5 × 8,100 (FY2026)
}
WRONG = ("9,300",)  # A's next budget at this year's unit cost (0.5 × 8,000 + 5,300)
# B, FY2025: the actual line has its own unit cost 9,000.
B_2025 = {
    "budget": (1000, 4000, 5000),  # 0.5 × 8,000
    "actual": (1000, 4500, 5500),  # 0.5 × 9,000 (the line's own)
    "next_budget": (1000, 4860, 5860),  # 0.6 × 8,100
}
# A, FY2024: its own year has no unit cost; next year's budget uses FY2025's 8,000.
A_2024 = {
    "budget": (0, 0, 0),  # no person-years: no staff cost, even without a unit cost
    "actual": (4000, None, None),
    "next_budget": (5000, 1600, 6600),  # 0.2 × 8,000
}
# Output indicator of A FY2025: baseline 100, target 400, actual 300.
UNIT_COST = Decimal("28.27")  # 8,480 ÷ 300 = 28.266…, to 0.01 千円
PROGRESS = Decimal("0.6667")  # (300 − 100) ÷ (400 − 100), a ratio (1 = 100%), 4 places
ACHIEVEMENT = Decimal("0.7500")  # 300 ÷ 400
PROGRESS_TEXT, ACHIEVEMENT_TEXT = "66.7%", "75.0%"


def amount(value) -> str:
    return "－" if value is None else f"{value:,}"


@dataclass
class Figures:
    world: World
    a_2024: EvaluationSheet
    a_2025: EvaluationSheet
    b_2025: EvaluationSheet


def _costs(prefix_values: dict[str, tuple[dict, float]]) -> dict:
    raw = {}
    for kind, (funding, person_years) in prefix_values.items():
        for name, value in funding.items():
            raw[f"cost.{kind}.{name}"] = str(value)
        raw[f"cost.{kind}.person_years"] = str(person_years)
    return raw


@shared_data
def figures() -> Figures:
    world = make_world()
    StaffUnitCost.objects.create(fy=2025, amount=8000)
    StaffUnitCost.objects.create(fy=2026, amount=8100)
    cycle_2024 = open_year(world, 2024)
    a_2024 = fill(
        world,
        sheet_of(cycle_2024, world.bousai_action),
        _costs(
            {
                "actual": ({"general": 4000}, 0.5),
                "next_budget": ({"general": 5000}, 0.2),
            }
        ),
    )
    a_2024 = advance(world, a_2024, Stage.PUBLISHED)
    cycle = open_year(world, 2025)
    a_2025 = sheet_of(cycle, world.bousai_action)
    editor, _head = people(world, a_2025)
    output = indicator_add(
        sheet=a_2025, by=editor, name="配布世帯数", unit="世帯", expected_version=a_2025.version
    )
    a_2025 = fill(
        world,
        a_2025,
        {
            f"indicator.{output.pk}.baseline": "100",
            f"indicator.{output.pk}.target": "400",
            f"indicator.{output.pk}.actual": "300",
            **_costs(
                {
                    "budget": ({"general": 5000}, 0.3),
                    "actual": ({"general": 5200, "national": 80}, 0.4),
                    "next_budget": ({"general": 5300}, 0.5),
                }
            ),
        },
    )
    EvaluationSheet.objects.filter(pk=a_2025.pk).update(unit_cost_indicator=output)
    a_2025 = advance(world, a_2025, Stage.PUBLISHED)
    b_2025 = fill(
        world,
        sheet_of(cycle, world.zaisei_action),
        _costs(
            {
                "budget": ({"general": 1000}, 0.5),
                "actual": ({"general": 1000}, 0.5),
                "next_budget": ({"general": 1000}, 0.6),
            }
        ),
    )
    CostLine.objects.filter(sheet=b_2025, kind="actual").update(staff_unit_cost=9000)
    b_2025 = advance(world, b_2025, Stage.PUBLISHED)
    return Figures(world, a_2024, a_2025, b_2025)


# ---- reading the surfaces


class Tables(HTMLParser):
    """Every table of a page as rows of cell texts (th and td alike), as seen (no hidden text)."""

    def __init__(self):
        super().__init__()
        self.tables: list[list[list[str]]] = []
        self._cell: list[str] | None = None
        self._hidden = False

    def handle_starttag(self, tag, attrs):
        if "visually-hidden" in (dict(attrs).get("class") or ""):
            self._hidden = True
        elif tag == "table":
            self.tables.append([])
        elif tag == "tr" and self.tables:
            self.tables[-1].append([])
        elif tag in ("td", "th") and self.tables:
            self._cell = []

    def handle_endtag(self, tag):
        if tag == "span":
            self._hidden = False
        if tag in ("td", "th") and self._cell is not None:
            self.tables[-1][-1].append(" ".join("".join(self._cell).split()))
            self._cell = None

    def handle_data(self, data):
        if self._cell is not None and not self._hidden:
            self._cell.append(data)


def tables(html: str) -> list[list[list[str]]]:
    parser = Tables()
    parser.feed(html)
    return parser.tables


def row_values(table: list[list[str]], label: str) -> list[str]:
    for row in table:
        if row and row[0].startswith(label):
            return row[1:]
    raise AssertionError(f"no row {label!r} in {table}")


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in pypdf.PdfReader(io.BytesIO(data)).pages)


def pdf_rows(text: str, label: str, width: int) -> list[list[str]]:
    """The values after each row label of a printed table (pypdf gives one cell a line)."""
    flat = " ".join(text.split())
    cells = r" ([\d,.△－]+)" * width
    return [list(found) for found in re.findall(re.escape(label) + r"\S*" + cells, flat)]


def body(response) -> bytes:
    assert response.status_code == 200, response
    return b"".join(response.streaming_content) if response.streaming else response.content


def expected_columns(sheet_figures: dict) -> dict[str, list[str]]:
    """Project / staff / total per column, as printed (columns in the sheet's order)."""
    return {
        what: [amount(values[index]) for values in sheet_figures.values()]
        for index, what in enumerate(("事業費 計", "人件費", "総コスト"))
    }


# ---- the surfaces


def test_staff_sheet_page_shows_the_figures_and_names_the_unit_costs_it_used(client, figures):
    client.force_login(figures.world.planner)
    html = client.get(reverse("evaluations:sheet", args=[figures.a_2025.pk])).content.decode()
    outputs = dict(re.findall(r'<output id="([\w-]+)">([^<]*)</output>', html))
    for kind in ("budget", "actual", "next_budget"):
        project, staff, total = A_2025[kind]
        assert outputs[f"c-cost-{kind}-project"] == amount(project)
        assert outputs[f"c-cost-{kind}-staff"] == amount(staff), kind
        assert outputs[f"c-cost-{kind}-total"] == amount(total), kind
    assert re.search(r'id="c-unit-cost">\s*' + re.escape(f"{UNIT_COST}"), html)
    table = next(t for t in tables(html) if any(r and r[0] == "人件費" for r in t))
    assert row_values(table, "人件費")[0] == amount(A_2025["previous_actual"][1])
    # The note names each unit cost used and its year, not only this year's.
    note = re.search(r'<p class="hint">([^<]*人件費単価[^<]*)</p>', html).group(1)
    assert "8,000千円" in note and "2025" in note
    assert "8,100千円" in note and "2026" in note
    assert PROGRESS_TEXT in html and ACHIEVEMENT_TEXT in html

    b = client.get(reverse("evaluations:sheet", args=[figures.b_2025.pk])).content.decode()
    outputs = dict(re.findall(r'<output id="([\w-]+)">([^<]*)</output>', b))
    for kind, values in B_2025.items():
        got = tuple(outputs[f"c-cost-{kind}-{what}"] for what in ("project", "staff", "total"))
        assert got == tuple(amount(v) for v in values), kind
    note = re.search(r'<p class="hint">([^<]*人件費単価[^<]*)</p>', b).group(1)
    assert "9,000千円" in note


def test_public_action_page_shows_the_same_figures(client, figures):
    html = client.get(reverse("portal:action", args=[figures.a_2025.action_id])).content.decode()
    table = next(t for t in tables(html) if any(r and r[0] == "人件費" for r in t))
    for label, values in expected_columns(A_2025).items():
        assert row_values(table, label) == values, label
    assert row_values(table, "単位コスト")[2] == f"{UNIT_COST}"
    assert PROGRESS_TEXT in html and ACHIEVEMENT_TEXT in html
    b = client.get(reverse("portal:action", args=[figures.b_2025.action_id])).content.decode()
    table = next(t for t in tables(b) if any(r and r[0] == "人件費" for r in t))
    for label, values in expected_columns(B_2025).items():
        assert row_values(table, label) == values, label


def test_sheet_pdf_and_annual_report_print_the_same_figures(client, figures):
    sheet = pdf_text(
        body(client.get(reverse("reports:sheet_pdf", args=[figures.a_2025.action_id, 2025])))
    )
    annual = pdf_text(
        body(client.get(reverse("reports:annual_pdf", args=[figures.world.plan.pk, 2025])))
    )
    for text in (sheet, annual):
        for label, values in expected_columns(A_2025).items():
            assert values in pdf_rows(text, label, len(values)), label
        flat = " ".join(text.split())
        assert f"{UNIT_COST}" in flat
        assert PROGRESS_TEXT in flat and ACHIEVEMENT_TEXT in flat
        for wrong in WRONG:
            assert wrong not in flat
    for label, values in expected_columns(B_2025).items():
        assert values in pdf_rows(annual, label, len(values)), label


def test_staff_xlsx_gives_the_same_figures(client, figures):
    client.force_login(figures.world.planner)
    response = client.get(reverse("reports:annual_xlsx", args=[figures.world.plan.pk, 2025]))
    book = openpyxl.load_workbook(io.BytesIO(body(response)))
    details = book["評価シート"]
    header = [cell.value for cell in details[1]]
    rows = [dict(zip(header, row, strict=True)) for row in details.iter_rows(2, values_only=True)]
    by_subject = {row["取組・施策"]: row for row in rows}
    for sheet, expected in ((figures.a_2025, A_2025), (figures.b_2025, B_2025)):
        row = by_subject[sheet.action.text]
        assert row["人件費（決算・千円）"] == expected["actual"][1]
        assert row["総コスト（決算・千円）"] == expected["actual"][2]
    indicators = book["指標"]
    header = [cell.value for cell in indicators[1]]
    (row,) = [dict(zip(header, r, strict=True)) for r in indicators.iter_rows(2, values_only=True)]
    assert Decimal(str(row["進捗率"])) == PROGRESS
    assert Decimal(str(row["達成率"])) == ACHIEVEMENT


def _by_column(rows: list[dict], sheet: EvaluationSheet) -> dict[str, tuple]:
    def number(value):
        return None if value in (None, "") else int(Decimal(str(value)))

    return {
        row["kind"]: (
            number(row["project_cost"]),
            number(row["staff_cost"]),
            number(row["total_cost"]),
        )
        for row in rows
        if int(row["sheet_id"]) == sheet.pk
    }


def _expected(sheet_figures: dict) -> dict:
    return {kind: values for kind, values in sheet_figures.items() if kind != "previous_actual"}


def test_open_data_csv_json_and_api_give_the_same_figures(client, figures):
    def csv_rows(name):
        text = body(client.get(f"/opendata/{name}.csv")).decode("utf-8-sig")
        rows = list(csv.reader(io.StringIO(text)))
        # Japanese or English headers: map by position onto the JSON's machine names.
        keys = list(json_rows(name)[0])
        return [dict(zip(keys, row, strict=True)) for row in rows[1:]]

    def json_rows(name):
        return json.loads(body(client.get(f"/opendata/{name}.json")))["rows"]

    def api_rows(name):
        return json.loads(body(client.get(f"/api/v1/{name}?limit=100")))["results"]

    for read in (csv_rows, json_rows, api_rows):
        rows = read("costs")
        assert _by_column(rows, figures.a_2025) == _expected(A_2025), read.__name__
        assert _by_column(rows, figures.b_2025) == _expected(B_2025), read.__name__
        assert _by_column(rows, figures.a_2024) == A_2024, read.__name__
        (indicator,) = [r for r in read("indicators") if int(r["sheet_id"]) == figures.a_2025.pk]
        assert Decimal(str(indicator["progress_rate"])) == PROGRESS, read.__name__
        assert Decimal(str(indicator["achievement_rate"])) == ACHIEVEMENT, read.__name__


def test_api_action_results_give_the_same_figures_and_document_rates_as_ratios(client, figures):
    action = json.loads(body(client.get(f"/api/v1/actions/{figures.a_2025.action_id}")))
    result = next(r for r in action["results"] if r["fy"] == 2025)
    columns = result["cost"]["columns"]
    got = [(c["project_cost"], c["staff_cost"], c["total_cost"]) for c in columns]

    def number(value):
        return None if value is None else int(Decimal(str(value)))

    assert [tuple(number(v) for v in column) for column in got] == list(A_2025.values())
    actual = next(c for c in columns if c["fy"] == 2025 and c["unit_cost"] is not None)
    assert Decimal(str(actual["unit_cost"])) == UNIT_COST
    (indicator,) = result["indicators"]
    assert Decimal(str(indicator["progress_rate"])) == PROGRESS
    assert Decimal(str(indicator["achievement_rate"])) == ACHIEVEMENT
    schema = json.loads(body(client.get("/api/v1/openapi.json")))
    described = schema["components"]["schemas"]["IndicatorOut"]["properties"]
    for name in ("progress_rate", "achievement_rate"):
        description = json.dumps(described[name], ensure_ascii=False)
        assert "1 が 100%" in description and "(%)" not in description, description


def test_save_as_you_go_recomputes_with_the_same_rule(client, figures):
    """The staff page's live figures come from the server: the same rule after an edit."""
    world = figures.world
    cycle = figures.a_2025.cycle
    sheet = sheet_of(cycle, world.shared_action)
    editor, _head = people(world, sheet)
    client.force_login(editor)
    response = client.post(
        reverse("evaluations:sheet_autosave", args=[sheet.pk]),
        {
            "version": sheet.version,
            "cost.next_budget.general": "100",
            "cost.next_budget.person_years": "1",
        },
    )
    assert response.status_code == 200, response.content[:300]
    computed = response.json()["computed"]
    assert computed["c-cost-next_budget-staff"] == "8,100"
    assert computed["c-cost-next_budget-total"] == "8,200"


# ---- the whole demo (sheet 80 of `make demo` was the reported case)


@shared_data
def demo_plan():
    from hoshin.evaluations.tests.test_demo_data import seeded_demo

    return seeded_demo.shared_builder()


def test_every_published_demo_sheet_shows_the_staff_figures_to_citizens(demo_plan):
    """Staff page (save-as-you-go ids) and public cost table agree for every demo sheet."""
    from hoshin.evaluations.selectors.public import action_results_public
    from hoshin.evaluations.views.workspace_costs import cost_computed
    from hoshin.evaluations.views.workspace_data import SheetData

    sheets = EvaluationSheet.objects.published().filter(cycle__plan=demo_plan, action__isnull=False)
    compared = 0
    for sheet in sheets.select_related("cycle", "action"):
        staff = cost_computed(SheetData.load(sheet))
        public = next(
            s for s in action_results_public(action=sheet.action).sheets if s.fy == sheet.cycle.fy
        )
        if public.cost is None:
            continue
        shown = {column.fy: column for column in public.cost.columns}
        for kind, offset in (("budget", 0), ("actual", 0), ("next_budget", 1)):
            matching = [c for c in public.cost.columns if c.fy == sheet.cycle.fy + offset]
            column = matching[0] if kind == "budget" or offset else matching[-1]
            got = (staff[f"c-cost-{kind}-staff"], staff[f"c-cost-{kind}-total"])
            expected = (format_amount(column.staff_cost), format_amount(column.total_cost))
            assert got == expected, (sheet.pk, kind)
        actual_unit = shown[sheet.cycle.fy].unit_cost
        if actual_unit is not None:
            assert staff["c-unit-cost"] == format_quantity(actual_unit), sheet.pk
        compared += 1
    assert compared > 50
