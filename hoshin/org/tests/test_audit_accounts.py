"""Account changes that decide who may do what are in the audit trail (issue 10, "What to build"
4: role and permission changes, also through the Django admin), with the administrator as actor
when made in the admin and without secrets."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from hoshin.audit.models import AuditEntry
from hoshin.audit.selectors import chain_verify
from hoshin.org.tests.factories import make_department, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser():
    return make_user("root", is_staff=True, is_superuser=True)


@pytest.fixture
def admin_client(client, superuser):
    client.force_login(superuser)
    return client


def entries(verb: str):
    return list(AuditEntry.objects.filter(verb=verb).order_by("sequence"))


def test_creating_an_account_is_recorded():
    user = make_user("shinki", is_staff=True)
    (entry,) = entries("user.create")
    assert entry.target_id == str(user.pk) and entry.data["is_staff"] is True
    assert entry.actor is None  # a command or the shell: no administrator to name


def test_making_a_user_superuser_in_the_admin_is_recorded_with_the_administrator(
    admin_client, superuser
):
    user = make_user("tantou")
    page = admin_client.get(reverse("admin:org_user_change", args=[user.pk]))
    assert page.status_code == 200
    form = {
        "username": "tantou",
        "display_name": "",
        "is_active": "on",
        "is_staff": "on",
        "is_superuser": "on",
        "last_login_0": "",
        "last_login_1": "",
        "date_joined_0": "2024-04-01",
        "date_joined_1": "09:00:00",
        "role_assignments-TOTAL_FORMS": "0",
        "role_assignments-INITIAL_FORMS": "0",
        "role_assignments-MIN_NUM_FORMS": "0",
        "role_assignments-MAX_NUM_FORMS": "1000",
    }
    response = admin_client.post(reverse("admin:org_user_change", args=[user.pk]), form)
    assert response.status_code == 302, response.content.decode()[:2000]
    (entry,) = entries("user.update")
    assert entry.actor == superuser
    assert entry.data == {"is_staff": [False, True], "is_superuser": [False, True]}


def test_group_permissions_changed_in_the_admin_are_recorded(admin_client, superuser):
    permission = Permission.objects.get(codename="change_department")
    response = admin_client.post(
        reverse("admin:auth_group_add"), {"name": "組織管理", "permissions": [permission.pk]}
    )
    assert response.status_code == 302
    (entry,) = entries("group.permissions.add")
    assert entry.actor == superuser
    assert entry.data == {"names": ["org.change_department"]}


def test_groups_and_permissions_of_users_are_recorded_both_ways():
    user = make_user("kojin")
    group = Group.objects.create(name="閲覧グループ")
    user.groups.add(group)
    group.user_set.remove(user)  # the reverse side
    user.user_permissions.add(Permission.objects.get(codename="view_department"))
    user.user_permissions.clear()
    verbs = [e.verb for e in AuditEntry.objects.filter(target_id=str(user.pk)).order_by("sequence")]
    assert verbs == [
        "user.create",
        "user.groups.add",
        "user.groups.remove",
        "user.permissions.add",
        "user.permissions.remove",
    ]
    assert entries("user.permissions.remove")[0].data == {"names": ["org.view_department"]}


def test_department_active_and_password_changes_are_recorded_without_the_hash():
    user = make_user("idou")
    department = make_department("財政課")
    user.department = department
    user.is_active = False
    user.set_password("new password")
    user.save()
    (entry,) = entries("user.update")
    assert entry.data == {
        "department": [None, department.pk],
        "is_active": [True, False],
        "password": "changed",
    }
    assert user.password not in str(entry.data)


def test_a_sign_in_time_or_a_name_change_records_nothing():
    user = make_user("futsuu")
    user.save(update_fields=["last_login"])
    user.display_name = "普通 太郎"
    user.save()
    assert not entries("user.update")


def test_deleting_an_account_is_recorded_and_the_chain_still_verifies():
    user = make_user("sakujo")
    pk = user.pk
    user.delete()
    (entry,) = entries("user.delete")
    assert entry.data == {"user": pk, "username": "sakujo"}
    assert chain_verify().ok
