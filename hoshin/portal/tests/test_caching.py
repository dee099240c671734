"""The public page cache: served from the cache, 304s, and never a stale page after a change."""

import pytest
from django.core.cache import caches
from django.db import connection, transaction
from django.http import HttpResponse
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from hoshin.changes.models import PublicState
from hoshin.changes.page_cache import PAGE_CACHE, public_page
from hoshin.evaluations.models import Stage
from hoshin.evaluations.services.workflow import sheet_transition
from hoshin.evaluations.tests.factories import make_world, open_year, sheet_of
from hoshin.evaluations.tests.stage_helpers import advance, fill
from hoshin.plans.services import plan_set_published

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.filterwarnings("ignore:No directory at:UserWarning"),
]

RESULT_TEXT = "避難訓練の参加者が増えたキャッシュ確認用の文"


@pytest.fixture(autouse=True)
def _empty_page_cache():
    caches[PAGE_CACHE].clear()
    yield
    caches[PAGE_CACHE].clear()


@pytest.fixture
def world():
    return make_world()


def publish_result(world, text: str = RESULT_TEXT):
    """The bousai action's FY2025 sheet, filled and taken through the workflow to published."""
    sheet = sheet_of(open_year(world), world.bousai_action)
    fill(world, sheet, {"activities": text})
    return advance(world, sheet, Stage.PUBLISHED)


def count_queries(client, url, **headers):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, **headers)
    return response, len(queries)


def test_second_request_is_served_from_the_cache_with_only_the_version_lookup(client, world):
    url = world.bousai_action.get_absolute_url()
    first, first_queries = count_queries(client, url)
    second, second_queries = count_queries(client, url)
    assert first.status_code == second.status_code == 200
    assert first_queries > 3
    assert second_queries == 1  # SELECT … FROM portal_publicstate
    assert second.content == first.content
    assert second["ETag"] == first["ETag"]
    assert second["Content-Type"] == "text/html; charset=utf-8"


@pytest.mark.parametrize(
    "url_of",
    [
        lambda w: reverse("portal:home"),
        lambda w: w.plan.get_absolute_url(),
        lambda w: w.bousai_action.get_absolute_url(),
        lambda w: reverse("portal:departments"),
        lambda w: w.bousai.get_absolute_url(),
        lambda w: reverse("portal:feed_results"),
    ],
)
def test_every_portal_page_sends_validators_and_answers_304(client, world, url_of):
    url = url_of(world)
    page = client.get(url)
    assert page.status_code == 200
    assert page["ETag"].startswith('"') and page["Last-Modified"].endswith("GMT")
    assert "public" in page["Cache-Control"] and "max-age=60" in page["Cache-Control"]

    by_etag = client.get(url, HTTP_IF_NONE_MATCH=page["ETag"])
    assert by_etag.status_code == 304 and by_etag.content == b""
    assert by_etag["ETag"] == page["ETag"] and "max-age=60" in by_etag["Cache-Control"]

    by_date = client.get(url, HTTP_IF_MODIFIED_SINCE=page["Last-Modified"])
    assert by_date.status_code == 304


def test_304_costs_one_query_and_an_old_date_or_other_etag_gets_the_page(client, world):
    url = world.plan.get_absolute_url()
    page = client.get(url)
    not_modified, queries = count_queries(client, url, HTTP_IF_NONE_MATCH=page["ETag"])
    assert not_modified.status_code == 304 and queries == 1
    assert client.get(url, HTTP_IF_NONE_MATCH='"something-else"').status_code == 200
    old = "Sat, 01 Jan 2000 00:00:00 GMT"
    assert client.get(url, HTTP_IF_MODIFIED_SINCE=old).status_code == 200


def test_query_string_and_address_are_part_of_the_key(client, world):
    url = reverse("portal:home")
    plain = client.get(url)
    with_query = client.get(url + "?from=newsletter")
    assert plain["ETag"] != with_query["ETag"]
    other_host = client.get(url, HTTP_HOST="localhost")
    assert other_host["ETag"] != plain["ETag"]


def test_head_is_answered_from_the_same_entry(client, world):
    url = world.plan.get_absolute_url()
    page = client.get(url)
    head = client.head(url)
    assert head.status_code == 200 and head["ETag"] == page["ETag"] and head.content == b""


def test_publishing_a_sheet_shows_at_once_and_old_etag_no_longer_matches(client, world):
    url = world.bousai_action.get_absolute_url()
    before = client.get(url)
    assert RESULT_TEXT not in before.content.decode()
    publish_result(world)
    after = client.get(url, HTTP_IF_NONE_MATCH=before["ETag"])
    assert after.status_code == 200
    assert RESULT_TEXT in after.content.decode()
    assert after["ETag"] != before["ETag"]


def test_withdrawing_a_published_sheet_hides_it_at_once(client, world):
    sheet = publish_result(world)
    url = world.bousai_action.get_absolute_url()
    assert RESULT_TEXT in client.get(url).content.decode()
    sheet_transition(sheet=sheet, by=world.planner, name="unpublish", comment="誤り")
    assert RESULT_TEXT not in client.get(url).content.decode()


def test_unpublishing_a_plan_answers_404_at_once(client, world):
    urls = [world.plan.get_absolute_url(), world.bousai_action.get_absolute_url()]
    assert [client.get(url).status_code for url in urls] == [200, 200]
    home = client.get(reverse("portal:home"))
    plan_set_published(plan=world.plan, published=False, by=world.planner)
    assert [client.get(url).status_code for url in urls] == [404, 404]
    again = client.get(reverse("portal:home"), HTTP_IF_NONE_MATCH=home["ETag"])
    assert again.status_code == 200 and world.plan.name not in again.content.decode()


