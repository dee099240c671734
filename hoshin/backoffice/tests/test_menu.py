"""The staff menu shows only pages the role can open, and the 403 page names who can."""

import pytest
from django.urls import reverse

from hoshin.backoffice.menu import ACCOUNT_MENU, STAFF_MENU, menu_for
from hoshin.voices.tests import handling_helpers as h

pytestmark = pytest.mark.django_db

ROLES = ("planner", "editor", "head", "office", "mayor", "viewer", "committee", "admin")


def menu_html(page: str) -> str:
    return page[page.index('class="staff-menu"') : page.index("</details>")]


@pytest.mark.parametrize("role", ROLES)
def test_the_menu_is_exactly_the_pages_the_role_can_open(client, role):
    staff = h.make_staff()
    user = getattr(staff, role)
    client.force_login(user)
    shown = {link.url for link in menu_for(user=user) + menu_for(user=user, entries=ACCOUNT_MENU)}
    page = client.get(reverse("backoffice:tasks")).content.decode()
    for entry in STAFF_MENU + ACCOUNT_MENU:
        url = reverse(entry.url_name)
        status = client.get(url).status_code
        if url in shown:
            assert status == 200, (role, url)
            assert f'href="{url}"' in menu_html(page), (role, url)
        else:
            assert status == 403, (role, url, status)
            assert f'href="{url}"' not in menu_html(page), (role, url)


def test_surveys_are_in_the_menu_of_the_public_hearing_office_only(client):
    staff = h.make_staff()
    surveys = reverse("surveys_staff:list")
    for role, expected in (("office", True), ("planner", False), ("editor", False)):
        client.force_login(getattr(staff, role))
        assert (f'href="{surveys}"' in menu_html(client.get("/staff/").content.decode())) is (
            expected
        ), role


def test_the_403_page_names_the_role_that_may_open_it_not_the_visitor_itself(client):
    staff = h.make_staff()
    client.force_login(staff.planner)
    response = client.get(reverse("surveys_staff:list"))
    assert response.status_code == 403
    page = response.content.decode()
    assert "この画面は広聴担当とシステム管理者が使います。" in page
    assert "企画担当" not in page[page.index("<main") :]  # never "ask the planning office"
    client.force_login(staff.office)
    page = client.get(reverse("evaluations:cycles")).content.decode()
    assert "この画面は企画担当とシステム管理者が使います。" in page
