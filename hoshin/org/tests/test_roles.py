"""user_assign_role / user_revoke_role and the permission selectors built on them."""

import pytest
from django.core.exceptions import ValidationError

from hoshin.audit.models import AuditEntry
from hoshin.org.models import Role, RoleAssignment
from hoshin.org.roles import is_planning_office, user_has_role
from hoshin.org.services import user_assign_role, user_revoke_role
from hoshin.org.tests.factories import make_department, make_user

pytestmark = pytest.mark.django_db


def test_assign_role_is_idempotent_and_audited_once():
    admin = make_user("admin")
    user = make_user("planner")
    first = user_assign_role(user=user, role=Role.PLANNING_OFFICE, by=admin)
    second = user_assign_role(user=user, role=Role.PLANNING_OFFICE, by=admin)

    assert first == second
    assert RoleAssignment.objects.filter(user=user).count() == 1
    entry = AuditEntry.objects.get(verb="role.assign")
    assert entry.actor == admin
    assert is_planning_office(user=user)


def test_department_role_needs_a_department():
    user = make_user()
    with pytest.raises(ValidationError, match="対象部署が必要"):
        user_assign_role(user=user, role=Role.DEPARTMENT_EDITOR, by=None)


@pytest.mark.parametrize("role", [Role.PLANNING_OFFICE, Role.ADMIN])
def test_citywide_role_refuses_a_department(role):
    with pytest.raises(ValidationError, match="全庁の役割"):
        user_assign_role(user=make_user(), role=role, department=make_department("財政課"), by=None)


def test_closed_department_is_refused():
    closed = make_department("旧企画課", valid_until_fy=2020)
    with pytest.raises(ValidationError, match="廃止"):
        user_assign_role(user=make_user(), role=Role.DEPARTMENT_HEAD, department=closed, by=None)


def test_unknown_role_is_refused():
    with pytest.raises(ValidationError, match="役割"):
        user_assign_role(user=make_user(), role="mayor", by=None)


def test_department_editor_acts_only_for_own_department():
    bousai, zaisei = make_department("地域防災対策室"), make_department("財政課")
    editor = make_user()
    user_assign_role(user=editor, role=Role.DEPARTMENT_EDITOR, department=bousai, by=None)

    assert user_has_role(user=editor, role=Role.DEPARTMENT_EDITOR, department=bousai)
    assert not user_has_role(user=editor, role=Role.DEPARTMENT_EDITOR, department=zaisei)
    assert not is_planning_office(user=editor)


def test_revoke_role_deletes_and_audits():
    user = make_user()
    assignment = user_assign_role(user=user, role=Role.VIEWER, by=None)
    pk = assignment.pk
    user_revoke_role(assignment=assignment, by=None)
    assert not RoleAssignment.objects.exists()
    assert AuditEntry.objects.filter(verb="role.revoke", target_id=str(pk)).exists()
