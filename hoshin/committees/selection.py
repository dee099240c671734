"""Running a committee year's selection rules over its plan's sheets: the candidates, each with
the reasons it was picked (``selection_run``). Reads only; choosing a target is
``services.selection.target_select``.

Which sheets: the action sheets of the committee's plan and fiscal year that have left their
department (approved, final or published), since the internal result must exist.

How the rules combine:

- the *conditions* (``internal_result``, ``cost_floor``, ``own_projects``) must all hold; each
  one that holds adds its reason. With no condition configured the rules pick nothing (the
  committee then works from nominations only), never the whole plan;
- ``top_per_department`` then keeps each department's N largest by total cost;
- ``exclude`` removes actions or departments, each exclusion listed with its rule's note;
- nominated sheets are always candidates, with every nomination as a reason; an exclusion that
  would have removed one is shown as a warning rather than hiding the nomination.

Costs come from ``hoshin.evaluations.figures`` (the one computation of 総コスト). "The city's own
projects" (市単独事業) is what the data can tell: a column with no 国庫支出金 and no 県支出金.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.translation import gettext as _

from hoshin.committees.models import Committee, Nomination, RuleKind, SelectionRule
from hoshin.evaluations.figures import cost_figures, unit_costs_around
from hoshin.evaluations.models import CostKind, EvaluationSheet, Stage
from hoshin.lib.numbers import format_amount

SELECTABLE_STAGES = (Stage.APPROVED, Stage.FINAL, Stage.PUBLISHED)
CONDITIONS = (RuleKind.INTERNAL_RESULT, RuleKind.COST_FLOOR, RuleKind.OWN_PROJECTS)
COST_COLUMNS = (CostKind.ACTUAL, CostKind.BUDGET, CostKind.NEXT_BUDGET)


@dataclass
class Candidate:
    sheet: EvaluationSheet
    total_cost: Decimal | None  # of the column the cost rules name (this year's actual if none)
    reasons: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    nominated: bool = False
    selected: bool = False  # already a target of this committee


@dataclass
class SelectionResult:
    candidates: list[Candidate]
    excluded: list[tuple[EvaluationSheet, str]]  # met the conditions, removed by an exclusion


def selectable_sheets(*, committee: Committee):
    """The sheets the committee may review: its plan's action sheets of its year, reviewed."""
    return EvaluationSheet.objects.filter(
        cycle__plan_id=committee.plan_id,
        cycle__fy=committee.fy,
        action__isnull=False,
        stage__in=SELECTABLE_STAGES,
    )


def _total_cost(sheet, column: str, unit_costs) -> tuple[Decimal | None, object]:
    line = next((c for c in sheet.costs.all() if c.kind == column), None)
    if line is None:
        return None, None
    figures = cost_figures(line, kind=column, sheet_fy=sheet.cycle.fy, unit_costs=unit_costs)
    return figures.total_cost, line


def _check(rule: SelectionRule, sheet, unit_costs) -> str | None:
    """The reason ``sheet`` meets the condition ``rule``, or None when it does not."""
    params = rule.params
    if rule.kind == RuleKind.INTERNAL_RESULT:
        if sheet.overall_grade and sheet.overall_grade in params.get("grades", []):
            return _("内部評価の総合評価が「%(grade)s」") % {
                "grade": sheet.scale_label("grades", sheet.overall_grade)
            }
        if sheet.future_direction and sheet.future_direction in params.get("directions", []):
            return _("内部評価の今後の方向性が「%(direction)s」") % {
                "direction": sheet.scale_label("directions", sheet.future_direction)
            }
        return None
    column = params.get("column", CostKind.ACTUAL)
    total, line = _total_cost(sheet, column, unit_costs)
    if rule.kind == RuleKind.COST_FLOOR:
        floor = Decimal(params["amount"])
        if total is None or total < floor:
            return None
        return _("総コスト%(total)s千円（%(floor)s千円以上）") % {
            "total": format_amount(total),
            "floor": format_amount(floor),
        }
    if rule.kind == RuleKind.OWN_PROJECTS:
        if line is None or line.national or line.prefectural:
            return None
        return _("市単独事業（国庫支出金・県支出金なし）")
    raise ValueError(rule.kind)


