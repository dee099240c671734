"""A sheet's field history as staff read it: labels instead of paths, labels instead of codes."""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from hoshin.evaluations import fields as sheet_fields
from hoshin.evaluations.models import (
    DeliveryMethod,
    Direction,
    EvaluationSheet,
    Indicator,
    IndicatorKind,
    SheetRevision,
)
from hoshin.lib.numbers import format_amount as amount
from hoshin.lib.numbers import format_quantity as quantity

# Paths whose stored code is shown through one of the sheet's frozen scales.
_SCALE_OF = {
    "overall_grade": "grades",
    "future_direction": "directions",
    "progress_status": "progress_statuses",
    "progress_grade": "progress_grades",
}
_MODEL_CHOICES = {
    "delivery_method": DeliveryMethod,
    "kind": IndicatorKind,
    "direction": Direction,
}
EMPTY = "（空欄）"


@dataclass
class ChangeLine:
    path: str
    label: str
    old: str
    new: str
    kind: str = "changed"  # "changed", "added" (an indicator), "removed" (an indicator)

    @property
    def old_empty(self) -> bool:
        return self.old == EMPTY

    @property
    def new_empty(self) -> bool:
        return self.new == EMPTY


@dataclass
class RevisionEntry:
    revision: SheetRevision
    lines: list[ChangeLine] = field(default_factory=list)


def path_labels(*, sheet: EvaluationSheet) -> dict[str, str]:
    """Each path's label as the form shows it (指標1：目標値 …)."""
    return {info.path: info.label for info in sheet_fields.sheet_paths(sheet)}


def display_value(sheet: EvaluationSheet, path: str, text) -> str:
    """A stored value (as in SheetRevision.changes) in words: codes → labels, △ for minus."""
    if text is None or text == "":
        return EMPTY
    parts = path.split(".")
    name = parts[-1]
    if parts[0] == "viewpoint":
        return sheet.scale_label("viewpoint_scale", str(text))
    if path in _SCALE_OF:
        return sheet.scale_label(_SCALE_OF[path], str(text))
    if name in _MODEL_CHOICES and (parts[0] == "indicator" or path == name):
        choices = dict(_MODEL_CHOICES[name].choices)
        return str(choices.get(text, text))
    if name in sheet_fields.MONEY_FIELDS:
        return amount(text)
    if name in ("baseline", "target", "actual", "person_years"):
        return quantity(text)
    return str(text)


def _indicator_label(path: str, labels: dict[str, str]) -> str:
    parts = path.split(".")
    if path in labels:
        return labels[path]
    label = Indicator._meta.get_field(parts[2]).verbose_name if len(parts) == 3 else ""
    return _("削除された指標：%(field)s") % {"field": label} if label else path


def change_lines(
    sheet: EvaluationSheet, changes: dict, labels: dict[str, str] | None = None
) -> list[ChangeLine]:
    """The lines of one revision's ``changes``, in the order of the form."""
    labels = path_labels(sheet=sheet) if labels is None else labels
    order = {path: index for index, path in enumerate(labels)}
    lines = []
    for path, (old, new) in changes.items():
        parts = path.split(".")
        if parts[0] == "indicator" and len(parts) == 2:
            lines.append(_indicator_line(sheet, path, old, new))
        elif parts[0] == "indicator":
            lines.append(
                ChangeLine(
                    path,
                    _indicator_label(path, labels),
                    display_value(sheet, path, old),
                    display_value(sheet, path, new),
                )
            )
        else:
            lines.append(
                ChangeLine(
                    path,
                    labels.get(path, path),
                    display_value(sheet, path, old),
                    display_value(sheet, path, new),
                )
            )
    lines.sort(key=lambda line: order.get(line.path, len(order)))
    return lines


def _indicator_line(sheet: EvaluationSheet, path: str, old, new) -> ChangeLine:
    """An indicator added (``[None, name]``) or removed (``[last values, None]``)."""
    if old is None:
        return ChangeLine(path, _("指標を追加"), EMPTY, str(new), kind="added")
    if isinstance(old, dict):
        name = old.get("name") or ""
        details = []
        for field_name in ("unit", "baseline", "target", "actual"):
            value = old.get(field_name)
            if value not in (None, ""):
                label = Indicator._meta.get_field(field_name).verbose_name
                details.append(
                    f"{label} {display_value(sheet, 'indicator.0.' + field_name, value)}"
                )
        summary = f"{name}（{'、'.join(details)}）" if details else name
        return ChangeLine(path, _("指標を削除"), summary, EMPTY, kind="removed")
    return ChangeLine(path, _("指標"), str(old), display_value(sheet, path, new))


def revision_entries(
    *, sheet: EvaluationSheet, revisions: list[SheetRevision]
) -> list[RevisionEntry]:
    """Revisions as readable diffs (field label, old → new), newest first as given."""
    labels = path_labels(sheet=sheet)
    return [
        RevisionEntry(revision, change_lines(sheet, revision.changes, labels))
        for revision in revisions
    ]


def values_at_version(
    *, current: dict[str, str | None], revisions: list[SheetRevision]
) -> dict[str, str | None]:
    """Rewind ``current`` (path → stored text) through ``revisions`` made after some version.

    Used when a save is refused: what the user loaded tells which fields they changed
    themselves and which the other person changed.
    """
    values = dict(current)
    for revision in sorted(revisions, key=lambda r: r.version, reverse=True):
        for path, (old, _new) in revision.changes.items():
            if len(path.split(".")) == 3 or not path.startswith("indicator."):
                values[path] = old
    return values
