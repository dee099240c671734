"""Open datasets of evaluation results: sheets, indicators, costs and effect amounts.

Everything starts from ``sheets_published()`` (published sheets of published plans) and carries
exactly what the portal prints of a sheet (hoshin.evaluations.selectors.public and
templates/portal/_result_sheet.html): a block the sheet's template leaves out (purpose,
indicators, cost, progress) is left out here too. Sheets of a node (施策評価) appear on the
portal only as grade, direction and progress grade on the department page, so their text
columns stay empty and their indicators, costs and effects are not published.
"""

from django.db.models import Exists, Max, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from hoshin.evaluations import figures
from hoshin.evaluations.models import (
    CostKind,
    CostLine,
    DeliveryMethod,
    Direction,
    Indicator,
    IndicatorKind,
    StaffUnitCost,
)
from hoshin.evaluations.selectors.public import scale_value, sheets_published
from hoshin.lib.fiscal import format_fiscal_year
from hoshin.opendata.base import Column, Dataset, check_scale_code
from hoshin.opendata.plan_datasets import PLAN_ID, URL, _url

SHEET_FILTERS = ("plan", "fy", "department", "grade", "direction")


def has_block(block: str, prefix: str = "") -> Q:
    """Sheets whose frozen template includes ``block`` (no list at all means the defaults).

    The blocks are a JSON list; matching its text for '"block"' works the same on SQLite and
    PostgreSQL, where a JSON ``contains`` lookup does not.
    """
    key = f"{prefix}scales__blocks"
    return Q(**{f"{key}__isnull": True}) | Q(**{f"{key}__icontains": f'"{block}"'})


def _label(choices, code: str) -> str:
    return str(choices(code).label) if code in choices.values else ""


def _scale_name(sheet, scale: str, code: str) -> str:
    """A label column's words: 概ね順調 for grade B, never the code again (its own column)."""
    value = scale_value(sheet, scale, code)
    return value.name if value else ""


class SheetBasedDataset(Dataset):
    """Shared filters: the sheet's plan, year, department, grade and direction."""

    sheet_prefix = ""  # the path from this dataset's model to EvaluationSheet

    def apply_filters(self, queryset, filters):
        p = self.sheet_prefix
        lookups = {
            "plan": f"{p}cycle__plan_id",
            "fy": f"{p}cycle__fy",
            "department": f"{p}department_id",
            "grade": f"{p}overall_grade",
            "direction": f"{p}future_direction",
        }
        return queryset.filter(**{lookups[name]: value for name, value in filters.items()})

    def check_filters(self, filters):
        super().check_filters(filters)
        sheets = sheets_published()
        check_scale_code(filters, param="grade", field="overall_grade", sheets=sheets)
        check_scale_code(filters, param="direction", field="future_direction", sheets=sheets)

    def data_modified(self):
        # Publishing saves the sheet, so updated_at is never older than published_at.
        last = sheets_published().aggregate(last=Max("updated_at"))["last"]
        return max(filter(None, (last, super().data_modified())), default=None)


def _sheet_ids(sheet, fy: int) -> dict:
    return {
        "sheet_id": sheet.pk,
        "action_id": sheet.action_id,
        "plan_id": sheet.cycle.plan_id,
        "fy": fy,
        "department_id": sheet.department_id,
    }


