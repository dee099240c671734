"""manage.py create_demo_users: one demo user per role, idempotent."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from hoshin.org.models import Department, Role, RoleAssignment, User
from hoshin.org.roles import is_planning_office, user_has_role
from hoshin.org.tests.factories import make_department

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = StringIO()
    call_command("create_demo_users", *args, stdout=out)
    return out.getvalue()


@pytest.fixture(autouse=True)
def _debug(settings):
    settings.DEBUG = True


def test_creates_one_user_per_role_with_departments():
    output = run()

    users = {u.username: u for u in User.objects.all()}
    assert set(users) == {
        "demo-admin",
        "demo-planning",
        "demo-editor",
        "demo-head",
        "demo-committee",
        "demo-viewer",
        "demo-hearing",
        "demo-mayor-office",
    }
    roles = {a.user.username: (a.role, a.department) for a in RoleAssignment.objects.all()}
    bousai = Department.objects.get(name="地域防災対策室")
    assert roles["demo-editor"] == (Role.DEPARTMENT_EDITOR, bousai)
    assert roles["demo-head"] == (Role.DEPARTMENT_HEAD, bousai)
    assert roles["demo-planning"] == (Role.PLANNING_OFFICE, None)
    assert roles["demo-committee"] == (Role.COMMITTEE_MEMBER, None)
    assert roles["demo-viewer"] == (Role.VIEWER, None)
    assert roles["demo-hearing"] == (Role.PUBLIC_HEARING, None)
    assert roles["demo-mayor-office"] == (Role.MAYOR_OFFICE, None)
    hearing = Department.objects.get(name="広聴広報課")
    assert hearing.full_name == "市長公室広聴広報課"
    assert users["demo-hearing"].department == hearing
    assert user_has_role(user=users["demo-hearing"], role=Role.PUBLIC_HEARING)
    assert not user_has_role(user=users["demo-editor"], role=Role.PUBLIC_HEARING)

    admin = users["demo-admin"]
    assert admin.is_superuser and admin.is_staff
    assert not users["demo-planning"].is_superuser
    assert is_planning_office(user=users["demo-planning"])
    assert not is_planning_office(user=users["demo-editor"])
    zaisei = Department.objects.get(name="財政課")
    assert not user_has_role(
        user=users["demo-editor"], role=Role.DEPARTMENT_EDITOR, department=zaisei
    )

    kakari = Department.objects.get(name="行政管理係")
    assert kakari.full_name == "総務部総務課行政管理係"
    assert users["demo-planning"].department == kakari
    assert all(u.check_password("hoshin-demo") for u in users.values())

    assert "demo-editor" in output and "hoshin-demo" in output
    assert "部署の担当者（地域防災対策室）" in output


def test_running_twice_changes_nothing_but_the_password():
    run()
    counts = (User.objects.count(), Department.objects.count(), RoleAssignment.objects.count())
    run("--password", "another-pass")
    assert (
        User.objects.count(),
        Department.objects.count(),
        RoleAssignment.objects.count(),
    ) == counts
    assert User.objects.get(username="demo-viewer").check_password("another-pass")


def test_reuses_departments_that_exist():
    soumu = make_department("総務課")  # e.g. created by an earlier plan import, no parent
    bousai = make_department("地域防災対策室")
    run()
    assert Department.objects.filter(name="総務課").get() == soumu
    assert Department.objects.get(name="行政管理係").parent == soumu
    assert RoleAssignment.objects.get(user__username="demo-editor").department == bousai


def test_refuses_without_debug(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="DEBUG"):
        run()
    assert not User.objects.exists()
    run("--allow-production")
    assert User.objects.count() == 8
