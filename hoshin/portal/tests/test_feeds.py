"""Atom feeds of published results: content, order, 404s, caching and the attacker's canaries."""

import datetime
import xml.etree.ElementTree as ET

import pytest
from django.core.cache import caches
from django.urls import reverse
from django.utils import timezone

from hoshin.changes.page_cache import PAGE_CACHE
from hoshin.evaluations.models import EvaluationSheet, Stage
from hoshin.evaluations.services.workflow import sheet_transition
from hoshin.evaluations.tests.factories import make_world, open_year, sheet_of
from hoshin.evaluations.tests.stage_helpers import advance, fill
from hoshin.org.models import Department
from hoshin.plans.services import plan_set_published
from hoshin.portal import feeds

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.filterwarnings("ignore:No directory at:UserWarning"),
]

ATOM = "{http://www.w3.org/2005/Atom}"
CANARY = "カナリア非公開ZQX"


@pytest.fixture(autouse=True)
def _empty_page_cache():
    caches[PAGE_CACHE].clear()
    yield
    caches[PAGE_CACHE].clear()


@pytest.fixture
def world():
    return make_world()


def take_to(world, cycle, action, stage, **raw) -> EvaluationSheet:
    sheet = sheet_of(cycle, action)
    fill(world, sheet, raw)
    return advance(world, sheet, stage)


def entries(response) -> list[dict]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)
    assert root.tag == f"{ATOM}feed"
    return [
        {
            "title": entry.findtext(f"{ATOM}title"),
            "link": entry.find(f"{ATOM}link").get("href"),
            "id": entry.findtext(f"{ATOM}id"),
            "updated": entry.findtext(f"{ATOM}updated"),
        }
        for entry in root.iter(f"{ATOM}entry")
    ]


def feed_urls(world) -> list[str]:
    return [
        reverse("portal:feed_results"),
        reverse("portal:plan_feed", args=[world.plan.pk]),
        reverse("portal:department_feed", args=[world.bousai.pk]),
        reverse("portal:department_feed", args=[world.zaisei.pk]),
    ]


def test_site_feed_lists_a_published_result_with_year_grade_link_and_stable_id(client, world):
    sheet = take_to(world, open_year(world), world.bousai_action, Stage.PUBLISHED)
    [entry] = entries(client.get(reverse("portal:feed_results")))
    assert entry["title"] == "ハザードマップを周知する。 — 令和7年度（2025年度） 総合評価：A"
    assert entry["link"] == f"http://testserver/actions/{world.bousai_action.pk}/#result-2025"
    assert entry["id"].startswith("tag:127.0.0.1,") and entry["id"].endswith(f":results/{sheet.pk}")
    sheet.refresh_from_db()
    assert datetime.datetime.fromisoformat(entry["updated"]) == sheet.published_at


def test_entry_id_survives_withdrawing_and_publishing_again(client, world):
    sheet = take_to(world, open_year(world), world.bousai_action, Stage.PUBLISHED)
    [first] = entries(client.get(reverse("portal:feed_results")))
    sheet_transition(sheet=sheet, by=world.planner, name="unpublish", comment="訂正")
    assert entries(client.get(reverse("portal:feed_results"))) == []
    sheet_transition(sheet=sheet, by=world.planner, name="publish")
    [again] = entries(client.get(reverse("portal:feed_results")))
    assert again["id"] == first["id"]


def test_newest_publication_first_and_at_most_feed_size(client, world, monkeypatch):
    cycle = open_year(world)
    older = take_to(world, cycle, world.bousai_action, Stage.PUBLISHED)
    newer = take_to(world, cycle, world.zaisei_action, Stage.PUBLISHED)
    EvaluationSheet.objects.filter(pk=older.pk).update(
        published_at=timezone.now() - datetime.timedelta(days=3)
    )
    older.save(update_fields=["updated_at"])  # announce the bulk edit, as services do
    ids = [e["id"].rsplit("/", 1)[1] for e in entries(client.get(reverse("portal:feed_results")))]
    assert ids == [str(newer.pk), str(older.pk)]
    monkeypatch.setattr(feeds, "FEED_SIZE", 1)
    caches[PAGE_CACHE].clear()
    [only] = entries(client.get(reverse("portal:feed_results")))
    assert only["id"].endswith(f"/{newer.pk}")


