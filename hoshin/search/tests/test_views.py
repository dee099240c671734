"""The search pages: the GET form on every page, bad input, staff scope."""

import pytest
from django.urls import reverse

from conftest import shared_data
from hoshin.evaluations.models import Stage
from hoshin.evaluations.tests.factories import make_world, open_year, sheet_of
from hoshin.evaluations.tests.stage_helpers import advance, fill
from hoshin.portal.tests import factories
from hoshin.search.services import search_rebuild

pytestmark = pytest.mark.django_db


@shared_data
def world():
    """Published and draft texts, indexed; built once for the tests that search them."""
    world = make_world()
    cycle = open_year(world)
    fill(world, sheet_of(cycle, world.bousai_action), {"activities": "避難訓練を三回実施"})
    advance(world, sheet_of(cycle, world.bousai_action), Stage.PUBLISHED)
    fill(world, sheet_of(cycle, world.zaisei_action), {"activities": "カナリア財政下書き"})
    draft = factories.plan("カナリア下書き計画", published=False)
    factories.action(factories.node(draft, "節"), "カナリア下書きの取組")
    search_rebuild()
    return world


def test_every_public_page_has_the_search_box(client, world):
    for url in (reverse("portal:home"), world.plan.get_absolute_url(), reverse("search:public")):
        html = client.get(url).content.decode()
        assert f'action="{reverse("search:public")}"' in html
        assert 'role="search"' in html and 'name="q"' in html


def test_public_search_finds_published_results_with_the_passage_marked(client, world):
    response = client.get(reverse("search:public"), {"q": "避難訓練"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "<mark>避難訓練</mark>を三回実施" in html
    assert f'href="{world.bousai_action.get_absolute_url()}#result-2025"' in html


@pytest.mark.parametrize("query", ["カナリア", "カナ", "下書", "ｶﾅﾘｱ"])
def test_public_search_never_shows_drafts(client, world, query):
    html = client.get(reverse("search:public"), {"q": query}).content.decode()
    assert "財政下書き" not in html and "下書き計画" not in html and "下書きの取組" not in html


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"q": "!!!"}, "文字か数字"),
        ({"q": "🙂🙂"}, "文字か数字"),
        ({"q": "防" * 1000}, "100文字以内"),
        ({"q": "防\x07災"}, "制御文字"),
        ({"q": "防災", "fy": "abc"}, "年度として読めません"),
        ({"q": "防災", "fy": "9" * 50}, "20文字以内"),
        ({"q": "防災", "plan": "999999"}, "候補にありません"),
        ({"q": "防災", "plan": "1e99"}, "候補にありません"),
        ({"q": "防災", "department": "-1"}, "候補にありません"),
        ({"q": "防災", "kind": "user"}, "候補にありません"),
        ({"q": "防災", "page": "0"}, "1 以上"),
        ({"q": "防災", "page": "abc"}, "整数"),
    ],
)
def test_bad_input_is_a_400_with_a_message(client, world, params, message):
    response = client.get(reverse("search:public"), params)
    assert response.status_code == 400
    assert message in response.content.decode()


@pytest.mark.parametrize(
    "query",
    ["' OR 1=1 --", "防災%", "防_災", ".*", "防災\\", '"防災"', "NEAR(防災)", "防災 OR 避難"],
)
def test_metacharacters_are_searched_as_text(client, world, query):
    response = client.get(reverse("search:public"), {"q": query})
    assert response.status_code in (200, 400)
    assert "Traceback" not in response.content.decode()


def test_the_draft_plan_cannot_be_used_as_a_filter_by_guessing_its_id(client, world):
    from hoshin.plans.models import Plan

    draft = Plan.objects.get(name="カナリア下書き計画")
    response = client.get(reverse("search:public"), {"q": "取組", "plan": draft.pk})
    assert response.status_code == 400
    assert "カナリア" not in response.content.decode()


def test_staff_search_needs_a_login(client, world):
    response = client.get(reverse("search:staff"), {"q": "カナリア"})
    assert response.status_code == 302 and "/staff/login/" in response["Location"]


def test_staff_search_finds_draft_plans_and_own_sheets_only(client, world):
    client.force_login(world.editor)  # 地域防災対策室: not 財政課's draft sheet
    html = client.get(reverse("search:staff"), {"q": "カナリア"}).content.decode()
    assert "下書き計画" in html and "財政下書き" not in html
    client.force_login(world.other_editor)
    html = client.get(reverse("search:staff"), {"q": "カナリア"}).content.decode()
    assert "財政下書き" in html
    assert 'action="/staff/search/"' in html  # the back office has its own box


def test_public_search_sets_no_cookie(client, world):
    response = client.get(reverse("search:public"), {"q": "防災"})
    assert not response.cookies
