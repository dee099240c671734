"""Small builders for tests of the org app (and of apps that need departments, users, plans)."""

from itertools import count

from hoshin.org.models import Department, DepartmentKind, Role, RoleAssignment, User
from hoshin.plans.models import Action, ActionDepartment, Plan, PlanKind, PlanNode

_serial = count(1)


def make_department(name: str, *, kind: str | None = None, parent=None, **fields) -> Department:
    return Department.objects.create(
        name=name, kind=kind or DepartmentKind.guess(name), parent=parent, **fields
    )


def make_user(
    username: str | None = None,
    *,
    role: str | None = None,
    department: Department | None = None,
    **fields,
) -> User:
    """A user (password "pw") belonging to ``department``; with ``role``, a role scoped to it.

    City-wide roles (planning office, admin) are never scoped, whatever ``department`` is.
    """
    username = username or f"user{next(_serial)}"
    user = User.objects.create_user(
        username=username, password="pw", department=department, **fields
    )
    if role is not None:
        scoped = role not in (Role.PLANNING_OFFICE, Role.ADMIN, Role.COMMITTEE_MEMBER)
        RoleAssignment.objects.create(
            user=user, role=role, department=department if scoped else None
        )
    return user


def make_planning_office_user(username: str = "planner") -> User:
    return make_user(username, role=Role.PLANNING_OFFICE)


def make_plan(name: str | None = None, **fields) -> Plan:
    fields.setdefault("kind", PlanKind.REFORM)
    fields.setdefault("level_names", ["大項目", "中項目", "取組"])
    return Plan.objects.create(name=name or f"計画{next(_serial)}", **fields)


def make_action(
    plan: Plan,
    *departments: Department | str,
    text: str = "取組の内容",
    node: PlanNode | None = None,
) -> Action:
    """An action under a fresh node; the first department named is the lead.

    A string stands for a marker line (``"all"`` for 全庁, ``"concerned"`` for 関係各課など).
    """
    if node is None:
        node = PlanNode.objects.create(plan=plan, title="大項目", depth=0)
    action = Action.objects.create(plan=plan, node=node, text=text, position=node.actions.count())
    lead_taken = False
    for position, department in enumerate(departments):
        if isinstance(department, str):
            ActionDepartment.objects.create(action=action, position=position, marker=department)
            continue
        ActionDepartment.objects.create(
            action=action, position=position, department=department, is_lead=not lead_taken
        )
        lead_taken = True
    return action
