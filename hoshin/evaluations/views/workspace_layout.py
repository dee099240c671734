"""The sheet page's form, built from the path catalogue (``fields``), grouped by block.

Every input is named by its path (``indicator.12.target``), so the page, the JSON endpoint of
save-as-you-go and the services speak the same language. Values computed from others (rates,
staff cost, totals, unit cost) carry an element id so that sheet.js can refresh them.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from hoshin.evaluations import fields as sheet_fields
from hoshin.evaluations.models import (
    DeliveryMethod,
    Direction,
    EvaluationSheet,
    Indicator,
    IndicatorKind,
)
from hoshin.evaluations.selectors.history import display_value
from hoshin.evaluations.services.sheets import as_text, sheet_values
from hoshin.evaluations.services.workflow import missing_for_submit
from hoshin.evaluations.views.workspace_costs import CostTable, cost_computed, cost_table
from hoshin.evaluations.views.workspace_data import Computed, SheetData
from hoshin.lib.numbers import format_amount, format_quantity, format_rate

SCALE_OF = {
    "overall_grade": "grades",
    "future_direction": "directions",
    "progress_status": "progress_statuses",
    "progress_grade": "progress_grades",
}
NUMBER_FIELDS = {"baseline", "target", "actual", "person_years"}


def input_id(path: str) -> str:
    """The element id of a path's input: indicator.12.target → f-indicator-12-target."""
    return "f-" + path.replace(".", "-").replace("_", "-")


def missing_fields(sheet: EvaluationSheet) -> list[tuple[str, str | None]]:
    """What submit still needs, each with the id of its input (None if it has none)."""
    by_label = {info.label: input_id(info.path) for info in sheet_fields.sheet_paths(sheet)}
    return [(label, by_label.get(label)) for label in missing_for_submit(sheet=sheet)]


@dataclass
class Choice:
    code: str
    label: str
    meaning: str = ""


@dataclass
class SheetInput:
    """One input of the form (or one value of the read view)."""

    path: str
    label: str
    widget: str  # text, textarea, number, select, radio
    value: str = ""
    display: str = ""
    short_label: str = ""
    choices: list[Choice] = field(default_factory=list)
    maxlength: int | None = None
    hint: str = ""
    error: str = ""
    warning: str = ""
    previous: str = ""
    conflict: str = ""

    @property
    def id(self) -> str:
        return input_id(self.path)

    @property
    def describedby(self) -> str:
        ids = []
        for name, present in (
            ("error", self.error),
            ("conflict", self.conflict),
            ("warning", self.warning),
            ("hint", self.hint),
            ("previous", self.previous),
        ):
            if present:
                ids.append(f"{self.id}-{name}")
        return " ".join(ids)


@dataclass
class IndicatorRow:
    indicator: Indicator
    number: int
    inputs: dict[str, SheetInput]
    previous: Indicator | None
    progress: Computed
    achievement: Computed
    note: Computed

    @property
    def previous_actual(self) -> str:
        return "" if self.previous is None else format_quantity(self.previous.actual, empty="")

    @property
    def previous_target(self) -> str:
        return "" if self.previous is None else format_quantity(self.previous.target, empty="")


@dataclass
class SheetLayout:
    """All inputs of a sheet by block, plus an index by path for errors and the summary."""

    purpose: list[SheetInput] = field(default_factory=list)
    activities: SheetInput | None = None
    viewpoints: list[SheetInput] = field(default_factory=list)
    judgement: list[SheetInput] = field(default_factory=list)
    improvement: SheetInput | None = None
    progress: list[SheetInput] = field(default_factory=list)
    indicators: list[IndicatorRow] = field(default_factory=list)
    costs: CostTable | None = None
    by_path: dict[str, SheetInput] = field(default_factory=dict)

    @property
    def errors(self) -> list[SheetInput]:
        return [item for item in self.by_path.values() if item.error]


def input_text(path: str, value) -> str:
    """A stored value as the input shows it: 1,200 / △1,200 / codes as they are."""
    name = path.split(".")[-1]
    if value is None:
        return ""
    if name in sheet_fields.MONEY_FIELDS:
        return format_amount(value, empty="")
    if name in NUMBER_FIELDS:
        return format_quantity(value, empty="")
    return str(value)


def _display(sheet: EvaluationSheet, path: str, value) -> str:
    text = as_text(value)
    if text in (None, ""):
        return ""
    return display_value(sheet, path, text)