def test_plan_and_department_feeds_hold_only_their_own_results(client, world):
    cycle = open_year(world)
    take_to(world, cycle, world.bousai_action, Stage.PUBLISHED)
    take_to(world, cycle, world.zaisei_action, Stage.PUBLISHED)
    plan_feed = entries(client.get(reverse("portal:plan_feed", args=[world.plan.pk])))
    bousai = entries(client.get(reverse("portal:department_feed", args=[world.bousai.pk])))
    zaisei = entries(client.get(reverse("portal:department_feed", args=[world.zaisei.pk])))
    assert len(plan_feed) == 2
    assert [e["title"].split(" — ")[0] for e in bousai] == ["ハザードマップを周知する。"]
    assert [e["title"].split(" — ")[0] for e in zaisei] == ["長期財政計画を策定する。"]


def test_unpublished_plan_unknown_ids_and_hidden_departments_answer_404(client, world):
    hidden = Department.objects.create(name="非公開の課", kind="ka")
    plan_id = world.plan.pk
    plan_set_published(plan=world.plan, published=False, by=world.planner)
    for url in [
        reverse("portal:plan_feed", args=[plan_id]),
        reverse("portal:plan_feed", args=[plan_id + 999]),
        reverse("portal:department_feed", args=[hidden.pk]),
        reverse("portal:department_feed", args=[hidden.pk + 999]),
    ]:
        response = client.get(url)
        assert response.status_code == 404, url
        assert "ETag" not in response


def test_no_canary_of_unpublished_results_or_plans_reaches_a_feed(client, world):
    """The attacker's view: canaries in every unpublished stage and in a withdrawn plan."""
    cycle = open_year(world)
    for action in (world.shared_action, world.zaisei_action, world.all_action):
        action.title = f"{CANARY}{action.pk}"
        action.save()
    take_to(world, cycle, world.shared_action, Stage.DRAFT, activities=CANARY)
    take_to(world, cycle, world.zaisei_action, Stage.FINAL, activities=CANARY)
    take_to(world, cycle, world.all_action, Stage.APPROVED, activities=CANARY)
    take_to(world, cycle, world.bousai_action, Stage.PUBLISHED)
    pages = {url: client.get(url) for url in feed_urls(world)}
    assert all(page.status_code == 200 for page in pages.values())
    assert not [url for url, page in pages.items() if CANARY in page.content.decode()]
    assert len(entries(pages[reverse("portal:feed_results")])) == 1

    # A published sheet of a plan withdrawn from the portal leaves every feed at once.
    world.bousai_action.title = CANARY
    world.bousai_action.save()
    plan_set_published(plan=world.plan, published=False, by=world.planner)
    site = client.get(reverse("portal:feed_results"))
    assert entries(site) == [] and CANARY not in site.content.decode()
    assert client.get(reverse("portal:plan_feed", args=[world.plan.pk])).status_code == 404
    department = client.get(reverse("portal:department_feed", args=[world.bousai.pk]))
    assert department.status_code == 404 or CANARY not in department.content.decode()


def test_feeds_are_cached_and_answer_304_until_a_result_is_published(client, world):
    url = reverse("portal:plan_feed", args=[world.plan.pk])
    empty = client.get(url)
    assert entries(empty) == [] and empty["ETag"]
    assert client.get(url, HTTP_IF_NONE_MATCH=empty["ETag"]).status_code == 304
    take_to(world, open_year(world), world.bousai_action, Stage.PUBLISHED)
    fresh = client.get(url, HTTP_IF_NONE_MATCH=empty["ETag"])
    assert fresh.status_code == 200 and len(entries(fresh)) == 1