def test_editing_an_action_title_shows_at_once(client, world):
    action = world.bousai_action
    url = action.get_absolute_url()
    # The action is listed on its node's page (the plan page lists nodes only).
    node_url = reverse("portal:node", args=[world.plan.pk, action.node_id])
    client.get(url), client.get(node_url)
    action.title = "新しい取組名キャッシュ確認"
    action.save()  # what the admin's change form does
    assert "新しい取組名キャッシュ確認" in client.get(url).content.decode()
    assert "新しい取組名キャッシュ確認" in client.get(node_url).content.decode()


def test_a_rolled_back_change_does_not_bump_the_version(world):
    before = PublicState.current()
    assert before is not None  # make_world changed public data
    with pytest.raises(RuntimeError), transaction.atomic():
        world.plan.name = "ロールバックされる名前"
        world.plan.save()
        assert PublicState.current().version != before.version
        raise RuntimeError("the import failed half way")
    after = PublicState.current()
    assert (after.version, after.changed_at) == (before.version, before.changed_at)


@pytest.mark.django_db(transaction=True)
def test_a_committed_change_shows_and_a_rolled_back_one_keeps_the_etag(client):
    world = make_world()
    committed = PublicState.current()
    url = world.plan.get_absolute_url()
    etag = client.get(url)["ETag"]
    try:
        with transaction.atomic():
            world.plan.description = "ロールバックされる説明"
            world.plan.save()
            raise RuntimeError
    except RuntimeError:
        pass
    assert PublicState.current().version == committed.version
    assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304
    world.plan.description = "確定した説明"
    world.plan.save()
    assert PublicState.current().version != committed.version
    page = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert page.status_code == 200 and "確定した説明" in page.content.decode()


def test_nothing_is_cached_before_public_data_ever_changed(client):
    assert PublicState.current() is None
    page = client.get(reverse("portal:home"))
    assert page.status_code == 200 and "ETag" not in page
    assert "public" in page["Cache-Control"]


def test_404_is_neither_cached_nor_given_validators(client, world):
    url = reverse("portal:plan", args=[world.plan.pk + 1000])
    missing, _ = count_queries(client, url)
    again, queries = count_queries(client, url)
    assert missing.status_code == again.status_code == 404
    assert "ETag" not in again and queries > 1
    # A crawler's If-Modified-Since (no ETag) must not turn a missing page into a 304.
    later = "Fri, 01 Jan 2100 00:00:00 GMT"
    assert client.get(url, HTTP_IF_MODIFIED_SINCE=later).status_code == 404


# ---- the decorator on its own: per-visitor responses are never stored ------------------------


def _decorated(make_response):
    calls = []

    @public_page
    def view(request):
        calls.append(request)
        return make_response(request)

    return view, calls


@pytest.mark.parametrize(
    "make_response",
    [
        pytest.param(lambda r: _with_cookie(HttpResponse("x")), id="sets a cookie"),
        pytest.param(lambda r: _reads_session(r, HttpResponse("x")), id="reads the session"),
        pytest.param(lambda r: _varies(HttpResponse("x")), id="varies by cookie"),
        pytest.param(lambda r: _private(HttpResponse("x")), id="private"),
        pytest.param(lambda r: HttpResponse("x", status=201), id="not 200"),
    ],
)
def test_per_visitor_or_odd_responses_are_never_stored(world, make_response):
    view, calls = _decorated(make_response)
    for _attempt in range(2):
        request = RequestFactory().get("/probe/")
        request.session = _Session()
        response = view(request)
        assert "ETag" not in response
    assert len(calls) == 2


def test_a_plain_page_is_stored_once(world):
    view, calls = _decorated(lambda r: HttpResponse("same for everyone"))
    for _attempt in range(3):
        request = RequestFactory().get("/probe/")
        request.session = _Session()
        assert view(request).content == b"same for everyone"
    assert len(calls) == 1


class _Session(dict):
    accessed = False


def _with_cookie(response):
    response.set_cookie("tracker", "1")
    return response


def _reads_session(request, response):
    request.session.accessed = True
    return response


def _varies(response):
    response["Vary"] = "Cookie"
    return response


def _private(response):
    response["Cache-Control"] = "private"
    return response


def test_requests_with_credentials_bypass_the_cache(client, world):
    url = world.plan.get_absolute_url()
    client.get(url)
    with_token, queries = count_queries(client, url, HTTP_AUTHORIZATION="Bearer abc")
    assert with_token.status_code == 200 and "ETag" not in with_token and queries > 1
    assert "private" in with_token["Cache-Control"] and "public" not in with_token["Cache-Control"]


def test_responses_over_the_size_limit_are_rendered_every_time(client, world, settings):
    settings.HOSHIN_PAGE_CACHE_MAX_BYTES = 100
    url = world.plan.get_absolute_url()
    client.get(url)
    again, queries = count_queries(client, url)
    assert again.status_code == 200 and queries > 1


def test_file_based_cache_is_shared_through_the_directory(client, world, settings, tmp_path):
    settings.CACHES = {
        **settings.CACHES,
        "pages": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(tmp_path / "pages"),
        },
    }
    url = world.bousai_action.get_absolute_url()
    first = client.get(url)
    assert list((tmp_path / "pages").iterdir())  # what another worker would read
    caches["pages"].close()
    second, queries = count_queries(client, url)
    assert second.content == first.content and queries == 1
