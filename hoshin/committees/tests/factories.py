"""A committee year to test with: the evaluations test world (a plan, two departments, staff),
its FY2025 sheets with internal results and costs, and a committee of five members."""

import datetime
from dataclasses import dataclass, field

from hoshin.committees.models import (
    Committee,
    CommitteeMember,
    MemberCategory,
    MemberGroup,
    MemberRole,
)
from hoshin.committees.services.register import committee_create, group_add, member_add
from hoshin.evaluations.models import EvaluationSheet, Stage
from hoshin.evaluations.services.templates import staff_unit_cost_set
from hoshin.evaluations.tests.factories import World, make_user, make_world, open_year, sheet_of
from hoshin.evaluations.tests.stage_helpers import advance, fill
from hoshin.org.models import Role, User

FY = 2025
SCORING_DAY = datetime.date(2025, 9, 1)  # inside every current member's term
UNIT_COST = 8000  # 千円 per person-year in FY2025

# Internal results and this year's actual cost per action of the world (総コスト in comments).
SHEET_VALUES = {
    # 12,000 + 0.5 人工 × 8,000 = 16,000; own project; grade C, 改善
    "bousai_action": {
        "overall_grade": "C",
        "future_direction": "improve",
        "cost.actual.general": "12000",
        "cost.actual.person_years": "0.5",
    },
    # 5,000 (国庫) + 3,000 = 8,000; not the city's own; grade D, 縮小
    "shared_action": {
        "overall_grade": "D",
        "future_direction": "reduce",
        "cost.actual.national": "5000",
        "cost.actual.general": "3000",
    },
    # 20,000; own project; grade A, 継続
    "zaisei_action": {
        "overall_grade": "A",
        "future_direction": "continue",
        "cost.actual.general": "20000",
    },
}


@dataclass
class CommitteeWorld:
    world: World
    sheets: dict[str, EvaluationSheet]
    draft_sheet: EvaluationSheet  # all_action: grade C but still with its department
    committee: Committee
    group: MemberGroup
    chair: CommitteeMember  # academic, signs in
    vice: CommitteeMember  # business, paper (no account)
    citizen: CommitteeMember  # citizen, signs in, in the sub-group
    student: CommitteeMember  # student, paper
    retired: CommitteeMember  # academic whose term ended on 2025-07-31
    chair_user: User
    citizen_user: User
    outsider: User  # a committee member of no committee
    members: list[CommitteeMember] = field(default_factory=list)


def make_committee_world() -> CommitteeWorld:
    world = make_world()
    planner = world.planner
    staff_unit_cost_set(fy=FY, amount=UNIT_COST, by=planner)
    cycle = open_year(world, FY)
    sheets = {}
    for name, values in SHEET_VALUES.items():
        sheet = fill(world, sheet_of(cycle, getattr(world, name)), values)
        sheets[name] = advance(world, sheet, Stage.APPROVED)
    draft = fill(
        world,
        sheet_of(cycle, world.all_action),
        {"overall_grade": "C", "cost.actual.general": "50000"},
    )
    committee = committee_create(plan=world.plan, fy=FY, name="外部評価委員会", by=planner)
    group = group_add(committee=committee, name="第1部会", by=planner)
    chair_user = make_user("chair", role=Role.COMMITTEE_MEMBER)
    citizen_user = make_user("citizen", role=Role.COMMITTEE_MEMBER)
    outsider = make_user("outsider", role=Role.COMMITTEE_MEMBER)

    def member(name, category, role=MemberRole.MEMBER, *, end=datetime.date(2026, 6, 30), **kw):
        return member_add(
            committee=committee,
            by=planner,
            name=name,
            category=category,
            role=role,
            term_start=datetime.date(2024, 7, 1),
            term_end=end,
            **kw,
        )

    chair = member("山田 太郎", MemberCategory.ACADEMIC, MemberRole.CHAIR, user=chair_user)
    vice = member("髙橋 花子", MemberCategory.BUSINESS, MemberRole.VICE_CHAIR)
    citizen = member("佐藤 一郎", MemberCategory.CITIZEN, user=citizen_user, group=group)
    student = member("鈴木 次郎", MemberCategory.STUDENT)
    retired = member("田中 三郎", MemberCategory.ACADEMIC, end=datetime.date(2025, 7, 31))
    return CommitteeWorld(
        world=world,
        sheets=sheets,
        draft_sheet=draft,
        committee=committee,
        group=group,
        chair=chair,
        vice=vice,
        citizen=citizen,
        student=student,
        retired=retired,
        chair_user=chair_user,
        citizen_user=citizen_user,
        outsider=outsider,
        members=[chair, vice, citizen, student, retired],
    )
