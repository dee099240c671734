"""Stable URLs: after a replacing import, old plan and action URLs answer 301 to the new ones."""

import copy

import pytest
from django.core.cache import caches
from django.urls import reverse

from hoshin.changes.page_cache import PAGE_CACHE
from hoshin.plans.formats.detect import parse_plan_file
from hoshin.plans.models import Action, MovedObject, Plan
from hoshin.plans.services import plan_import, plan_set_published

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.filterwarnings("ignore:No directory at:UserWarning"),
]

REFORM_FILE = "001_93b4eaf820d612a8.txt"
COMPREHENSIVE_FILE = "000_78a06c49d3f23c0e.txt"


@pytest.fixture(autouse=True)
def _empty_page_cache():
    caches[PAGE_CACHE].clear()
    yield
    caches[PAGE_CACHE].clear()


@pytest.fixture(params=["reform", "comprehensive"])
def seed(request, reform_seed_bytes, comprehensive_seed_bytes):
    if request.param == "reform":
        return parse_plan_file(reform_seed_bytes, REFORM_FILE)
    return parse_plan_file(comprehensive_seed_bytes, COMPREHENSIVE_FILE)


def load(parsed, *, replace=False, publish=True) -> Plan:
    return plan_import(
        parsed=copy.deepcopy(parsed),
        name="安定URLの計画",
        create_departments=True,
        replace=replace,
        publish=publish,
    ).plan


def contents(plan: Plan) -> dict[int, str]:
    return dict(Action.objects.filter(plan=plan).values_list("pk", "text"))


def retitle(parsed, index: int, heading: str):
    """The parsed plan with one action renamed (its title, or its text when it has none)."""
    changed = copy.deepcopy(parsed)
    action = changed.all_actions()[index]
    if action.title:
        action.title = heading
    else:
        action.text = heading
    return changed


def test_every_old_action_url_redirects_to_the_same_action_after_replace(client, seed):
    old_plan = load(seed)
    old = contents(old_plan)
    bookmarked = next(iter(old))
    assert client.get(reverse("portal:action", args=[bookmarked])).status_code == 200
    changed_index = len(old) // 2
    changed_text = seed.all_actions()[changed_index].text
    changed_old_id = next(pk for pk, text in old.items() if text == changed_text)

    new_plan = load(retitle(seed, changed_index, "改名した取組ZQX"), replace=True)
    new = contents(new_plan)
    assert not set(new) & set(old)  # replace really made new ids
    new_by_text = {text: pk for pk, text in new.items()}
    for old_id, text in old.items():
        response = client.get(reverse("portal:action", args=[old_id]))
        assert response.status_code == 301, old_id
        target = int(response["Location"].strip("/").rsplit("/", 1)[1])
        if old_id == changed_old_id:
            assert Action.objects.get(pk=target).heading.endswith("改名した取組ZQX")
        else:
            assert target == new_by_text[text], text

    page = client.get(reverse("portal:action", args=[bookmarked]), follow=True)
    assert page.status_code == 200 and page.redirect_chain[0][1] == 301
    plan_page = client.get(reverse("portal:plan", args=[old_plan.pk]))
    assert plan_page.status_code == 301 and plan_page["Location"] == new_plan.get_absolute_url()
    feed = client.get(reverse("portal:plan_feed", args=[old_plan.pk]))
    assert feed.status_code == 301
    assert feed["Location"] == reverse("portal:plan_feed", args=[new_plan.pk])


def test_two_replacements_redirect_in_one_hop(client, seed):
    first = load(seed)
    first_action = min(contents(first))
    load(seed, replace=True)
    third = load(seed, replace=True)
    response = client.get(reverse("portal:action", args=[first_action]))
    assert response.status_code == 301
    target = int(response["Location"].strip("/").rsplit("/", 1)[1])
    assert target in contents(third)
    assert client.get(response["Location"]).status_code == 200
    plan = client.get(reverse("portal:plan", args=[first.pk]))
    assert plan["Location"] == third.get_absolute_url()


def test_inserted_and_removed_actions_do_not_shift_the_others(client, seed):
    old = contents(load(seed))
    changed = copy.deepcopy(seed)
    node = next(n for n in changed.walk() if len(n.actions) >= 2)
    removed = node.actions.pop(1)
    node.actions.insert(0, copy.deepcopy(node.actions[0]))
    node.actions[0].text = "新しく加えた取組の内容ZQX"
    node.actions[0].title = "新しく加えた取組ZQX" if node.actions[0].title else ""
    new = contents(load(changed, replace=True))
    new_by_text = {text: pk for pk, text in new.items()}
    removed_id = next(pk for pk, text in old.items() if text == removed.text)
    assert client.get(reverse("portal:action", args=[removed_id])).status_code == 404
    for old_id, text in old.items():
        if old_id != removed_id:
            assert MovedObject.objects.get(kind="action", old_id=old_id).new_id == new_by_text[text]


def test_a_move_to_an_unpublished_plan_answers_404_until_it_is_published(client, seed):
    old = load(seed)
    old_action = min(contents(old))
    new = load(seed, replace=True, publish=False)
    assert client.get(reverse("portal:plan", args=[old.pk])).status_code == 404
    assert client.get(reverse("portal:action", args=[old_action])).status_code == 404
    plan_set_published(plan=new, published=True)
    assert client.get(reverse("portal:plan", args=[old.pk])).status_code == 301
    assert client.get(reverse("portal:action", args=[old_action])).status_code == 301


def test_unknown_ids_still_answer_404(client, seed):
    plan = load(seed)
    top = max(contents(plan))
    assert client.get(reverse("portal:action", args=[top + 1000])).status_code == 404
    assert client.get(reverse("portal:plan", args=[plan.pk + 1000])).status_code == 404
