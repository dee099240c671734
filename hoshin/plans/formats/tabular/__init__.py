"""Plans as a table: CSV (UTF-8 with or without BOM, CP932) and Excel (.xlsx).

One row per action (or per node, for a node's own details). The layout is documented in
``docs/plan-file-formats.md``; in short::

    大項目 | 中項目 | 取組 | 取組名 | 番号 | 実施内容 | 担当課 | 主要事業 | めざす姿 | 課題 | 目的 | 注記

The columns before ``取組名`` are the levels, headed with the plan's level names. A level cell
holds "number title" (``1 市民参画…``, ``(1)行政情報…``, ``方策1 …``) or just a title, or
``number｜title`` when the title itself starts like a number. A level cell may repeat the one
above or be left empty ("same as above"). A row whose action columns are empty describes the
deepest node named on it (めざす姿 / 課題 / 目的 / 注記 of that node).

Plan metadata goes into leading ``#key=value`` lines of a CSV and into a second sheet
``計画情報`` of a workbook. The cell codecs (``columns``) are shared with
``hoshin.plans.exporters``, which checks every value it writes reads back the same, so
export → import is lossless.

The package holds:

- ``columns``: the column layout, the sheet names and the cell codecs (parse_* / format_*);
- ``metadata``: plan metadata (``#key=value`` lines, sheet ``計画情報``), both ways;
- ``rows``: the header and data rows → ParsedPlan tree builder shared by CSV and XLSX;
- ``csv_format`` and ``xlsx_format``: the two registered PlanFormats.

Importing the package registers CSV, then XLSX (detection order).
"""

# isort: off
from hoshin.plans.formats.tabular.columns import (
    ACTION_FIELDS,
    COLUMNS,
    DATA_SHEET,
    FIRST_FIXED_COLUMN,
    META_SHEET,
    NODE_DETAIL_FIELDS,
    NUMBER_SEPARATOR,
    CellError,
    format_challenges,
    format_departments,
    format_key_projects,
    format_level_cell,
    format_notes,
    parse_challenges,
    parse_departments,
    parse_key_projects,
    parse_notes,
    split_level_cell,
)
from hoshin.plans.formats.tabular.metadata import META_FIELDS, metadata_items

# Registration order is detection order: CSV before XLSX.
from hoshin.plans.formats.tabular.csv_format import CsvFormat
from hoshin.plans.formats.tabular.xlsx_format import XlsxFormat

# isort: on

__all__ = [
    "ACTION_FIELDS",
    "COLUMNS",
    "DATA_SHEET",
    "FIRST_FIXED_COLUMN",
    "META_FIELDS",
    "META_SHEET",
    "NODE_DETAIL_FIELDS",
    "NUMBER_SEPARATOR",
    "CellError",
    "CsvFormat",
    "XlsxFormat",
    "format_challenges",
    "format_departments",
    "format_key_projects",
    "format_level_cell",
    "format_notes",
    "metadata_items",
    "parse_challenges",
    "parse_departments",
    "parse_key_projects",
    "parse_notes",
    "split_level_cell",
]
