"""The XLSX writer of the sheet workbook (layout in ``layout`` and docs/sheet-workbook.md).

Read-only cells are grey and locked (the tabs are protected without a password), editable
cells unlocked; text is always written as an exact text cell (``hoshin.lib.spreadsheets``: a
value starting with "=" stays text and uploads back unchanged); choice
columns get drop-down lists of each sheet's frozen scales (on a hidden tab ``選択肢``) and
numeric columns a number check, for Excel users.
"""

import io

from django.utils import timezone

from hoshin.evaluations.bulk import layout
from hoshin.evaluations.bulk.errors import BulkExportError, column_letter
from hoshin.evaluations.bulk.export import (
    ExportScope,
    cell_number,
    choice_labels,
    department_label,
    display_value,
    export_scope,
    main_columns,
    sheet_has_path,
    subject_number,
    subject_text,
)
from hoshin.evaluations.models import CostKind, EvaluationSheet
from hoshin.lib.fiscal import format_fiscal_year
from hoshin.lib.spreadsheets import XlsxTextError, xlsx_put, xlsx_set
from hoshin.org.models import Department
from hoshin.plans.models import Plan


def export_workbook(
    *, plan: Plan, fy: int, department: Department | None = None, user=None, now=None
) -> bytes:
    """The sheets as one XLSX workbook (tabs 評価シート, 指標, コスト, 情報)."""
    scope = export_scope(plan=plan, fy=fy, department=department, user=user, now=now)
    return _WorkbookWriter(scope).write()


