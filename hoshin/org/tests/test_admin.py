"""The Django admin: every page opens, and writes go through the services (audited)."""

import pytest
from django.contrib import admin
from django.urls import reverse

from hoshin.audit.models import AuditEntry
from hoshin.org.models import Department, DepartmentChange, DepartmentKind, Role, RoleAssignment
from hoshin.org.tests.factories import make_action, make_department, make_plan, make_user
from hoshin.plans.models import PlanImport
from hoshin.plans.selectors import responsibilities_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser():
    return make_user("root", is_staff=True, is_superuser=True)


@pytest.fixture
def admin_client(client, superuser):
    client.force_login(superuser)
    return client


def url(model, view="changelist", *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def test_every_changelist_and_add_page_opens(admin_client):
    bu = make_department("総務部")
    plan = make_plan(start_fy=2023, end_fy=2027)
    make_action(plan, make_department("総務課", parent=bu))
    for model, model_admin in admin.site._registry.items():
        if model._meta.app_label not in {"org", "plans"}:
            continue
        response = admin_client.get(url(model) + "?q=総務")
        assert response.status_code == 200, model
        if model_admin.has_add_permission(response.wsgi_request):
            assert admin_client.get(url(model, "add")).status_code == 200, model
        first = model.objects.first()
        if first is not None:
            assert admin_client.get(url(model, "change", first.pk)).status_code == 200, model


def test_department_filters(admin_client):
    make_department("総務課")
    make_department("旧企画課", valid_until_fy=2020)
    page = admin_client.get(url(Department) + "?current=yes").content.decode()
    assert "総務課" in page and "旧企画課" not in page
    page = admin_client.get(
        url(Department) + f"?kind={DepartmentKind.KA}&current=no"
    ).content.decode()
    assert "旧企画課" in page


def test_adding_a_department_goes_through_the_service(admin_client, superuser):
    bu = make_department("総務部")
    response = admin_client.post(
        url(Department, "add"),
        {"name": "企画課", "kind": DepartmentKind.KA, "parent": bu.pk, "code": "", "position": 0},
    )
    assert response.status_code == 302
    created = Department.objects.get(name="企画課")
    entry = AuditEntry.objects.get(verb="department.create")
    assert (entry.actor, entry.target_id) == (superuser, str(created.pk))


def test_department_form_shows_service_rule_as_error(admin_client):
    bu = make_department("総務部")
    make_department("企画課", parent=bu)
    response = admin_client.post(
        url(Department, "add"),
        {"name": "企画課", "kind": DepartmentKind.KA, "parent": bu.pk, "code": "", "position": 0},
    )
    assert response.status_code == 200
    assert "既にあります" in response.content.decode()
    assert Department.objects.filter(name="企画課").count() == 1


def test_departments_cannot_be_deleted(admin_client):
    ka = make_department("総務課")
    assert admin_client.get(url(Department, "delete", ka.pk)).status_code == 403


def test_reorganize_action_merges_departments(admin_client, superuser):
    bu = make_department("総務部")
    bousai = make_department("地域防災対策室", parent=bu)
    kiki = make_department("危機管理課", parent=bu)
    action = make_action(make_plan(start_fy=2023), bousai)
    changelist = url(Department)
    selected = {"action": "reorganize", "_selected_action": [bousai.pk, kiki.pk]}

    form_page = admin_client.post(changelist, selected)
    assert form_page.status_code == 200
    assert "実施年度" in form_page.content.decode()

    response = admin_client.post(
        changelist,
        {
            **selected,
            "apply": "1",
            "kind": DepartmentChange.Kind.MERGE,
            "effective_fy": "令和7年度",
            "successors": "危機管理課\n",
            "parent": bu.pk,
            "note": "",
        },
    )
    assert response.status_code == 302
    change = DepartmentChange.objects.get()
    assert change.effective_fy == 2025
    assert [line.label for line in responsibilities_in(action=action, fy=2025)] == ["危機管理課"]
    assert AuditEntry.objects.get(verb="department.reorganize").actor == superuser


def test_reorganize_action_shows_refusal_on_the_form(admin_client):
    closed = make_department("旧企画課", valid_until_fy=2020)
    response = admin_client.post(
        url(Department),
        {
            "action": "reorganize",
            "_selected_action": [closed.pk],
            "apply": "1",
            "kind": DepartmentChange.Kind.RENAME,
            "effective_fy": "2025",
            "successors": "企画課",
            "note": "",
        },
    )
    assert response.status_code == 200
    assert "既に" in response.content.decode()
    assert not DepartmentChange.objects.exists()


def test_reorganize_action_rejects_unreadable_year(admin_client):
    ka = make_department("企画課")
    response = admin_client.post(
        url(Department),
        {
            "action": "reorganize",
            "_selected_action": [ka.pk],
            "apply": "1",
            "kind": DepartmentChange.Kind.RENAME,
            "effective_fy": "来年",
            "successors": "企画政策課",
        },
    )
    assert response.status_code == 200
    assert "年度として読めません" in response.content.decode()


def test_department_change_is_read_only(admin_client):
    assert admin_client.get(url(DepartmentChange, "add")).status_code == 403


def test_role_inline_uses_services(admin_client, superuser):
    bousai = make_department("地域防災対策室")
    user = make_user("editor")
    old = RoleAssignment.objects.create(user=user, role=Role.VIEWER)
    form = {
        "username": "editor",
        "display_name": "防災 花子",
        "department": bousai.pk,
        "is_active": "on",
        "last_login_0": "",
        "last_login_1": "",
        "date_joined_0": "2024-04-01",
        "date_joined_1": "09:00:00",
        "role_assignments-TOTAL_FORMS": "2",
        "role_assignments-INITIAL_FORMS": "1",
        "role_assignments-MIN_NUM_FORMS": "0",
        "role_assignments-MAX_NUM_FORMS": "1000",
        "role_assignments-0-id": old.pk,
        "role_assignments-0-user": user.pk,
        "role_assignments-0-role": Role.VIEWER,
        "role_assignments-0-department": "",
        "role_assignments-0-DELETE": "on",
        "role_assignments-1-user": user.pk,
        "role_assignments-1-role": Role.DEPARTMENT_EDITOR,
        "role_assignments-1-department": bousai.pk,
    }
    response = admin_client.post(url(type(user), "change", user.pk), form)
    assert response.status_code == 302, response.content.decode()[:3000]
    assert list(RoleAssignment.objects.filter(user=user).values_list("role", "department")) == [
        (Role.DEPARTMENT_EDITOR, bousai.pk)
    ]
    verbs = sorted(AuditEntry.objects.exclude(verb="user.create").values_list("verb", flat=True))
    # The department (所属) changed on the same form: recorded with the administrator (issue 10).
    assert verbs == ["role.assign", "role.revoke", "user.update"]
    entry = AuditEntry.objects.get(verb="user.update")
    assert entry.actor == superuser and entry.data == {"department": [None, bousai.pk]}


def test_role_inline_shows_rule_errors(admin_client):
    user = make_user("editor")
    form = {
        "username": "editor",
        "is_active": "on",
        "date_joined_0": "2024-04-01",
        "date_joined_1": "09:00:00",
        "role_assignments-TOTAL_FORMS": "1",
        "role_assignments-INITIAL_FORMS": "0",
        "role_assignments-MIN_NUM_FORMS": "0",
        "role_assignments-MAX_NUM_FORMS": "1000",
        "role_assignments-0-user": user.pk,
        "role_assignments-0-role": Role.DEPARTMENT_HEAD,
        "role_assignments-0-department": "",
    }
    response = admin_client.post(url(type(user), "change", user.pk), form)
    assert response.status_code == 200
    assert "対象部署が必要" in response.content.decode()
    assert not RoleAssignment.objects.exists()


def test_role_assignment_admin_add_and_delete_are_audited(admin_client):
    user = make_user("viewer")
    response = admin_client.post(
        url(RoleAssignment, "add"), {"user": user.pk, "role": Role.VIEWER, "department": ""}
    )
    assert response.status_code == 302
    assignment = RoleAssignment.objects.get()
    response = admin_client.post(
        url(RoleAssignment),
        {"action": "delete_selected", "_selected_action": [assignment.pk], "post": "yes"},
    )
    assert response.status_code == 302
    assert not RoleAssignment.objects.exists()
    verbs = AuditEntry.objects.exclude(verb="user.create").values_list("verb", flat=True)
    assert sorted(verbs) == ["role.assign", "role.revoke"]


def test_publish_and_unpublish_actions_are_audited(admin_client, superuser):
    from hoshin.plans.models import Plan

    plan = make_plan()
    changelist = url(Plan)
    admin_client.post(changelist, {"action": "publish", "_selected_action": [plan.pk]})
    plan.refresh_from_db()
    assert plan.is_published
    admin_client.post(changelist, {"action": "unpublish", "_selected_action": [plan.pk]})
    plan.refresh_from_db()
    assert not plan.is_published
    verbs = list(
        AuditEntry.objects.exclude(verb="user.create").order_by("id").values_list("verb", flat=True)
    )
    assert verbs == ["plan.publish", "plan.unpublish"]
    assert AuditEntry.objects.filter(actor=superuser).count() == 2


def test_plan_import_log_is_read_only(admin_client, superuser):
    entry = PlanImport.objects.create(
        file="plan-imports/x.txt", original_name="x.txt", plan_name="計画", created_by=superuser
    )
    assert admin_client.get(url(PlanImport, "add")).status_code == 403
    page = admin_client.get(url(PlanImport, "change", entry.pk))
    assert page.status_code == 200
    assert 'name="plan_name"' not in page.content.decode()
