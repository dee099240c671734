"""The plan page's results: per node, the latest published year of a plan (public reads).

Every query starts from ``public.sheets_published()``; the result is counts and sums per node,
which ``hoshin.portal.selectors`` rolls up the plan tree.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, OuterRef, Subquery, Sum
from django.db.models.functions import Coalesce

from hoshin.evaluations.models import EvaluationTemplate
from hoshin.evaluations.progress import progress_rate_expression
from hoshin.evaluations.selectors.public import ScaleValue, sheets_published
from hoshin.lib import palette
from hoshin.lib.fiscal import display_fiscal_year
from hoshin.plans.models import Plan


@dataclass
class NodeResult:
    """Published sheets of one node (and, once rolled up, everything below it) in one year."""

    sheets: int = 0
    grades: dict[str, int] = field(default_factory=dict)
    directions: dict[str, int] = field(default_factory=dict)  # 今後の方向性 → sheets
    statuses: dict[str, int] = field(default_factory=dict)  # 進捗状況 → sheets
    rate_sum: float = 0.0
    rate_count: int = 0

    @property
    def mean_progress_rate(self) -> Decimal | None:
        """Mean progress rate of the published indicators whose rate is defined."""
        if not self.rate_count:
            return None
        return Decimal(str(self.rate_sum / self.rate_count))

    def add(self, other: "NodeResult") -> None:
        self.sheets += other.sheets
        self.rate_sum += other.rate_sum
        self.rate_count += other.rate_count
        for mine, theirs in (
            (self.grades, other.grades),
            (self.directions, other.directions),
            (self.statuses, other.statuses),
        ):
            for code, n in theirs.items():
                mine[code] = mine.get(code, 0) + n


@dataclass
class GradeCount:
    grade: ScaleValue
    count: int
    fill: palette.Fill = palette.BLANK_FILL  # the category's colour and pattern in every chart


@dataclass
class PlanResults:
    fy: int | None
    grade_scale: list[ScaleValue]
    by_node: dict[int, NodeResult]  # direct results of each node (its actions and itself)
    direction_scale: list[ScaleValue] = field(default_factory=list)
    status_scale: list[ScaleValue] = field(default_factory=list)
    # The whole plan, filled in by whoever rolls by_node up the tree (portal.selectors).
    total: NodeResult = field(default_factory=NodeResult)
    total_grade_counts: list["GradeCount"] = field(default_factory=list)

    @property
    def fy_label(self) -> str:
        return display_fiscal_year(self.fy) if self.fy else ""

    def distribution(self, result: NodeResult) -> list[GradeCount]:
        """Grade counts in the template's order; grades no longer in it, then blanks, come last."""
        return _counts(self.grade_scale, result.grades, kind=palette.ORDINAL)

    def direction_distribution(self, result: NodeResult) -> list[GradeCount]:
        """Future-direction (今後の方向性) counts, ordered like ``distribution``."""
        return _counts(self.direction_scale, result.directions, kind=palette.NOMINAL)

    def status_distribution(self, result: NodeResult) -> list[GradeCount]:
        """Progress-status (進捗状況) counts; empty when no sheet has one (plans without it)."""
        if not any(code for code in result.statuses):
            return []
        return _counts(self.status_scale, result.statuses, kind=palette.PROGRESS)


def _counts(scale: list[ScaleValue], counts: dict[str, int], *, kind: str) -> list[GradeCount]:
    """Every value of the scale in its order (zeros included: legends keep the scale's order),
    then values no longer in it, then blanks; each with its fill (``hoshin.lib.palette``)."""
    fills = palette.scale_fills([item.code for item in scale], kind=kind)
    result = [GradeCount(item, counts.get(item.code, 0), fills[item.code]) for item in scale]
    unknown = sorted(code for code in counts if code not in fills and code)
    result += [
        GradeCount(
            ScaleValue(code, code), counts[code], palette.fill_of(code, fills, extra_index=i)
        )
        for i, code in enumerate(unknown)
    ]
    if counts.get(""):
        result.append(GradeCount(ScaleValue("", "未記入"), counts[""], palette.BLANK_FILL))
    return result


