"""The import service's own checks: nothing is written when a value cannot be stored."""

import pytest
from django.core.exceptions import PermissionDenied

from hoshin.audit.models import AuditEntry
from hoshin.org.models import Department, Role
from hoshin.org.tests.factories import make_department, make_user
from hoshin.plans.exporters import export_csv, export_json
from hoshin.plans.formats.base import ParsedAction, ParsedNode, ParsedPlan
from hoshin.plans.formats.detect import parse_plan_file
from hoshin.plans.models import Action, Plan
from hoshin.plans.selectors import plan_to_parsed
from hoshin.plans.services import PlanImportError, plan_import, plan_set_published

pytestmark = pytest.mark.django_db


def one_action_plan(*, title: str = "取組", departments: list[str] | None = None) -> ParsedPlan:
    return ParsedPlan(
        format_name="test",
        level_names=["大項目"],
        roots=[
            ParsedNode(
                title="大項目",
                depth=0,
                line=1,
                actions=[
                    ParsedAction(
                        text="実施内容",
                        title=title,
                        departments=departments or ["全庁"],
                        line=3,
                    )
                ],
            )
        ],
    )


def test_blank_plan_name_is_refused_with_a_message():
    with pytest.raises(PlanImportError, match="計画名を指定してください"):
        plan_import(parsed=one_action_plan(), name="  ")


def test_value_longer_than_its_column_is_reported_by_line_and_nothing_is_written():
    parsed = one_action_plan(title="長" * 501, departments=["課" * 101])
    with pytest.raises(PlanImportError) as raised:
        plan_import(parsed=parsed, name="長すぎる計画", create_departments=True)
    details = "\n".join(raised.value.details)
    assert "3行目: 取組名が長すぎます（501文字、上限500文字）" in details
    assert "3行目: 部署名が長すぎます（101文字、上限100文字）" in details
    assert not Plan.objects.exists()
    assert not Department.objects.exists()
    assert not AuditEntry.objects.exists()


def test_export_names_shared_department_names_by_full_name_so_reimport_matches():
    general = make_department("総務部")
    education = make_department("教育部")
    general_affairs = make_department("総務課", parent=general)
    school_affairs = make_department("総務課", parent=education)
    parsed = one_action_plan(departments=["教育部総務課", "総務部総務課"])
    plan_import(parsed=parsed, name="元の計画")

    exported = plan_to_parsed(plan=Plan.objects.get(name="元の計画"))
    assert exported.roots[0].actions[0].departments == ["教育部総務課", "総務部総務課"]

    for data, filename in ((export_json(exported), "p.json"), (export_csv(exported), "p.csv")):
        name = f"再取込 {filename}"
        plan_import(parsed=parse_plan_file(data, filename), name=name)
        action = Action.objects.get(plan__name=name)
        assert [line.department for line in action.responsibilities.all()] == [
            school_affairs,
            general_affairs,
        ]


# ---- who may write plans: the service decides, whatever called it ----------------------------


def test_only_the_planning_office_imports_a_plan():
    editor = make_user(role=Role.DEPARTMENT_EDITOR, department=make_department("財政課"))
    with pytest.raises(PermissionDenied, match="企画担当"):
        plan_import(parsed=one_action_plan(), name="計画", by=editor)
    assert not Plan.objects.exists()
    # A management command (no user) and the planning office may.
    assert plan_import(parsed=one_action_plan(), name="計画", by=None).plan is not None
    planner = make_user(role=Role.PLANNING_OFFICE)
    assert plan_import(parsed=one_action_plan(), name="計画2", by=planner).plan is not None


@pytest.mark.parametrize("role", [Role.VIEWER, Role.PUBLIC_HEARING, Role.COMMITTEE_MEMBER])
def test_only_the_planning_office_publishes_a_plan(role):
    plan = plan_import(parsed=one_action_plan(), name="計画").plan
    with pytest.raises(PermissionDenied):
        plan_set_published(plan=plan, published=True, by=make_user(role=role))
    plan.refresh_from_db()
    assert not plan.is_published
    plan_set_published(plan=plan, published=True, by=make_user(role=Role.ADMIN))
    plan.refresh_from_db()
    assert plan.is_published
