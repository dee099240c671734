"""What is waiting for a member of staff ("My tasks"), most urgent first."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Case, DateField, F, Q, QuerySet, When
from django.utils.translation import gettext_lazy as _

from hoshin.evaluations.models import EvaluationSheet, Stage
from hoshin.org.models import Role
from hoshin.org.roles import departments_for_role, is_planning_office


@dataclass(frozen=True)
class TaskGroupSpec:
    key: str
    title: str
    action: str  # what the user is expected to do, shown beside the count
    stages: tuple[str, ...]


GROUPS = (
    TaskGroupSpec(
        "draft", _("作成・修正するシート"), _("入力して提出"), (Stage.DRAFT, Stage.RETURNED)
    ),
    TaskGroupSpec(
        "approve", _("承認待ちのシート（一次評価）"), _("確認して承認"), (Stage.SUBMITTED,)
    ),
    TaskGroupSpec(
        "review", _("審査待ちのシート（二次評価）"), _("審査して確定"), (Stage.APPROVED,)
    ),
    TaskGroupSpec("publish", _("公表待ちのシート"), _("公表"), (Stage.FINAL,)),
)


@dataclass
class Task:
    sheet: EvaluationSheet
    due: datetime.date | None
    days_left: int | None  # negative when overdue

    @property
    def is_overdue(self) -> bool:
        return self.days_left is not None and self.days_left < 0


@dataclass
class TaskGroup:
    key: str
    title: str
    action: str
    tasks: list[Task] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.tasks)

    @property
    def overdue(self) -> int:
        return sum(1 for task in self.tasks if task.is_overdue)


def _due_expression() -> Case:
    """The due date of each sheet's current stage, as EvaluationCycle.due_for computes it."""
    return Case(
        When(stage__in=[Stage.DRAFT, Stage.RETURNED], then=F("cycle__submit_due")),
        When(stage=Stage.SUBMITTED, then=F("cycle__approve_due")),
        When(stage=Stage.APPROVED, then=F("cycle__review_due")),
        default=None,
        output_field=DateField(),
    )


def _waiting_filter(*, user, stages: tuple[str, ...]) -> Q | None:
    """Which sheets in ``stages`` wait for ``user`` (None: none do)."""
    planning = is_planning_office(user=user)
    if Stage.DRAFT in stages:
        ids = departments_for_role(user=user, role=Role.DEPARTMENT_EDITOR)
    elif Stage.SUBMITTED in stages:
        ids = departments_for_role(user=user, role=Role.DEPARTMENT_HEAD)
    else:
        # Review and publication are the planning office's, for every department.
        return Q(stage__in=stages) if planning else None
    condition = Q(department_id__in=ids) if ids else None
    if planning:  # sheets with no department (全庁) are drafted and approved by the office
        no_department = Q(department__isnull=True)
        condition = no_department if condition is None else condition | no_department
    return None if condition is None else Q(stage__in=stages) & condition


def tasks_for(*, user, today: datetime.date | None = None) -> list[TaskGroup]:
    """The sheets waiting for ``user``, grouped by what to do, each overdue → nearest → undated."""
    today = today or datetime.date.today()
    groups = []
    if not user.is_authenticated:
        return groups
    for spec in GROUPS:
        condition = _waiting_filter(user=user, stages=spec.stages)
        if condition is None:
            continue
        group = TaskGroup(spec.key, str(spec.title), str(spec.action))
        for sheet in _task_sheets(condition):
            days = None if sheet.due is None else (sheet.due - today).days
            group.tasks.append(Task(sheet=sheet, due=sheet.due, days_left=days))
        groups.append(group)
    return groups


def _task_sheets(condition: Q) -> QuerySet[EvaluationSheet]:
    return (
        EvaluationSheet.objects.filter(condition)
        .annotate(due=_due_expression())
        .select_related("cycle__plan", "department", "action", "node")
        .order_by(F("due").asc(nulls_last=True), "-cycle__fy", "cycle__plan__name", "id")
    )