def plan_results_public(*, plan: Plan) -> PlanResults:
    """The latest published year of a plan, per node: sheets, grades, future directions,
    progress statuses and mean progress rate.

    Two aggregate queries whatever the plan's size (one when nothing is published).
    """
    latest = (
        sheets_published()
        .filter(cycle__plan=OuterRef("pk"))
        .order_by("-cycle__fy")
        .values("cycle__fy")[:1]
    )
    head = (
        Plan.objects.filter(pk=plan.pk)
        .annotate(latest_fy=Subquery(latest))
        .values(
            "latest_fy",
            "evaluation_template__grades",
            "evaluation_template__directions",
            "evaluation_template__progress_statuses",
        )
        .first()
    )
    fy = head["latest_fy"] if head else None
    if fy is None:
        return PlanResults(fy=None, grade_scale=[], by_node={})
    defaults_ = EvaluationTemplate.default_values(plan=plan)
    grades = head["evaluation_template__grades"] or defaults_["grades"]
    directions = head["evaluation_template__directions"] or defaults_["directions"]
    statuses = head["evaluation_template__progress_statuses"] or defaults_["progress_statuses"]
    rate = progress_rate_expression("indicators__")
    rows = (
        sheets_published()
        .filter(cycle__plan=plan, cycle__fy=fy)
        .annotate(node_key=Coalesce("action__node_id", "node_id"))
        .values("node_key", "overall_grade", "future_direction", "progress_status")
        .annotate(
            sheet_count=Count("id", distinct=True),
            rate_sum=Sum(rate),
            rate_count=Count(rate),
        )
        .order_by()
    )
    by_node: dict[int, NodeResult] = defaultdict(NodeResult)
    for row in rows:
        result = by_node[row["node_key"]]
        result.sheets += row["sheet_count"]
        for counts, code in (
            (result.grades, row["overall_grade"]),
            (result.directions, row["future_direction"]),
            (result.statuses, row["progress_status"]),
        ):
            counts[code] = counts.get(code, 0) + row["sheet_count"]
        result.rate_sum += row["rate_sum"] or 0.0
        result.rate_count += row["rate_count"]
    return PlanResults(
        fy=fy,
        grade_scale=_scale(grades),
        by_node=dict(by_node),
        direction_scale=_scale(directions),
        status_scale=_scale(statuses),
    )


def _scale(items: list[dict]) -> list[ScaleValue]:
    return [ScaleValue(i["code"], i.get("label") or i["code"], i.get("meaning", "")) for i in items]


# ---- what changed since the year before -------------------------------------------------------


@dataclass
class YearChanges:
    """The latest published year against the one before, counted by action (or node) sheet.

    Grades are compared by their position in this year's scale (the first is the best); a
    sheet whose grade is blank, or no longer in the scale, in either year is ``unranked``.
    """

    fy: int
    previous_fy: int
    previous_published: bool = False  # was anything published for the year before?
    compared: int = 0  # evaluated and published in both years
    up: int = 0
    down: int = 0
    same: int = 0
    unranked: int = 0
    new: int = 0  # published this year only
    ended: int = 0  # published the year before only (finished, merged, suspended …)

    @property
    def previous_fy_label(self) -> str:
        return display_fiscal_year(self.previous_fy)


def plan_year_changes_public(*, plan: Plan, results: PlanResults) -> YearChanges | None:
    """How the latest published year differs from the year before; None when none is published.

    One query (the grade of every published sheet of the two years).
    """
    if results.fy is None:
        return None
    changes = YearChanges(fy=results.fy, previous_fy=results.fy - 1)
    rank = {item.code: index for index, item in enumerate(results.grade_scale)}
    grades: dict[int, dict[tuple, str]] = {changes.fy: {}, changes.previous_fy: {}}
    rows = (
        sheets_published()
        .filter(cycle__plan=plan, cycle__fy__in=list(grades))
        .values_list("cycle__fy", "action_id", "node_id", "overall_grade")
        .order_by()
    )
    for fy, action_id, node_id, grade in rows:
        grades[fy][(action_id, node_id)] = grade
    this_year, last_year = grades[changes.fy], grades[changes.previous_fy]
    changes.previous_published = bool(last_year)
    for key, grade in this_year.items():
        if key not in last_year:
            changes.new += 1
            continue
        changes.compared += 1
        before, now = rank.get(last_year[key]), rank.get(grade)
        if before is None or now is None:
            changes.unranked += 1
        elif now < before:
            changes.up += 1
        elif now > before:
            changes.down += 1
        else:
            changes.same += 1
    changes.ended = sum(1 for key in last_year if key not in this_year)
    return changes


# ---- each action's result in the latest published year ----------------------------------------


@dataclass
class ActionResult:
    """One action's overall grade and future direction in the plan's latest published year."""

    grade: GradeCount | None
    direction: GradeCount | None


def action_results_in_year(
    *, results: PlanResults, action_ids: list[int]
) -> dict[int, ActionResult]:
    """The latest published year's grade and direction of each of ``action_ids`` (one query).

    Values carry their label and fill (as in the charts); actions without a published sheet
    that year are absent.
    """
    if results.fy is None or not action_ids:
        return {}
    grades = {
        item.grade.code: item for item in _counts(results.grade_scale, {}, kind=palette.ORDINAL)
    }
    directions = {
        item.grade.code: item for item in _counts(results.direction_scale, {}, kind=palette.NOMINAL)
    }
    rows = (
        sheets_published()
        .filter(cycle__fy=results.fy, action_id__in=action_ids)
        .values_list("action_id", "overall_grade", "future_direction")
        .order_by()
    )

    def value(code: str, known: dict[str, GradeCount]) -> GradeCount | None:
        if not code:
            return None
        return known.get(code) or GradeCount(ScaleValue(code, code), 1, palette.fill_of(code, {}))

    return {
        action_id: ActionResult(grade=value(grade, grades), direction=value(direction, directions))
        for action_id, grade, direction in rows
    }
