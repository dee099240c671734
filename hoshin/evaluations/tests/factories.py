"""Building blocks for evaluation tests: a published plan with departments, staff and a year."""

import datetime
from dataclasses import dataclass

from hoshin.evaluations.models import EvaluationCycle, EvaluationSheet
from hoshin.evaluations.services.cycle import fiscal_year_start
from hoshin.org.models import Department, Role, RoleAssignment, User
from hoshin.plans.models import Action, ActionDepartment, Plan, PlanKind, PlanNode

TODAY = datetime.date(2025, 11, 1)  # FY2025 is running; FY2026 may be opened


def make_user(
    username: str, *, role: str | None = None, department: Department | None = None
) -> User:
    user = User.objects.create_user(username=username, password="pw", department=department)
    if role:
        RoleAssignment.objects.create(user=user, role=role, department=department)
    return user


@dataclass
class World:
    plan: Plan
    bousai: Department
    zaisei: Department
    bousai_action: Action
    shared_action: Action  # lead 防災, co-responsible 財政
    zaisei_action: Action
    all_action: Action  # 全庁: no department, the planning office owns it
    editor: User
    head: User
    other_editor: User
    other_head: User
    planner: User
    viewer: User
    committee: User


def make_world(*, kind: str = PlanKind.REFORM) -> World:
    bousai = Department.objects.create(name="地域防災対策室", kind="shitsu")
    zaisei = Department.objects.create(name="財政課", kind="ka")
    plan = Plan.objects.create(
        name="評価テスト計画", kind=kind, level_names=["大項目"], is_published=True
    )
    node = PlanNode.objects.create(plan=plan, title="防災", depth=0)

    def action(text: str, position: int, *departments: Department, marker: str = "") -> Action:
        created = Action.objects.create(plan=plan, node=node, position=position, text=text)
        for index, department in enumerate(departments):
            ActionDepartment.objects.create(
                action=created, position=index, department=department, is_lead=index == 0
            )
        if marker:
            ActionDepartment.objects.create(action=created, position=9, marker=marker)
        return created

    return World(
        plan=plan,
        bousai=bousai,
        zaisei=zaisei,
        bousai_action=action("ハザードマップを周知する。", 0, bousai),
        shared_action=action("防災訓練の予算を確保する。", 1, bousai, zaisei),
        zaisei_action=action("長期財政計画を策定する。", 2, zaisei),
        all_action=action("ICTを活用する。", 3, marker="all"),
        editor=make_user("editor", role=Role.DEPARTMENT_EDITOR, department=bousai),
        head=make_user("head", role=Role.DEPARTMENT_HEAD, department=bousai),
        other_editor=make_user("other_editor", role=Role.DEPARTMENT_EDITOR, department=zaisei),
        other_head=make_user("other_head", role=Role.DEPARTMENT_HEAD, department=zaisei),
        planner=make_user("planner", role=Role.PLANNING_OFFICE),
        viewer=make_user("viewer", role=Role.VIEWER),
        committee=make_user("committee", role=Role.COMMITTEE_MEMBER),
    )


def open_year(world: World, fy: int = 2025) -> EvaluationCycle:
    return fiscal_year_start(plan=world.plan, fy=fy, by=world.planner, today=TODAY).cycle


def sheet_of(cycle: EvaluationCycle, action: Action) -> EvaluationSheet:
    return EvaluationSheet.objects.get(cycle=cycle, action=action)


COMPLETE_VALUES = {
    "purpose_target": "市民",
    "purpose_intent": "災害時に安全に避難できる",
    "purpose_means": "ハザードマップの配布と説明会",
    "viewpoint.necessity": "4",
    "viewpoint.effectiveness": "3",
    "viewpoint.efficiency": "3",
    "viewpoint.achievement": "3",
    "viewpoint.priority": "4",
    "overall_grade": "A",
    "future_direction": "継続",
    "progress_status": "取組中",
    "progress_grade": "A",
}