class SheetsDataset(SheetBasedDataset):
    def base_queryset(self) -> QuerySet:
        return sheets_published().select_related("cycle__plan", "action", "node", "department")

    def row(self, sheet, context):
        fy = sheet.cycle.fy
        blocks = (sheet.scales or {}).get("blocks")
        shows = (lambda block: True) if blocks is None else (lambda block: block in blocks)
        is_action = sheet.action_id is not None
        row = {
            **_sheet_ids(sheet, fy),
            "node_id": sheet.node_id if not is_action else sheet.action.node_id,
            "subject_type": "action" if is_action else "node",
            "subject": sheet.action.subject if is_action else sheet.node.label,
            "fy_label": format_fiscal_year(fy),
            "department_name": sheet.department.name if sheet.department_id else "",
            "published_on": timezone.localdate(sheet.published_at) if sheet.published_at else None,
            "overall_grade": sheet.overall_grade,
            "overall_grade_label": _scale_name(sheet, "grades", sheet.overall_grade),
            "future_direction": sheet.future_direction,
            "future_direction_label": _scale_name(sheet, "directions", sheet.future_direction),
        }
        if shows("progress"):
            row["progress_grade"] = sheet.progress_grade
            row["progress_grade_label"] = _scale_name(
                sheet, "progress_grades", sheet.progress_grade
            )
        if not is_action:
            return {
                **row,
                "url": _url(f"{sheet.cycle.plan.get_absolute_url()}#node-{sheet.node_id}"),
            }
        if shows("progress"):
            row["progress_status"] = sheet.progress_status
            row["progress_status_label"] = _scale_name(
                sheet, "progress_statuses", sheet.progress_status
            )
        purpose = (
            sheet.purpose_target,
            sheet.purpose_intent,
            sheet.purpose_means,
            sheet.legal_basis,
        )
        if shows("purpose") and any(purpose):
            row.update(
                purpose_target=sheet.purpose_target,
                purpose_intent=sheet.purpose_intent,
                purpose_means=sheet.purpose_means,
                legal_basis=sheet.legal_basis,
                delivery_method=sheet.delivery_method,
                delivery_method_label=_label(DeliveryMethod, sheet.delivery_method),
            )
        row.update(
            activities=sheet.activities,
            department_comment=sheet.department_comment,
            improvement_plan=sheet.improvement_plan,
            review_comment=sheet.review_comment,
            url=_url(f"{sheet.action.get_absolute_url()}#result-{fy}"),
        )
        return row


class IndicatorsDataset(SheetBasedDataset):
    sheet_prefix = "sheet__"

    def base_queryset(self) -> QuerySet:
        sheets = sheets_published().filter(action__isnull=False).filter(has_block("indicators"))
        return Indicator.objects.filter(sheet__in=sheets).select_related("sheet__cycle")

    def row(self, indicator, context):
        return {
            "indicator_id": indicator.pk,
            **_sheet_ids(indicator.sheet, indicator.sheet.cycle.fy),
            "series_id": str(indicator.series),
            "position": indicator.position,
            "kind": indicator.kind,
            "kind_label": _label(IndicatorKind, indicator.kind),
            "name": indicator.name,
            "unit": indicator.unit,
            "direction": indicator.direction,
            "direction_label": _label(Direction, indicator.direction),
            "baseline": indicator.baseline,
            "target": indicator.target,
            "actual": indicator.actual,
            "progress_rate": figures.data_rate(indicator.progress_rate),
            "achievement_rate": figures.data_rate(indicator.achievement_rate),
            "target_met": indicator.target_met,
        }


class CostsDataset(SheetBasedDataset):
    sheet_prefix = "sheet__"

    def base_queryset(self) -> QuerySet:
        # The portal prints no cost table when every line is zero: neither do we.
        nonzero = CostLine.objects.filter(sheet=OuterRef("sheet")).exclude(
            national=0, prefectural=0, municipal_bonds=0, other=0, general=0, person_years=0
        )
        sheets = sheets_published().filter(action__isnull=False).filter(has_block("cost"))
        return (
            CostLine.objects.filter(sheet__in=sheets)
            .filter(Exists(nonzero))
            .select_related("sheet__cycle")
        )

    def row_context(self):
        return {"unit_costs": dict(StaffUnitCost.objects.values_list("fy", "amount"))}

    def row(self, line, context):
        fy = line.sheet.cycle.fy
        # The same figures as the portal's cost table: one computation (evaluations.figures).
        column = figures.cost_figures(
            line, kind=line.kind, sheet_fy=fy, unit_costs=context["unit_costs"]
        )
        return {
            "cost_line_id": line.pk,
            **_sheet_ids(line.sheet, fy),
            "kind": line.kind,
            "kind_label": _label(CostKind, line.kind),
            "cost_fy": column.fy,
            "national": line.national,
            "prefectural": line.prefectural,
            "municipal_bonds": line.municipal_bonds,
            "other": line.other,
            "general": line.general,
            "project_cost": column.project_cost,
            "person_years": column.person_years,
            "staff_cost": column.staff_cost,
            "total_cost": column.total_cost,
        }


class EffectsDataset(SheetBasedDataset):
    def base_queryset(self) -> QuerySet:
        return (
            sheets_published()
            .filter(action__isnull=False)
            .filter(has_block("progress"))
            .filter(Q(effect_savings__isnull=False) | Q(effect_revenue__isnull=False))
            .select_related("cycle")
        )

    def row(self, sheet, context):
        return {
            **_sheet_ids(sheet, sheet.cycle.fy),
            "effect_savings": sheet.effect_savings,
            "effect_revenue": sheet.effect_revenue,
            "effect_total": (sheet.effect_savings or 0) + (sheet.effect_revenue or 0),
        }


