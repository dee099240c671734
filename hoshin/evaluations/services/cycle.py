"""Opening a plan's evaluation year and setting its calendar."""

import datetime
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from hoshin.audit.services import audit_record
from hoshin.evaluations.models import (
    CostKind,
    CostLine,
    EvaluationCycle,
    EvaluationSheet,
    EvaluationTemplate,
    Indicator,
)
from hoshin.lib.fiscal import fiscal_year_of, format_fiscal_year
from hoshin.org.roles import is_planning_office
from hoshin.plans.models import ActionDepartment, Plan

# Fields copied from last year's sheet: the plan part stays, the results start empty.
CARRIED_FIELDS = (
    "purpose_target",
    "purpose_intent",
    "purpose_means",
    "legal_basis",
    "delivery_method",
)
CARRIED_INDICATOR_FIELDS = (
    "series",
    "position",
    "kind",
    "name",
    "unit",
    "direction",
    "baseline",
    "target",
)


def template_for(*, plan: Plan) -> EvaluationTemplate:
    """The plan's evaluation template, created from the defaults the first time it is needed."""
    template, _ = EvaluationTemplate.objects.get_or_create(
        plan=plan, defaults=EvaluationTemplate.default_values(plan=plan)
    )
    return template


@dataclass
class YearOpened:
    cycle: EvaluationCycle
    sheets: int
    carried_over: int


@transaction.atomic
def fiscal_year_start(
    *, plan: Plan, fy: int, by=None, today: datetime.date | None = None
) -> YearOpened:
    """Open ``fy`` for ``plan``: a sheet per action (and configured node), carried over from fy-1.

    ``by`` is None only for ``start_fiscal_year`` run without ``--user`` (the operator's shell).
    """
    if by is not None and not is_planning_office(user=by):
        raise PermissionDenied("評価年度の開始は企画担当だけが行えます。")
    today = today or datetime.date.today()
    if fy > fiscal_year_of(today) + 1:
        raise ValidationError(
            f"{format_fiscal_year(fy)}はまだ開始できません（開始できるのは翌年度まで）。"
        )
    if (plan.start_fy and fy < plan.start_fy) or (plan.end_fy and fy > plan.end_fy):
        raise ValidationError(
            f"{format_fiscal_year(fy)}は計画期間（{plan.period_label}）の外です。"
        )
    if EvaluationCycle.objects.filter(plan=plan, fy=fy).exists():
        raise ValidationError(f"{plan.name}の{format_fiscal_year(fy)}は既に開始しています。")
    template = template_for(plan=plan)
    cycle = EvaluationCycle.objects.create(plan=plan, fy=fy, opened_by=by)
    previous = {
        (sheet.action_id, sheet.node_id): sheet
        for sheet in EvaluationSheet.objects.filter(
            cycle__plan=plan, cycle__fy=fy - 1
        ).prefetch_related("indicators", "costs")
    }
    leads = _lead_departments(plan=plan, fy=fy)
    scales = template.snapshot()
    new_sheets = []
    for action_id in plan.actions.order_by("node__depth", "node__position", "position").values_list(
        "pk", flat=True
    ):
        new_sheets.append(
            _new_sheet(
                cycle,
                scales,
                previous.get((action_id, None)),
                action_id=action_id,
                department_id=leads.get(action_id),
            )
        )
    if template.node_depths:
        for node_id in plan.nodes.filter(depth__in=template.node_depths).values_list(
            "pk", flat=True
        ):
            new_sheets.append(
                _new_sheet(cycle, scales, previous.get((None, node_id)), node_id=node_id)
            )
    EvaluationSheet.objects.bulk_create(new_sheets, batch_size=1000)
    indicators, costs = [], []
    for sheet in new_sheets:
        last = sheet.previous
        if last is not None:
            indicators += [
                Indicator(sheet=sheet, **{f: getattr(old, f) for f in CARRIED_INDICATOR_FIELDS})
                for old in last.indicators.all()
            ]
        last_costs = {line.kind: line for line in last.costs.all()} if last else {}
        for kind in CostKind.values:
            line = CostLine(sheet=sheet, kind=kind)
            # Last year's "next year" estimate is this year's budget until staff change it.
            if kind == CostKind.BUDGET and CostKind.NEXT_BUDGET in last_costs:
                source = last_costs[CostKind.NEXT_BUDGET]
                for name in (*CostLine.FUNDING_FIELDS, "person_years"):
                    setattr(line, name, getattr(source, name))
            costs.append(line)
    Indicator.objects.bulk_create(indicators, batch_size=2000)
    CostLine.objects.bulk_create(costs, batch_size=2000)
    carried = sum(1 for sheet in new_sheets if sheet.previous_id)
    audit_record(
        actor=by,
        verb="cycle.start",
        target=cycle,
        summary=f"{plan.name} {format_fiscal_year(fy)} を開始（シート {len(new_sheets)} 件）",
        data={"carried_over": carried},
    )
    return YearOpened(cycle=cycle, sheets=len(new_sheets), carried_over=carried)


def _new_sheet(cycle, scales, last, *, action_id=None, node_id=None, department_id=None):
    sheet = EvaluationSheet(
        cycle=cycle,
        action_id=action_id,
        node_id=node_id,
        department_id=department_id if action_id else (last.department_id if last else None),
        previous=last,
        scales=scales,
    )
    if last is not None:
        for name in CARRIED_FIELDS:
            setattr(sheet, name, getattr(last, name))
    return sheet


def _lead_departments(*, plan: Plan, fy: int) -> dict[int, int]:
    """The department in charge of each action in ``fy``: its lead, else its first department."""
    leads: dict[int, int] = {}
    lines = (
        ActionDepartment.objects.filter(action__plan=plan, department__isnull=False)
        .order_by("action_id", "-is_lead", "position", "id")
        .values_list("action_id", "department_id", "valid_from_fy", "valid_until_fy")
    )
    for action_id, department_id, valid_from, valid_until in lines:
        if (valid_from is None or valid_from <= fy) and (valid_until is None or fy <= valid_until):
            leads.setdefault(action_id, department_id)
    return leads


@transaction.atomic
def cycle_set_due_dates(
    *,
    cycle: EvaluationCycle,
    by,
    submit_due: datetime.date | None,
    approve_due: datetime.date | None,
    review_due: datetime.date | None,
) -> EvaluationCycle:
    """Set the due date of each stage; they must follow one another."""
    if not is_planning_office(user=by):
        raise PermissionDenied("期限の設定は企画担当だけが行えます。")
    dates = [d for d in (submit_due, approve_due, review_due) if d is not None]
    if dates != sorted(dates):
        raise ValidationError("期限は 提出 → 承認 → 審査 の順に設定してください。")
    cycle.submit_due, cycle.approve_due, cycle.review_due = submit_due, approve_due, review_due
    cycle.save(update_fields=["submit_due", "approve_due", "review_due"])
    audit_record(
        actor=by,
        verb="cycle.due_dates",
        target=cycle,
        summary=f"{cycle} の期限を設定",
        data={"submit": str(submit_due), "approve": str(approve_due), "review": str(review_due)},
    )
    return cycle
