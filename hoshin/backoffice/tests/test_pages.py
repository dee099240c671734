"""Login, logout, the plan list and publishing from it."""

import pytest
from django.urls import reverse

from hoshin.audit.models import AuditEntry
from hoshin.org.tests.factories import make_plan

pytestmark = pytest.mark.django_db


def test_login_page_and_login(client, planner):
    page = client.get(reverse("backoffice:login"))
    assert page.status_code == 200
    text = page.content.decode()
    assert '<label for="id_username">' in text and '<label for="id_password">' in text
    response = client.post(reverse("backoffice:login"), {"username": "planner", "password": "pw"})
    assert response.status_code == 302
    assert response.url == reverse("backoffice:tasks")  # every role lands on its inbox


def test_wrong_password_is_explained(client, planner):
    response = client.post(reverse("backoffice:login"), {"username": "planner", "password": "x"})
    assert response.status_code == 200
    assert 'role="alert"' in response.content.decode()


def test_login_returns_to_the_page_asked_for(client, planner):
    target = reverse("backoffice:plan_import")
    response = client.get(target)
    assert response.url == f"{reverse('backoffice:login')}?next={target}"
    response = client.post(response.url, {"username": "planner", "password": "pw", "next": target})
    assert response.url == target


def test_logout_needs_post(client, planner):
    client.force_login(planner)
    response = client.post(reverse("backoffice:logout"))
    assert response.status_code == 302
    assert client.get(reverse("backoffice:home")).status_code == 302


def test_home_lists_published_and_unpublished_plans(client, planner):
    published = make_plan("公開中の計画", is_published=True, start_fy=2023, end_fy=2027)
    make_plan("下書きの計画")
    client.force_login(planner)
    page = client.get(reverse("backoffice:home")).content.decode()
    assert "公開中の計画" in page and "下書きの計画" in page
    assert published.get_absolute_url() in page
    assert "令和5年度（2023年度）" in page
    assert reverse("backoffice:plan_import") in page
    assert page.count("<h1") == 1


def test_publish_and_unpublish_from_the_list(client, planner):
    plan = make_plan("計画")
    client.force_login(planner)
    url = reverse("backoffice:plan_publish", args=[plan.pk])

    client.post(url, {"published": "on"})
    plan.refresh_from_db()
    assert plan.is_published
    client.post(url, {"published": ""})
    plan.refresh_from_db()
    assert not plan.is_published
    verbs = AuditEntry.objects.exclude(verb="user.create").order_by("sequence")
    assert list(verbs.values_list("verb", flat=True)) == ["plan.publish", "plan.unpublish"]


def test_publish_unknown_plan_is_404(client, planner):
    client.force_login(planner)
    assert client.post(reverse("backoffice:plan_publish", args=[999])).status_code == 404