SHEET_ID = Column(
    "sheet_id", _("評価シートID"), "integer", _("評価シートの番号。sheets の sheet_id と対応。")
)
ACTION_ID = Column(
    "action_id", _("取組ID"), "integer", _("評価した取組（actions の action_id）。施策評価では空。")
)
FY = Column("fy", _("年度"), "integer", _("評価の対象年度（西暦。4月始まりの年度）。"))
DEPARTMENT_ID = Column(
    "department_id",
    _("担当課ID"),
    "integer",
    _("その年度の担当課（departments の department_id）。企画担当が作成したシートは空。"),
)
SHEET_KEYS = (SHEET_ID, ACTION_ID, PLAN_ID, FY, DEPARTMENT_ID)


def _money(name: str, label: str, description: str = "") -> Column:
    return Column(name, label, "decimal", description or _("千円。"))


SHEETS = SheetsDataset(
    name="sheets",
    title=_("評価結果（評価シート）"),
    description=_("公表した評価シート。1行が1件の取組（または施策）の1年度分です。"),
    filters=SHEET_FILTERS,
    columns=(
        *SHEET_KEYS,
        Column(
            "node_id",
            _("節ID"),
            "integer",
            _("取組が属する節、または施策評価の節（nodes の node_id）。"),
        ),
        Column(
            "subject_type", _("評価の対象"), "string", _("action（取組）または node（施策評価）。")
        ),
        Column(
            "subject",
            _("対象名"),
            "string",
            _("取組名（ない場合は内容の全文）または節の名称。省略しません。"),
        ),
        Column("fy_label", _("年度（表示）"), "string", _("和暦と西暦の年度。")),
        Column(
            "department_name",
            _("担当課"),
            "string",
            _("その年度の担当課の名称（組織改正後も当時の名称）。"),
        ),
        Column("published_on", _("公表日"), "date", _("公表した日（YYYY-MM-DD）。")),
        Column(
            "overall_grade",
            _("総合評価コード"),
            "string",
            _("総合評価のコード（A など。grade で絞り込めます）。"),
        ),
        Column(
            "overall_grade_label",
            _("総合評価"),
            "string",
            _("総合評価の意味（例: 概ね順調）。表示名がコードと同じ記号のときはその意味。"),
        ),
        Column(
            "future_direction",
            _("今後の方向性コード"),
            "string",
            _("今後の方向性のコード（direction で絞り込めます）。"),
        ),
        Column(
            "future_direction_label",
            _("今後の方向性"),
            "string",
            _("今後の方向性の名称（例: 継続）。"),
        ),
        Column(
            "progress_status",
            _("進捗状況コード"),
            "string",
            _("進捗状況（行財政改革計画など進捗を管理する計画のみ）。"),
        ),
        Column(
            "progress_status_label", _("進捗状況"), "string", _("進捗状況の名称（例: 取組中）。")
        ),
        Column("progress_grade", _("進捗評価コード"), "string", _("進捗評価（S・A・B・C など）。")),
        Column(
            "progress_grade_label",
            _("進捗評価"),
            "string",
            _("進捗評価の意味（例: 良好）。表示名がコードと同じ記号のときはその意味。"),
        ),
        Column("purpose_target", _("対象（誰・何を）"), "string", _("事業の目的のうち対象。")),
        Column(
            "purpose_intent",
            _("意図（どのような状態にしたいか）"),
            "string",
            _("事業の目的のうち意図。"),
        ),
        Column("purpose_means", _("手段（何をするか）"), "string", _("事業の目的のうち手段。")),
        Column("legal_basis", _("根拠法令等"), "string", _("根拠となる法令・条例・計画など。")),
        Column(
            "delivery_method",
            _("実施方法コード"),
            "string",
            _("direct / outsourced / designated_manager / subsidy / other。"),
        ),
        Column(
            "delivery_method_label",
            _("実施方法"),
            "string",
            _("直営・委託・指定管理・補助・その他。"),
        ),
        Column("activities", _("取組内容"), "string", _("その年度に実施したこと。")),
        Column("department_comment", _("担当課の所見"), "string", _("担当課による評価の所見。")),
        Column(
            "improvement_plan", _("改善策（次年度の取組）"), "string", _("次年度に向けた改善策。")
        ),
        Column("review_comment", _("二次評価の所見"), "string", _("企画担当（二次評価）の所見。")),
        URL,
    ),
)

