"""Shared set-up of the bulk round-trip tests: a year with filled sheets, workbook cell helpers."""

import io
from dataclasses import dataclass

import openpyxl

from hoshin.evaluations.bulk import layout
from hoshin.evaluations.models import EvaluationCycle, EvaluationSheet, Indicator
from hoshin.evaluations.services.sheets import indicator_add, sheet_update, sheet_values
from hoshin.evaluations.tests.factories import TODAY, World, make_world, open_year, sheet_of


@dataclass
class BulkWorld:
    world: World
    cycle: EvaluationCycle
    sheet: EvaluationSheet  # 防災: draft, filled in, one indicator
    shared: EvaluationSheet  # 防災 (co-responsible 財政): draft, empty
    zaisei: EvaluationSheet  # 財政課's own
    indicator: Indicator

    def __getattr__(self, name):
        # Only for the world's people and actions: copying asks for special names (and for
        # ``world`` itself) before the instance has any attributes.
        if name == "world" or name.startswith("__"):
            raise AttributeError(name)
        return getattr(self.world, name)


def bulk_world(fy: int = 2025) -> BulkWorld:
    world = make_world()
    cycle = open_year(world, fy)
    sheet = sheet_of(cycle, world.bousai_action)
    indicator = indicator_add(
        sheet=sheet, by=world.editor, name="配布部数", unit="部", expected_version=1
    )
    sheet_update(
        sheet=sheet,
        by=world.editor,
        raw={
            "purpose_target": "市民",
            "overall_grade": "B",
            "future_direction": "継続",
            f"indicator.{indicator.pk}.baseline": "100",
            f"indicator.{indicator.pk}.target": "1000",
            "cost.budget.general": "1200",
        },
        expected_version=2,
        today=TODAY,
    )
    return BulkWorld(
        world=world,
        cycle=cycle,
        sheet=EvaluationSheet.objects.get(pk=sheet.pk),
        shared=sheet_of(cycle, world.shared_action),
        zaisei=sheet_of(cycle, world.zaisei_action),
        indicator=indicator,
    )


def load(data: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(data))


def save(workbook: openpyxl.Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def column_of(ws, key: str) -> int:
    for cell in ws[layout.KEY_ROW]:
        if cell.value == key:
            return cell.column
    raise KeyError(key)


def row_of(ws, value, *, key: str = "sheet_id", kind: str | None = None) -> int:
    """The data row whose ``key`` column holds ``value`` (and, on the cost tab, ``kind``)."""
    column = column_of(ws, key)
    kind_column = column_of(ws, "kind") if kind else None
    for row in range(layout.FIRST_DATA_ROW, ws.max_row + 1):
        if ws.cell(row=row, column=column).value != value:
            continue
        if kind_column and ws.cell(row=row, column=kind_column).value != kind:
            continue
        return row
    raise KeyError(value)


def cell(workbook, tab: str, row_value, key: str, *, id_key="sheet_id", kind=None):
    ws = workbook[tab]
    return ws.cell(row=row_of(ws, row_value, key=id_key, kind=kind), column=column_of(ws, key))


def state() -> dict:
    """Every sheet's version, stage and values: equal before and after means "nothing saved"."""
    sheets = EvaluationSheet.objects.prefetch_related("indicators", "costs").order_by("pk")
    return {sheet.pk: (sheet.version, sheet.stage, sheet_values(sheet=sheet)) for sheet in sheets}
