"""Plan metadata in a table file: leading ``#key=value`` lines of a CSV, sheet ``計画情報``.

META_FIELDS lists the keys (and the labels also accepted when reading); metadata_items gives
the exporters the values to write, and _read_metadata reads one key back onto a ParsedPlan.
"""

import datetime
import re

from hoshin.lib.fiscal import FiscalYearError, parse_fiscal_year
from hoshin.plans.formats.base import ParsedPlan, PlanFormatError
from hoshin.plans.formats.tabular.rows import _check_length
from hoshin.plans.models import Plan, PlanKind

# Plan metadata: key (written by the exporter) → label (also accepted when reading).
META_FIELDS = {
    "kind": "種別",
    "level_names": "階層の名称",
    "action_level_name": "取組の名称",
    "source_title": "原資料の表題",
    "owner_office": "担当",
    "contact": "問い合わせ先",
    "source_updated_on": "原資料の更新日",
    "start_fy": "計画期間（開始年度）",
    "end_fy": "計画期間（終了年度）",
}
_META_BY_LABEL = {label: key for key, label in META_FIELDS.items()}


def metadata_items(parsed: ParsedPlan) -> list[tuple[str, str]]:
    """The plan's metadata as (key, text) pairs in META_FIELDS order, for the exporters."""
    values = {
        "kind": str(parsed.kind),
        "level_names": "、".join(parsed.level_names),
        "action_level_name": parsed.action_level_name,
        "source_title": parsed.source_title,
        "owner_office": parsed.owner_office,
        "contact": parsed.contact,
        "source_updated_on": parsed.source_updated_on.isoformat()
        if parsed.source_updated_on
        else "",
        "start_fy": "" if parsed.start_fy is None else str(parsed.start_fy),
        "end_fy": "" if parsed.end_fy is None else str(parsed.end_fy),
    }
    return [(key, values[key]) for key in META_FIELDS]


_DATE = re.compile(r"^(\d{4})[-/年.](\d{1,2})[-/月.](\d{1,2})日?$")


def _read_metadata(plan: ParsedPlan, key_text: str, value, where: str) -> list[str] | None:
    """Set one metadata value on ``plan``; returns the level names when that key is given."""
    key = key_text.strip()
    key = key if key in META_FIELDS else _META_BY_LABEL.get(key, "")
    if not key:
        plan.warnings.append(f"{where}: 計画情報「{key_text}」は不明な項目なので無視しました。")
        return None
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, datetime.date):
        if key != "source_updated_on":
            value = value.isoformat()
    elif value is None:
        value = ""
    elif isinstance(value, float) and value.is_integer():
        value = str(int(value))
    else:
        value = str(value).replace("\r\n", "\n").strip()
    if key == "kind":
        kinds = {k.value: k.value for k in PlanKind} | {str(k.label): k.value for k in PlanKind}
        if value not in kinds:
            choices = "、".join(f"{k.value}（{k.label}）" for k in PlanKind)
            raise PlanFormatError(
                f"種別「{value}」は使えません。使える種別: {choices}", where=where
            )
        plan.kind = kinds[value]
    elif key == "level_names":
        return [name.strip() for name in re.split(r"[、,，]", value) if name.strip()]
    elif key in ("start_fy", "end_fy"):
        try:
            setattr(plan, key, parse_fiscal_year(value) if value else None)
        except FiscalYearError as exc:
            raise PlanFormatError(str(exc), where=where) from None
    elif key == "source_updated_on":
        if isinstance(value, datetime.date) or not value:
            plan.source_updated_on = value or None
        else:
            match = _DATE.match(value)
            try:
                plan.source_updated_on = datetime.date(*map(int, match.groups())) if match else None
            except ValueError:
                match = None
            if not match:
                raise PlanFormatError(
                    f"更新日「{value}」を日付として読めません。例: 2024-03-01", where=where
                )
    else:
        _check_length(value, Plan, key, where)
        setattr(plan, key, value)
    return None