def test_feeds_refuse_post(client, world):
    assert client.post(reverse("portal:feed_results")).status_code == 405


def test_pages_announce_their_feeds_to_readers_and_people(client, world):
    home = client.get(reverse("portal:home")).content.decode()
    site_feed = reverse("portal:feed_results")
    assert '<link rel="alternate" type="application/atom+xml"' in home
    assert f'href="{site_feed}"' in home and "評価結果の更新情報（Atom）</a>" in home
    department = client.get(world.bousai.get_absolute_url()).content.decode()
    own_feed = reverse("portal:department_feed", args=[world.bousai.pk])
    assert f'title="地域防災対策室の評価結果の更新情報（Atom）" href="{own_feed}"' in department
    assert f'<a href="{own_feed}" type="application/atom+xml">' in department
    assert client.get(own_feed).status_code == 200


def test_summary_html_escapes_plan_and_department_names(client, world):
    """Issue 10, finding "names unescaped into Atom <summary type="html">": a plan or department
    name with markup reaches a feed reader as text, never as HTML it would run."""
    take_to(world, open_year(world), world.bousai_action, Stage.PUBLISHED)
    world.plan.name = "計画<script>alert(1)</script>&Co"
    world.plan.save(update_fields=["name"])
    Department.objects.filter(pk=world.bousai.pk).update(name="防災<b>課</b>&係")
    root = ET.fromstring(client.get(reverse("portal:feed_results")).content)
    [summary] = root.iter(f"{ATOM}summary")
    assert summary.get("type") == "html"
    # What a reader renders as HTML: the escaped text, never a tag.
    assert "<script>" not in summary.text and "<b>" not in summary.text
    assert "計画&lt;script&gt;alert(1)&lt;/script&gt;&amp;Co" in summary.text
    assert "防災&lt;b&gt;課&lt;/b&gt;&amp;係" in summary.text


def test_feeds_page_explains_feeds_and_lists_every_feed_with_its_full_url(client, world):
    take_to(world, open_year(world), world.bousai_action, Stage.PUBLISHED)
    response = client.get(reverse("portal:feeds"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "フィードとは" in html and "フィードリーダー" in html
    base = "http://testserver"
    for feed_url in (
        reverse("portal:feed_results"),
        reverse("portal:plan_feed", args=[world.plan.pk]),
        reverse("portal:department_feed", args=[world.bousai.pk]),
    ):
        assert f'readonly value="{base}{feed_url}"' in html, feed_url
        assert client.get(feed_url).status_code == 200
    # Every URL field has its own label (copying works without JavaScript).
    assert html.count('class="feed-list__url"') == html.count('class="feed-list__label"')
    # The footer of every page leads people to this page, not to raw XML.
    home = client.get(reverse("portal:home")).content.decode()
    footer = home[home.index('<footer class="site-footer">') :]
    assert f'href="{reverse("portal:feeds")}"' in footer
    assert f'href="{reverse("portal:feed_results")}"' not in footer


def test_feeds_page_lists_no_draft_plan(client, world):
    plan_set_published(plan=world.plan, published=False, by=world.planner)
    html = client.get(reverse("portal:feeds")).content.decode()
    assert reverse("portal:plan_feed", args=[world.plan.pk]) not in html


def test_feed_titles_name_the_city(client, world, settings):
    settings.HOSHIN_CITY_NAME = "ほしの市"
    root = ET.fromstring(client.get(reverse("portal:feed_results")).content)
    assert root.findtext(f"{ATOM}title") == "評価結果の公表 | ほしの市 行政経営ポータル"
    home = client.get(reverse("portal:home")).content.decode()
    assert f'href="{reverse("portal:feeds")}"' in home.split('<footer class="site-footer">')[0]
