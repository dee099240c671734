"""The sheet workbook's layout: tabs, columns (a stable key and a Japanese label), places.

Documented for staff in ``docs/sheet-workbook.md``. Each data tab has two header rows: row 1
holds the column keys (hidden; the upload reads columns by key, so staff may reorder columns or
add their own columns without a key) and row 2 the Japanese labels. Data starts on row 3.

Editable keys are the value paths of ``hoshin.evaluations.fields``; every other key is a
read-only column, shown grey and locked, which the upload never reads except the identifiers
(シートID, 版, 指標ID, 区分).
"""

from dataclasses import dataclass

from hoshin.evaluations import fields as sheet_fields
from hoshin.evaluations.models import CostLine, EvaluationSheet, Indicator

FORMAT_NAME = "hoshin-evaluation-sheets"
FORMAT_VERSION = 1

MAIN_TAB = "評価シート"
INDICATOR_TAB = "指標"
COST_TAB = "コスト"
INFO_TAB = "情報"
LISTS_TAB = "選択肢"

KEY_ROW = 1
LABEL_ROW = 2
FIRST_DATA_ROW = 3

# Scales of the sheet's frozen template, by the scalar field that uses them.
SCALE_OF_FIELD = {
    "overall_grade": "grades",
    "future_direction": "directions",
    "progress_status": "progress_statuses",
    "progress_grade": "progress_grades",
}


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    editable: bool = False
    # id | text | long_text | choice | money | signed_money | quantity | person_years
    kind: str = "text"
    width: int = 14


SHEET_ID = Column("sheet_id", "シートID", kind="id", width=9)
SUBJECT = Column("subject", "取組", kind="long_text", width=40)

MAIN_LEADING = (
    SHEET_ID,
    Column("version", "版", kind="id", width=5),
    Column("number", "番号", width=8),
    SUBJECT,
    Column("department", "担当課", width=16),
    Column("stage", "段階", width=16),
)
# Shown just before 総合評価 when the workbook has that column.
MAIN_PREVIOUS = (
    Column("previous.overall_grade", "前年度の総合評価", width=10),
    Column("previous.future_direction", "前年度の今後の方向性", width=12),
)

INDICATOR_COLUMNS = (
    SHEET_ID,
    SUBJECT,
    Column("indicator_id", "指標ID", kind="id", width=8),
    Column("position", "No.", kind="id", width=5),
    Column("name", "指標名", editable=True, kind="text", width=30),
    Column("unit", "単位", editable=True, width=8),
    Column("kind", "種別", editable=True, kind="choice", width=11),
    Column("direction", "方向", editable=True, kind="choice", width=13),
    Column("baseline", "基準値", editable=True, kind="quantity", width=11),
    Column("previous.target", "前年度の目標値", kind="quantity", width=11),
    Column("previous.actual", "前年度の実績値", kind="quantity", width=11),
    Column("target", "目標値", editable=True, kind="quantity", width=11),
    Column("actual", "実績値", editable=True, kind="quantity", width=11),
)

COST_COLUMNS = (
    SHEET_ID,
    SUBJECT,
    Column("kind", "区分", kind="id", width=18),
    *(
        Column(
            name,
            f"{CostLine._meta.get_field(name).verbose_name}（千円）",
            editable=True,
            kind="money",
            width=13,
        )
        for name in CostLine.FUNDING_FIELDS
    ),
    Column("person_years", "人工（人）", editable=True, kind="person_years", width=10),
)

# Keys of the info tab (column A), with their Japanese labels (column C).
INFO_FIELDS = {
    "format": "形式",
    "format_version": "形式の版",
    "plan_id": "計画ID",
    "plan": "計画",
    "fiscal_year": "年度",
    "department_id": "部署ID",
    "department": "部署",
    "exported_at": "書き出し日時",
    "exported_by": "書き出した職員",
    "sheet_count": "シート数",
}


def main_column(path: str, label: str) -> Column:
    """The column of one editable scalar or viewpoint path."""
    if path.startswith("viewpoint."):
        return Column(path, label, editable=True, kind="choice", width=9)
    if path in SCALE_OF_FIELD or path == "delivery_method":
        return Column(path, label, editable=True, kind="choice", width=12)
    if path in sheet_fields.SIGNED_MONEY:
        return Column(path, f"{label}", editable=True, kind="signed_money", width=13)
    if path in sheet_fields.LONG_TEXT_FIELDS:
        return Column(path, label, editable=True, kind="long_text", width=36)
    return Column(path, label, editable=True, kind="text", width=18)


def scalar_label(path: str) -> str:
    return str(EvaluationSheet._meta.get_field(path).verbose_name)


def indicator_field_label(field: str) -> str:
    return str(Indicator._meta.get_field(field).verbose_name)


def main_editable_key(key: str) -> bool:
    return key in sheet_fields.SCALAR_FIELDS or (
        key.startswith("viewpoint.") and len(key) > len("viewpoint.")
    )


def read_only_keys(columns) -> set[str]:
    return {column.key for column in columns if not column.editable}


MAIN_READ_ONLY_KEYS = read_only_keys(MAIN_LEADING + MAIN_PREVIOUS)
INDICATOR_READ_ONLY_KEYS = read_only_keys(INDICATOR_COLUMNS)
INDICATOR_EDITABLE_KEYS = {c.key for c in INDICATOR_COLUMNS if c.editable}
COST_READ_ONLY_KEYS = read_only_keys(COST_COLUMNS)
COST_EDITABLE_KEYS = {c.key for c in COST_COLUMNS if c.editable}