def _widget(sheet: EvaluationSheet, path: str) -> tuple[str, list[Choice], int | None, str]:
    """(widget, choices, maxlength, hint) for a path."""
    parts = path.split(".")
    name = parts[-1]
    scales = sheet.scales or {}
    if parts[0] == "viewpoint":
        meaning = next(
            (v.get("meaning", "") for v in scales.get("viewpoints", []) if v["code"] == parts[1]),
            "",
        )
        return "radio", _scale(scales.get("viewpoint_scale", [])), None, meaning
    if parts[0] == "indicator":
        if name in ("kind", "direction"):
            enum = IndicatorKind if name == "kind" else Direction
            return "select", [Choice(v, str(label)) for v, label in enum.choices], None, ""
        if name in NUMBER_FIELDS:
            return "number", [], None, ""
        return "text", [], Indicator._meta.get_field(name).max_length, ""
    if parts[0] == "cost":
        return "number", [], None, ""
    if path in SCALE_OF:
        return "radio", _scale(scales.get(SCALE_OF[path], [])), None, ""
    if path == "delivery_method":
        return "select", [Choice(v, str(label)) for v, label in DeliveryMethod.choices], None, ""
    if path in sheet_fields.SIGNED_MONEY:
        return "number", [], None, _("千円単位。マイナスは △1,200 のように入力できます。")
    if path in sheet_fields.LONG_TEXT_FIELDS:
        return "textarea", [], None, ""
    return "text", [], EvaluationSheet._meta.get_field(path).max_length, ""


def _scale(items: list[dict]) -> list[Choice]:
    return [Choice(str(i["code"]), str(i["label"]), str(i.get("meaning", ""))) for i in items]


def _previous_path(data: SheetData, path: str) -> str | None:
    """The path of the same value in last year's sheet (indicators match by series)."""
    parts = path.split(".")
    if parts[0] != "indicator":
        return path
    indicator = next((i for i in data.indicators if str(i.pk) == parts[1]), None)
    old = indicator and data.previous_indicators.get(str(indicator.series))
    return f"indicator.{old.pk}.{parts[2]}" if old else None


def build_layout(
    data: SheetData,
    *,
    raw: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    conflicts: dict[str, str] | None = None,
) -> SheetLayout:
    """The form of ``data.sheet``; ``raw`` (typed values) replaces stored ones where given."""
    sheet = data.sheet
    raw, errors, conflicts = raw or {}, errors or {}, conflicts or {}
    values = sheet_values(sheet=sheet)
    previous_values = sheet_values(sheet=data.previous) if data.previous is not None else {}
    warnings = sheet_fields.warnings_for(values)
    layout = SheetLayout()
    for info in sheet_fields.sheet_paths(sheet, data.indicators):
        if info.path not in values:
            continue
        widget, choices, maxlength, hint = _widget(sheet, info.path)
        value = values[info.path]
        item = SheetInput(
            path=info.path,
            label=info.label,
            short_label=info.label.split("：", 1)[-1],
            widget=widget,
            value=raw[info.path] if info.path in raw else input_text(info.path, value),
            display=_display(sheet, info.path, value),
            choices=choices,
            maxlength=maxlength,
            hint=hint,
            error=errors.get(info.path, ""),
            warning=warnings.get(info.path, ""),
            conflict=conflicts.get(info.path, ""),
        )
        previous_path = _previous_path(data, info.path) if data.previous is not None else None
        if previous_path in previous_values:
            item.previous = _display(data.previous, previous_path, previous_values[previous_path])
        layout.by_path[info.path] = item
    _place(layout, sheet)
    layout.indicators = _indicator_rows(data, layout)
    if sheet.has_block("cost"):
        layout.costs = cost_table(data, layout.by_path)
    return layout


def _place(layout: SheetLayout, sheet: EvaluationSheet) -> None:
    for path, item in layout.by_path.items():
        block = sheet_fields.SCALAR_FIELDS.get(path)
        if path.startswith("viewpoint."):
            layout.viewpoints.append(item)
        elif path == "activities":
            layout.activities = item
        elif path == "improvement_plan":
            layout.improvement = item
        elif block == "purpose":
            layout.purpose.append(item)
        elif block == "viewpoints":
            layout.judgement.append(item)
        elif block == "progress":
            layout.progress.append(item)


def _indicator_rows(data: SheetData, layout: SheetLayout) -> list[IndicatorRow]:
    rows = []
    if not data.sheet.has_block("indicators"):
        return rows
    for number, indicator in enumerate(data.indicators, start=1):
        computed = indicator_computed(indicator)
        rows.append(
            IndicatorRow(
                indicator=indicator,
                number=number,
                inputs={
                    name: layout.by_path[f"indicator.{indicator.pk}.{name}"]
                    for name in sheet_fields.INDICATOR_FIELDS
                },
                previous=data.previous_indicators.get(str(indicator.series)),
                progress=computed[0],
                achievement=computed[1],
                note=computed[2],
            )
        )
    return rows


def indicator_computed(indicator: Indicator) -> tuple[Computed, Computed, Computed]:
    prefix = f"c-indicator-{indicator.pk}"
    return (
        Computed(f"{prefix}-progress", format_rate(indicator.progress_rate)),
        Computed(f"{prefix}-achievement", format_rate(indicator.achievement_rate)),
        Computed(f"{prefix}-note", indicator.progress_note),
    )


def computed_values(data: SheetData) -> dict[str, str]:
    """Every computed value of the page by element id (for save-as-you-go)."""
    computed = cost_computed(data) if data.sheet.has_block("cost") else {}
    for indicator in data.indicators:
        for item in indicator_computed(indicator):
            computed[item.id] = item.text
    return computed