INDICATORS = IndicatorsDataset(
    name="indicators",
    title=_("指標（目標値・実績値）"),
    description=_(
        "公表した評価シートの活動指標・成果指標。基準値・目標値・実績値と進捗率・達成率。"
    ),
    filters=SHEET_FILTERS,
    columns=(
        Column("indicator_id", _("指標ID"), "integer", _("指標の番号（年度ごとに別の行）。")),
        *SHEET_KEYS,
        Column(
            "series_id",
            _("系列ID"),
            "string",
            _("同じ指標の各年度の行に共通の識別子（年度をまたいだ比較に使う）。"),
        ),
        Column("position", _("順序"), "integer", _("シートの中での並び順。")),
        Column("kind", _("種別コード"), "string", _("activity（活動指標）/ outcome（成果指標）。")),
        Column("kind_label", _("種別"), "string", _("活動指標・成果指標。")),
        Column("name", _("指標名"), "string", _("指標の名称。")),
        Column("unit", _("単位"), "string", _("値の単位。")),
        Column(
            "direction",
            _("方向コード"),
            "string",
            _("higher（高いほど良い）/ lower（低いほど良い）。"),
        ),
        Column("direction_label", _("方向"), "string", _("高いほど良い・低いほど良い。")),
        Column("baseline", _("基準値"), "decimal", _("計画策定時などの基準値。")),
        Column("target", _("目標値"), "decimal", _("その年度の目標値。")),
        Column("actual", _("実績値"), "decimal", _("その年度の実績値。")),
        Column(
            "progress_rate",
            _("進捗率"),
            "decimal",
            _(
                "（実績値－基準値）÷（目標値－基準値）。1 が 100%。小数第4位まで。算出できない場合は空。"
            ),
        ),
        Column(
            "achievement_rate",
            _("達成率"),
            "decimal",
            _("実績値÷目標値（低いほど良い指標は目標値÷実績値）。1 が 100%。小数第4位まで。"),
        ),
        Column(
            "target_met",
            _("目標達成"),
            "boolean",
            _("実績値が目標値に達したか（true / false。比較できない場合は空）。"),
        ),
    ),
)

COSTS = CostsDataset(
    name="costs",
    title=_("コスト（事業費・人件費）"),
    description=_("公表した評価シートのコスト。予算・決算の区分ごとに1行、金額は千円。"),
    filters=SHEET_FILTERS,
    columns=(
        Column("cost_line_id", _("コスト行ID"), "integer", _("コスト行の番号。")),
        *SHEET_KEYS,
        Column(
            "kind",
            _("区分コード"),
            "string",
            _("budget（当年度予算）/ actual（当年度決算）/ next_budget（次年度予算）。"),
        ),
        Column(
            "kind_label",
            _("区分"),
            "string",
            _("当年度予算・当年度決算（見込）・次年度予算（見込）。"),
        ),
        Column(
            "cost_fy", _("会計年度"), "integer", _("金額が属する年度（次年度予算は fy の翌年度）。")
        ),
        _money("national", _("国庫支出金")),
        _money("prefectural", _("県支出金")),
        _money("municipal_bonds", _("地方債")),
        _money("other", _("その他")),
        _money("general", _("一般財源")),
        _money("project_cost", _("事業費"), _("財源の合計。千円。")),
        Column("person_years", _("人工（人）"), "decimal", _("職員の従事量（人・年）。")),
        _money(
            "staff_cost",
            _("人件費"),
            _(
                "人工×人件費単価（行に単価の指定があればそれ、なければ会計年度の単価。"
                "次年度予算は翌年度の単価が未設定なら当年度の単価）。千円。単価が分からなければ空。"
            ),
        ),
        _money("total_cost", _("総コスト"), _("事業費＋人件費。千円。")),
    ),
)

EFFECTS = EffectsDataset(
    name="effects",
    title=_("効果額"),
    description=_("行財政改革の取組などの効果額（歳出削減・歳入確保）。千円。"),
    filters=SHEET_FILTERS,
    columns=(
        *SHEET_KEYS,
        _money("effect_savings", _("効果額（歳出削減）")),
        _money("effect_revenue", _("効果額（歳入確保）")),
        _money("effect_total", _("効果額（合計）"), _("歳出削減＋歳入確保。千円。")),
    ),
)
