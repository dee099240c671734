"""Staff pages use the screen's width (lists and tables), while prose keeps a reading width."""

import pytest
from django.urls import reverse

from conftest import browser_sign_in
from hoshin.org.models import Role
from hoshin.org.tests.factories import make_department, make_user

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.filterwarnings("ignore:No directory at:UserWarning"),
]


def test_staff_content_is_not_capped_at_reading_width(new_page, live_server):
    make_user("viewer", role=Role.VIEWER, department=make_department("財政課"))
    page = new_page()
    page.set_viewport_size({"width": 1600, "height": 900})
    browser_sign_in(page, live_server.url, "viewer")
    page.goto(live_server.url + reverse("evaluations:sheets"))
    main = page.evaluate("document.querySelector('.site-main').getBoundingClientRect().width")
    assert main > 1400  # it was capped at 62rem (992px), so dates wrapped in staff lists
    widest_paragraph = page.evaluate(
        "Math.max(0, ...Array.from(document.querySelectorAll('.site-main p'))"
        ".map(p => p.getBoundingClientRect().width))"
    )
    assert 0 < widest_paragraph <= 48 * 16  # prose stays readable
    page.goto(live_server.url + reverse("portal:home"))
    public = page.evaluate("document.querySelector('.site-main').getBoundingClientRect().width")
    assert public <= 62 * 16  # the public portal keeps its width
    page.context.close()
