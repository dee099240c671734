"""Who may do what in the back office: a matrix for every page that changes something."""

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import reverse

from hoshin.org.tests.factories import make_plan
from hoshin.plans.models import Plan, PlanImport

pytestmark = pytest.mark.django_db

ALLOWED, FORBIDDEN, LOGIN = "allowed", "forbidden", "login"

MATRIX = [
    ("planner", ALLOWED),
    ("sysadmin", ALLOWED),
    ("viewer", FORBIDDEN),
    ("other_editor", FORBIDDEN),
    (None, LOGIN),
]


def client_for(request, who) -> Client:
    client = Client()
    if who is not None:
        client.force_login(request.getfixturevalue(who))
    return client


def assert_outcome(response, outcome, *, allowed_status=(200, 302)):
    if outcome == ALLOWED:
        assert response.status_code in allowed_status
        if response.status_code == 302:
            assert not response.url.startswith(reverse("backoffice:login"))
    elif outcome == FORBIDDEN:
        assert response.status_code == 403
    else:
        assert response.status_code == 302
        assert response.url.startswith(reverse("backoffice:login") + "?next=")


@pytest.fixture
def pending_import(planner, test_plan_bytes):
    entry = PlanImport(
        original_name="plan.testplan", plan_name="テスト実施計画", created_by=planner
    )
    entry.file.save("plan.testplan", ContentFile(test_plan_bytes), save=False)
    entry.create_departments = True
    entry.save()
    return entry


@pytest.mark.parametrize(("who", "outcome"), MATRIX)
def test_plan_import_upload(request, who, outcome, test_plan_bytes, bousai, zaisei):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("plan.testplan", test_plan_bytes)
    response = client_for(request, who).post(
        reverse("backoffice:plan_import"), {"file": upload, "plan_name": ""}
    )
    assert_outcome(response, outcome)
    assert PlanImport.objects.exists() == (outcome == ALLOWED)
    assert not Plan.objects.exists()


@pytest.mark.parametrize(("who", "outcome"), MATRIX)
def test_plan_import_form_page(request, who, outcome):
    response = client_for(request, who).get(reverse("backoffice:plan_import"))
    assert_outcome(response, outcome, allowed_status=(200,))


@pytest.mark.parametrize(("who", "outcome"), MATRIX)
def test_plan_import_preview(request, who, outcome, pending_import):
    url = reverse("backoffice:plan_import_preview", args=[pending_import.pk])
    response = client_for(request, who).get(url)
    assert_outcome(response, outcome, allowed_status=(200,))


@pytest.mark.parametrize(("who", "outcome"), MATRIX)
def test_plan_import_confirm(request, who, outcome, pending_import, bousai, zaisei):
    url = reverse("backoffice:plan_import_confirm", args=[pending_import.pk])
    response = client_for(request, who).post(url, {"create_departments": "on"})
    assert_outcome(response, outcome)
    pending_import.refresh_from_db()
    applied = pending_import.status == PlanImport.Status.APPLIED
    assert applied == (outcome == ALLOWED)
    assert Plan.objects.filter(name="テスト実施計画").exists() == (outcome == ALLOWED)


@pytest.mark.parametrize(("who", "outcome"), MATRIX)
def test_plan_publish(request, who, outcome):
    plan = make_plan("公開テスト計画")
    url = reverse("backoffice:plan_publish", args=[plan.pk])
    response = client_for(request, who).post(url, {"published": "on"})
    assert_outcome(response, outcome)
    plan.refresh_from_db()
    assert plan.is_published == (outcome == ALLOWED)


@pytest.mark.parametrize(
    ("who", "outcome"),
    [("planner", ALLOWED), ("viewer", ALLOWED), ("other_editor", ALLOWED), (None, LOGIN)],
)
def test_home_is_for_any_signed_in_staff(request, who, outcome):
    response = client_for(request, who).get(reverse("backoffice:home"))
    assert_outcome(response, outcome, allowed_status=(200,))


@pytest.mark.parametrize("name", ["plan_import_confirm", "plan_publish"])
def test_mutating_views_refuse_get(client, planner, pending_import, name):
    client.force_login(planner)
    object_id = pending_import.pk if name == "plan_import_confirm" else make_plan().pk
    response = client.get(reverse(f"backoffice:{name}", args=[object_id]))
    assert response.status_code == 405
    pending_import.refresh_from_db()
    assert pending_import.status == PlanImport.Status.PREVIEWED


def test_publish_without_csrf_token_is_refused(planner):
    plan = make_plan()
    client = Client(enforce_csrf_checks=True)
    client.force_login(planner)
    response = client.post(reverse("backoffice:plan_publish", args=[plan.pk]), {"published": "on"})
    assert response.status_code == 403
    plan.refresh_from_db()
    assert not plan.is_published


def test_confirm_without_csrf_token_is_refused(planner, pending_import):
    client = Client(enforce_csrf_checks=True)
    client.force_login(planner)
    url = reverse("backoffice:plan_import_confirm", args=[pending_import.pk])
    assert client.post(url, {"create_departments": "on"}).status_code == 403
    assert not Plan.objects.exists()


def test_viewer_sees_no_publish_or_import_controls(client, viewer):
    make_plan("下書きの計画")
    client.force_login(viewer)
    page = client.get(reverse("backoffice:home")).content.decode()
    assert "下書きの計画" in page
    assert reverse("backoffice:plan_import") not in page
    assert "公開する" not in page