class _WorkbookWriter:
    def __init__(self, scope: ExportScope):
        from openpyxl import Workbook
        from openpyxl.styles import Alignment, Font, PatternFill, Protection

        self.scope = scope
        self.workbook = Workbook()
        self.key_font = Font(color="808080", size=8)
        self.header_font = Font(bold=True)
        self.readonly_fill = PatternFill("solid", fgColor="D9D9D9")
        self.header_fill = PatternFill("solid", fgColor="BFBFBF")
        self.editable_header_fill = PatternFill("solid", fgColor="DDEBF7")
        self.unlocked = Protection(locked=False)
        self.wrap = Alignment(wrap_text=True, vertical="top")
        self.top = Alignment(vertical="top")
        self.lists: dict[tuple[str, ...], str] = {}

    def write(self) -> bytes:
        main = self.workbook.active
        main.title = layout.MAIN_TAB
        self._main(main)
        sheets = [s for s in self.scope.sheets if s.has_block("indicators")]
        self._indicators(self.workbook.create_sheet(layout.INDICATOR_TAB), sheets)
        sheets = [s for s in self.scope.sheets if s.has_block("cost")]
        self._costs(self.workbook.create_sheet(layout.COST_TAB), sheets)
        self._info(self.workbook.create_sheet(layout.INFO_TAB))
        self._lists()
        self.workbook.active = 0
        buffer = io.BytesIO()
        self.workbook.save(buffer)
        return buffer.getvalue()

    # -- one tab

    def _header(self, ws, columns: list[layout.Column]) -> None:
        for index, column in enumerate(columns, 1):
            key = xlsx_put(ws, layout.KEY_ROW, index, column.key)
            key.font = self.key_font
            label = xlsx_put(ws, layout.LABEL_ROW, index, column.label)
            label.font = self.header_font
            label.alignment = self.wrap
            label.fill = self.editable_header_fill if column.editable else self.header_fill
            ws.column_dimensions[column_letter(index)].width = column.width
        ws.row_dimensions[layout.KEY_ROW].hidden = True

    def _finish(self, ws, columns, *, count: int, choices: dict, freeze_column: int) -> None:
        """Filter, drop-down lists, frozen headers and protection, once the rows are written."""
        last = layout.FIRST_DATA_ROW + max(count, 1) - 1
        ws.auto_filter.ref = f"A{layout.LABEL_ROW}:{column_letter(len(columns))}{last}"
        self._validations(ws, choices, columns, count)
        ws.freeze_panes = ws.cell(row=layout.FIRST_DATA_ROW, column=freeze_column)
        # Locked grey cells guard the read-only columns; no password (the upload ignores them).
        protection = ws.protection
        protection.sheet = True
        protection.formatColumns = False
        protection.formatRows = False
        protection.autoFilter = False
        protection.sort = False

    def _put(self, ws, row: int, column: layout.Column, index: int, value, *, editable: bool):
        cell = ws.cell(row=row, column=index)
        if column.kind == "choice":
            value = excel_choice(value)
        if value is not None and value != "":
            try:
                # Exact text: the upload compares it with the database, "=…" included.
                xlsx_set(cell, value, exact=True)
            except XlsxTextError as exc:
                raise BulkExportError(
                    f"{ws.title}!{column_letter(index)}{row}（{column.label}）: {exc}"
                    "画面で修正してください。"
                ) from None
        if column.kind == "long_text":
            cell.alignment = self.wrap
        else:
            cell.alignment = self.top
        if column.kind in ("money", "signed_money"):
            cell.number_format = '#,##0;"△"#,##0'
        elif column.kind == "person_years":
            cell.number_format = "0.00"
        if editable:
            cell.protection = self.unlocked
        else:
            cell.fill = self.readonly_fill
        return cell

    def _main(self, ws) -> None:
        scope = self.scope
        columns = main_columns(scope)
        self._header(ws, columns)
        choices: dict[int, dict[tuple, list[int]]] = {}
        for row, sheet in enumerate(scope.sheets, layout.FIRST_DATA_ROW):
            values = scope.values[sheet.pk]
            editable = scope.editable[sheet.pk]
            previous = sheet.previous
            for index, column in enumerate(columns, 1):
                key = column.key
                cell_editable = editable and column.editable and sheet_has_path(sheet, key)
                if not column.editable:
                    value = self._main_read_only(sheet, key, previous)
                elif sheet_has_path(sheet, key):
                    value = display_value(sheet, key, values.get(key))
                else:
                    value = None
                self._put(ws, row, column, index, value, editable=cell_editable)
                if cell_editable and column.kind == "choice":
                    labels = choice_labels(sheet, key)
                    choices.setdefault(index, {}).setdefault(labels, []).append(row)
        self._finish(ws, columns, count=len(scope.sheets), choices=choices, freeze_column=5)

    def _main_read_only(self, sheet: EvaluationSheet, key: str, previous):
        if key == "sheet_id":
            return sheet.pk
        if key == "version":
            return sheet.version
        if key == "number":
            return subject_number(sheet)
        if key == "subject":
            return subject_text(sheet)
        if key == "department":
            return department_label(sheet)
        if key == "stage":
            return sheet.get_stage_display()
        if previous is not None and key == "previous.overall_grade":
            return previous.scale_label("grades", previous.overall_grade) or None
        if previous is not None and key == "previous.future_direction":
            return previous.scale_label("directions", previous.future_direction) or None
        return None

    def _indicators(self, ws, sheets: list[EvaluationSheet]) -> None:
        columns = list(layout.INDICATOR_COLUMNS)
        self._header(ws, columns)
        choices: dict[int, dict[tuple, list[int]]] = {}
        row = layout.FIRST_DATA_ROW
        for sheet in sheets:
            editable = self.scope.editable[sheet.pk]
            values = self.scope.values[sheet.pk]
            for number, indicator in enumerate(sheet.indicators.all(), 1):
                last = self.scope.previous_indicators.get((sheet.previous_id, indicator.series))
                for index, column in enumerate(columns, 1):
                    key = column.key
                    if column.editable:
                        path = f"indicator.{indicator.pk}.{key}"
                        value = display_value(sheet, path, values.get(path))
                    elif key == "sheet_id":
                        value = sheet.pk
                    elif key == "subject":
                        value = subject_text(sheet)
                    elif key == "indicator_id":
                        value = indicator.pk
                    elif key == "position":
                        value = number
                    elif key.startswith("previous.") and last is not None:
                        stored = getattr(last, key.split(".", 1)[1])
                        value = cell_number(stored) if stored is not None else None
                    else:
                        value = None
                    self._put(ws, row, column, index, value, editable=editable and column.editable)
                    if editable and column.kind == "choice":
                        labels = choice_labels(sheet, key)
                        choices.setdefault(index, {}).setdefault(labels, []).append(row)
                row += 1
        count = row - layout.FIRST_DATA_ROW
        self._finish(ws, columns, count=count, choices=choices, freeze_column=5)

    def _costs(self, ws, sheets: list[EvaluationSheet]) -> None:
        columns = list(layout.COST_COLUMNS)
        self._header(ws, columns)
        order = {kind: index for index, kind in enumerate(CostKind.values)}
        row = layout.FIRST_DATA_ROW
        for sheet in sheets:
            editable = self.scope.editable[sheet.pk]
            values = self.scope.values[sheet.pk]
            for line in sorted(sheet.costs.all(), key=lambda line: order.get(line.kind, 99)):
                for index, column in enumerate(columns, 1):
                    key = column.key
                    if column.editable:
                        value = display_value(sheet, key, values.get(f"cost.{line.kind}.{key}"))
                    elif key == "sheet_id":
                        value = sheet.pk
                    elif key == "subject":
                        value = subject_text(sheet)
                    else:  # kind
                        value = line.get_kind_display()
                    self._put(ws, row, column, index, value, editable=editable and column.editable)
                row += 1
        count = row - layout.FIRST_DATA_ROW
        self._finish(ws, columns, count=count, choices={}, freeze_column=4)

    def _info(self, ws) -> None:
        from openpyxl.styles import Font

        scope = self.scope
        exported_at = timezone.localtime(scope.exported_at)
        by = scope.exported_by
        rows = {
            "format": layout.FORMAT_NAME,
            "format_version": layout.FORMAT_VERSION,
            "plan_id": scope.plan.pk,
            "plan": scope.plan.name,
            "fiscal_year": format_fiscal_year(scope.cycle.fy),
            "department_id": scope.department.pk if scope.department else None,
            "department": scope.department.name if scope.department else "全部署",
            "exported_at": exported_at.strftime("%Y-%m-%d %H:%M:%S"),
            "exported_by": getattr(by, "username", "") if by is not None else "",
            "sheet_count": len(scope.sheets),
        }
        for column, title in enumerate(("key", "値", "項目"), 1):
            xlsx_put(ws, 1, column, title).font = Font(bold=True)
        for row, (key, value) in enumerate(rows.items(), 2):
            xlsx_put(ws, row, 1, key).font = self.key_font
            xlsx_put(ws, row, 2, value)
            xlsx_put(ws, row, 3, layout.INFO_FIELDS[key])
        notes = (
            "# 入力するのは白い（色のない）セルだけです。灰色の列・行は参照用で、取り込むときには読みません。",
            "# 作成中・差し戻しのシートだけ変更できます。行の追加・削除、シートIDや版の変更はしないでください。",
            "# 取り込みはシートごとの版で照合します。書き出した後に画面で更新されたシートがあると取り込めません。",
            "# 1行目（非表示）は列のキーです。変更しないでください。シートの保護（パスワードなし）を解除すれば、列の移動や、キーのないメモ用の列の追加もできます。",
        )
        for offset, note in enumerate(notes, len(rows) + 3):
            xlsx_put(ws, offset, 1, note)
        ws.column_dimensions["A"].width = 16
        ws.column_dimensions["B"].width = 40
        ws.column_dimensions["C"].width = 16

    # -- data validation (drop-down lists and number checks for Excel users)

    def _validations(self, ws, choices, columns, count: int) -> None:
        from openpyxl.worksheet.datavalidation import DataValidation

        if count <= 0:
            return
        first, last = layout.FIRST_DATA_ROW, layout.FIRST_DATA_ROW + count - 1
        for index, groups in choices.items():
            letter = column_letter(index)
            for labels, rows in groups.items():
                if not labels:
                    continue
                validation = DataValidation(
                    type="list",
                    formula1=self._list_range(labels),
                    allow_blank=True,
                    showErrorMessage=True,
                    errorTitle="選択肢にない値",
                    error="一覧から選んでください。",
                )
                validation.sqref = _ranges(letter, rows)
                ws.add_data_validation(validation)
        for index, column in enumerate(columns, 1):
            if not column.editable or column.kind not in (
                "money",
                "signed_money",
                "person_years",
                "quantity",
            ):
                continue
            kind = "whole" if column.kind in ("money", "signed_money") else "decimal"
            if column.kind in ("money", "person_years"):
                options = {"operator": "greaterThanOrEqual", "formula1": "0"}
                error = "0以上の数値を入力してください。"
            else:
                options = {"operator": "between", "formula1": "-1E+15", "formula2": "1E+15"}
                error = "数値を入力してください。"
            if kind == "whole":
                error = error.replace("数値", "整数（千円）")
            validation = DataValidation(
                type=kind,
                allow_blank=True,
                showErrorMessage=True,
                errorTitle="入力できない値",
                error=error,
                **options,
            )
            letter = column_letter(index)
            validation.sqref = f"{letter}{first}:{letter}{last}"
            ws.add_data_validation(validation)

    def _list_range(self, labels: tuple[str, ...]) -> str:
        """Lists live on a hidden last tab: no 255-character limit, commas in labels are safe."""
        if labels not in self.lists:
            letter = column_letter(len(self.lists) + 1)
            self.lists[labels] = f"'{layout.LISTS_TAB}'!${letter}$1:${letter}${len(labels)}"
        return self.lists[labels]

    def _lists(self) -> None:
        if not self.lists:
            return
        ws = self.workbook.create_sheet(layout.LISTS_TAB)
        ws.sheet_state = "hidden"
        for column, labels in enumerate(self.lists, 1):
            for row, label in enumerate(labels, 1):
                xlsx_put(ws, row, column, excel_choice(label))


def excel_choice(value):
    """A score such as "4" as the number 4: Excel's list check compares typed numbers as numbers."""
    if isinstance(value, str) and value.isascii() and value.isdigit() and len(value) < 10:
        return int(value)
    return value


def _ranges(letter: str, rows: list[int]) -> str:
    """Rows 3,4,5,9 of column F → ``F3:F5 F9``."""
    parts, start, previous = [], None, None
    for row in [*sorted(rows), None]:
        if start is not None and (row is None or row != previous + 1):
            parts.append(
                f"{letter}{start}:{letter}{previous}" if previous > start else f"{letter}{start}"
            )
            start = None
        if row is not None and start is None:
            start = row
        previous = row
    return " ".join(parts)