def selection_run(*, committee: Committee) -> SelectionResult:
    """The candidates of the committee year by its rules and nominations, each with its reasons,
    largest total cost first."""
    rules = list(committee.selection_rules.all())
    conditions = [r for r in rules if r.kind in CONDITIONS]
    cost_rule = next(
        (r for r in rules if r.kind in (RuleKind.COST_FLOOR, RuleKind.OWN_PROJECTS)), None
    )
    ranking_column = (
        cost_rule.params.get("column", CostKind.ACTUAL) if cost_rule else CostKind.ACTUAL
    )
    sheets = list(
        selectable_sheets(committee=committee)
        .select_related("cycle", "department", "action")
        .prefetch_related("costs")
    )
    unit_costs = unit_costs_around([committee.fy])
    by_id: dict[int, Candidate] = {}
    for sheet in sheets:
        total, _line = _total_cost(sheet, ranking_column, unit_costs)
        candidate = Candidate(sheet=sheet, total_cost=total)
        if conditions:
            reasons = [_check(rule, sheet, unit_costs) for rule in conditions]
            if all(reasons):
                candidate.reasons = list(reasons)
                by_id[sheet.pk] = candidate
    for rule in rules:
        if rule.kind == RuleKind.TOP_PER_DEPARTMENT:
            _keep_top(by_id, n=int(rule.params["n"]))
    excluded = []
    exclusions = [r for r in rules if r.kind == RuleKind.EXCLUDE]
    for sheet_id in list(by_id):
        note = _exclusion(exclusions, by_id[sheet_id].sheet)
        if note is not None:
            excluded.append((by_id.pop(sheet_id).sheet, note))
    sheets_by_id = {s.pk: s for s in sheets}
    nominations = Nomination.objects.filter(committee=committee).select_related("member")
    for nomination in nominations:
        sheet = sheets_by_id.get(nomination.sheet_id)
        if sheet is None:
            continue  # the sheet went back to its department: not selectable now
        if sheet.pk not in by_id:
            total, _line = _total_cost(sheet, ranking_column, unit_costs)
            by_id[sheet.pk] = Candidate(sheet=sheet, total_cost=total)
            note = _exclusion(exclusions, sheet)
            if note is not None:
                by_id[sheet.pk].warnings.append(note)
        candidate = by_id[sheet.pk]
        candidate.nominated = True
        candidate.reasons.append(_nomination_reason(nomination))
    selected = set(committee.targets.values_list("sheet_id", flat=True))
    for candidate in by_id.values():
        candidate.selected = candidate.sheet.pk in selected
    ordered = sorted(
        by_id.values(),
        key=lambda c: (c.total_cost is None, -(c.total_cost or 0), c.sheet.pk),
    )
    return SelectionResult(candidates=ordered, excluded=excluded)


def _keep_top(by_id: dict[int, Candidate], *, n: int) -> None:
    groups: dict[int | None, list[Candidate]] = defaultdict(list)
    for candidate in by_id.values():
        groups[candidate.sheet.department_id].append(candidate)
    for members in groups.values():
        members.sort(key=lambda c: (c.total_cost is None, -(c.total_cost or 0), c.sheet.pk))
        for rank, candidate in enumerate(members, start=1):
            if rank > n:
                del by_id[candidate.sheet.pk]
            else:
                candidate.reasons.append(
                    _("担当課内で総コスト%(rank)s位（上位%(n)s件まで）") % {"rank": rank, "n": n}
                )


def _exclusion(exclusions: list[SelectionRule], sheet) -> str | None:
    for rule in exclusions:
        if sheet.action_id in rule.params.get("action_ids", []) or (
            sheet.department_id and sheet.department_id in rule.params.get("department_ids", [])
        ):
            return rule.note or _("除外ルールに該当")
    return None


def _nomination_reason(nomination: Nomination) -> str:
    who = nomination.member.name if nomination.member_id else nomination.get_source_display()
    return _("%(who)sによる推薦：%(reason)s") % {"who": who, "reason": nomination.reason}
