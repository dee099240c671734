"""The effect-amount template (効果額): one row per action, year and kind.

| 計画 | 取組ID | 取組 | 年度 | 種別 | 効果の期間 | 計画額（千円） | 実績額（千円） | 一般財源ベース | 入力元 | 備考 |

取組ID identifies the action (取組 is written for people and not read back); 種別 is 歳出削減 or
歳入確保; 効果の期間 単年度 or 継続（翌年度以降も効果）; 一般財源ベース ○ or empty; 入力元 is
written on export: a row still saying 評価シートから whose figures are unchanged stays linked to
its sheet, any other row is stored as typed by the finance department.
"""

import unicodedata
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from hoshin.finance.models import EffectDuration, EffectEntry, EffectKind, EffectSource
from hoshin.finance.tables.reading import Row, TableError, read_rows
from hoshin.finance.tables.writing import table_csv, table_xlsx
from hoshin.plans.models import Action

# A file format, not UI text (see soundness.py).
SHEET = "効果額"
TITLES = (
    "計画",
    "取組ID",
    "取組",
    "年度",
    "種別",
    "効果の期間",
    "計画額（千円）",
    "実績額（千円）",
    "一般財源ベース",
    "入力元",
    "備考",
)
YES, NO = "○", ""
_YES = {"○", "〇", "◯", "はい", "1", "true", "yes"}
_NO = {"", "×", "いいえ", "0", "false", "no", "－", "-"}


def _rows(plan):
    entries = EffectEntry.objects.filter(action__plan=plan).select_related("action__plan")
    for entry in entries.order_by("action__node__position", "action__position", "fy", "kind"):
        cells = [
            entry.action.plan.name,
            entry.action_id,
            entry.action.subject,
            entry.fy,
            str(entry.get_kind_display()),
            str(entry.get_duration_display()),
            entry.planned,
            entry.actual,
            YES if entry.general_revenue_basis else NO,
            str(entry.get_source_display()),
            entry.note,
        ]
        yield cells, str(entry)


def effects_export(*, plan, encoding: str | None = None) -> bytes:
    """A plan's effect ledger: CSV in ``encoding``, or XLSX when ``encoding`` is None."""
    if encoding is None:
        return table_xlsx(sheet=SHEET, titles=TITLES, rows=_rows(plan))
    return table_csv(titles=TITLES, rows=_rows(plan), encoding=encoding)


@dataclass(frozen=True)
class ParsedEffect:
    action: Action
    fy: int
    kind: str
    duration: str
    planned: Decimal | None
    actual: Decimal | None
    general_revenue_basis: bool
    source: str
    note: str
    where: str


def _amount(row: Row, column: int) -> Decimal | None:
    figure = row.figure(column, TITLES[column], units=("千円",))
    return None if figure.is_dash else figure.value


def _flag(row: Row, column: int) -> bool:
    text = unicodedata.normalize("NFKC", row.text(column)).lower()
    if text in _YES or row.text(column) in _YES:
        return True
    if text in _NO:
        return False
    raise TableError(
        _("%(where)s: ○ か空欄で入力してください。") % {"where": row.where(column, TITLES[column])}
    )


def effects_parse(data: bytes, filename: str, *, plan) -> list[ParsedEffect]:
    """The entries of an upload for ``plan``; ``TableError`` naming the first bad cell (an
    action of another plan, or one that does not exist, included)."""
    actions = {action.pk: action for action in Action.objects.filter(plan=plan)}
    parsed, seen = [], set()
    for row in read_rows(data, filename, titles=TITLES, sheet=SHEET):
        action = actions.get(row.whole(1, TITLES[1]))
        if action is None:
            raise TableError(
                _("%(where)s: 取組ID「%(id)s」は計画「%(plan)s」の取組にありません。")
                % {"where": row.where(1, TITLES[1]), "id": row.text(1), "plan": plan.name}
            )
        fy = row.fiscal_year(3, TITLES[3])
        kind = row.choice(4, TITLES[4], EffectKind.choices)
        if (action.pk, fy, kind) in seen:
            raise TableError(
                _("%(where)s: 同じ取組・年度・種別の行が2つあります。")
                % {"where": row.where(4, TITLES[4])}
            )
        seen.add((action.pk, fy, kind))
        parsed.append(
            ParsedEffect(
                action=action,
                fy=fy,
                kind=kind,
                duration=row.choice(5, TITLES[5], EffectDuration.choices),
                planned=_amount(row, 6),
                actual=_amount(row, 7),
                general_revenue_basis=_flag(row, 8),
                source=row.choice(9, TITLES[9], EffectSource.choices)
                if row.text(9)
                else EffectSource.MANUAL,
                note=row.text(10),
                where=row.label,
            )
        )
    return parsed
