"""Citizens rate published results (issue 5, section 7): the form, the guards, moderation, figures.

Attacker cases: rating a result that is not published (draft, final, a 施策評価 sheet, a
published sheet of an unpublished plan, an unknown id), HTML and control characters in a
comment, a pending or rejected comment reaching the portal, a post from another site, a bot
filling the honeypot, a flood from one address, a tampered "already rated" cookie.
"""

import re

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from conftest import shared_data
from hoshin.audit.models import AuditEntry
from hoshin.evaluations.models import EvaluationCycle, EvaluationSheet, Stage
from hoshin.evaluations.selectors.dashboard import dashboard_rollup
from hoshin.evaluations.services.workflow import sheet_transition
from hoshin.evaluations.tests.factories import TODAY, make_user, make_world, open_year, sheet_of
from hoshin.evaluations.tests.stage_helpers import advance, fill
from hoshin.org.models import Role
from hoshin.plans.models import PlanNode
from hoshin.voices.models import RatingStatus, ResultRating
from hoshin.voices.selectors.ratings import (
    PublicComment,
    rating_summary,
    ratings_public_for_action,
)
from hoshin.voices.services.ratings import rating_moderate, rating_submit
from hoshin.voices.views.ratings import RATED_COOKIE

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.filterwarnings("ignore:No directory at:UserWarning"),
]


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()  # rate-limit and double-click counters live in the cache
    yield
    cache.clear()


@shared_data
def world():
    """FY2024 and FY2025 of the hazard-map action published; other sheets in other stages.

    Built once for the tests that follow one another (each runs in its own transaction)."""
    world = make_world()
    last = open_year(world, 2024)
    advance(world, fill(world, sheet_of(last, world.bousai_action)), Stage.PUBLISHED)
    cycle = open_year(world, 2025)
    world.published = advance(
        world, fill(world, sheet_of(cycle, world.bousai_action)), Stage.PUBLISHED
    )
    world.last_year = sheet_of(last, world.bousai_action)
    world.draft = sheet_of(cycle, world.zaisei_action)
    world.final = advance(world, fill(world, sheet_of(cycle, world.shared_action)), Stage.FINAL)
    world.hearing = make_user("hearing", role=Role.PUBLIC_HEARING)
    world.admin = make_user("admin", role=Role.ADMIN)
    return world


def rate_url(sheet) -> str:
    return reverse("voices:rating", args=[sheet.pk])


def post(client, sheet, **data):
    return client.post(rate_url(sheet), {"score": "4", "comment": "", "homepage": "", **data})


def action_page(client, world) -> str:
    return client.get(world.bousai_action.get_absolute_url()).content.decode()


# ---- the form on the action page ------------------------------------------------------------


def test_each_published_result_has_a_rating_form_that_needs_no_login_or_script(client, world):
    html = action_page(client, world)
    for sheet, fy in ((world.published, 2025), (world.last_year, 2024)):
        form = re.search(
            rf'<form method="post" action="{rate_url(sheet)}" class="rating__form">(.*?)</form>',
            html,
            re.S,
        )
        assert form, fy
        body = form.group(1)
        labels = re.findall(rf'<label for="rating-{fy}-score-(\d)">(.*?)</label>', body)
        assert labels == [
            ("1", "1 不満"),
            ("2", "2 やや不満"),
            ("3", "3 どちらともいえない"),
            ("4", "4 やや満足"),
            ("5", "5 満足"),
        ]
        assert f'<label for="rating-{fy}-comment">コメント（任意）</label>' in body
        assert 'name="homepage"' in body and 'tabindex="-1"' in body  # honeypot
        assert "csrfmiddlewaretoken" not in body  # the page stays publicly cacheable
    assert html.count('class="rating__form"') == 2


def test_the_action_page_stays_cacheable_without_cookies(client, world):
    response = client.get(world.bousai_action.get_absolute_url())
    assert "public" in response["Cache-Control"]
    assert not response.cookies


def test_the_form_page_works_on_its_own(client, world):
    response = client.get(rate_url(world.published))
    assert response.status_code == 200
    assert "令和7年度（2025年度）の評価結果への満足度" in response.content.decode()


# ---- storing a rating ----------------------------------------------------------------------


def test_a_rating_with_a_comment_is_stored_pending_and_remembered(client, world):
    response = post(client, world.published, score="5", comment="分かりやすい結果でした。")
    assert response.status_code == 302
    assert (
        response["Location"]
        == reverse("voices:rating_thanks", args=[world.published.pk]) + "?comment=1"
    )
    rating = ResultRating.objects.get()
    assert (rating.sheet, rating.score, rating.comment) == (
        world.published,
        5,
        "分かりやすい結果でした。",
    )
    assert rating.comment_status == RatingStatus.PENDING
    assert RATED_COOKIE in response.cookies
    assert response.cookies[RATED_COOKIE]["httponly"]
    thanks = client.get(response["Location"]).content.decode()
    assert "確認したうえで" in thanks
    assert world.bousai_action.get_absolute_url() + "#result-2025" in thanks
    assert AuditEntry.objects.filter(verb="rating.submit").count() == 1


def test_a_score_alone_has_nothing_to_moderate(client, world):
    post(client, world.published, score="2")
    rating = ResultRating.objects.get()
    assert rating.comment == "" and rating.comment_status == RatingStatus.APPROVED
    assert rating.moderated_by is None


def test_one_rating_per_browser_and_result(client, world):
    post(client, world.published, score="5")
    again = post(client, world.published, score="1")
    assert again["Location"].endswith("?already=1")
    assert ResultRating.objects.count() == 1
    # Another year of the same action is another result.
    post(client, world.last_year, score="3")
    assert ResultRating.objects.count() == 2
    assert "既に満足度を送信" in client.get(rate_url(world.published)).content.decode()


def test_a_tampered_cookie_counts_as_none(client, world):
    client.cookies[RATED_COOKIE] = f"{world.published.pk}"  # unsigned
    post(client, world.published, score="3")
    assert ResultRating.objects.count() == 1


def test_a_double_click_is_stored_once(world):
    first, second = Client(), Client()  # the cookie of the first has not arrived yet
    post(first, world.published, score="4", comment="同じ内容")
    post(second, world.published, score="4", comment="同じ内容")
    assert ResultRating.objects.count() == 1


@pytest.mark.parametrize(
    "data, message",
    [
        ({"score": ""}, "満足度を1～5から選んでください。"),
        ({"score": "0"}, "満足度を1～5から選んでください。"),
        ({"score": "6"}, "満足度を1～5から選んでください。"),
        ({"score": "abc"}, "満足度を1～5から選んでください。"),
        ({"comment": "あ" * 2001}, "2,001文字あります。2,000文字以内にしてください。"),
    ],
)
def test_bad_input_is_refused_with_a_clear_message(client, world, data, message):
    response = post(client, world.published, **data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not ResultRating.objects.exists()


def test_a_long_comment_is_kept_when_refused_and_a_2000_character_one_is_accepted(client, world):
    response = post(client, world.published, score="", comment="残す内容")
    assert "残す内容</textarea>" in response.content.decode()
    post(client, world.published, comment="あ" * 2000)
    assert len(ResultRating.objects.get().comment) == 2000


def test_rare_kanji_and_emoji_survive_and_control_characters_do_not(client, world):
    post(client, world.published, comment="髙﨑さん𠮷野家😀\x00\x07\r\n次の行")
    assert ResultRating.objects.get().comment == "髙﨑さん𠮷野家😀\n次の行"


# ---- attackers ------------------------------------------------------------------------------


def _unpublished_targets(world) -> dict[str, int]:
    node_sheet = EvaluationSheet.objects.create(
        cycle=world.published.cycle,
        node=PlanNode.objects.get(plan=world.plan),
        stage=Stage.PUBLISHED,
        scales=world.published.scales,
    )
    return {
        "draft": world.draft.pk,
        "final": world.final.pk,
        "node sheet": node_sheet.pk,
        "unknown": 999_999,
    }


def test_only_published_results_accept_ratings(client, world):
    for label, pk in _unpublished_targets(world).items():
        url = reverse("voices:rating", args=[pk])
        assert client.post(url, {"score": "5", "comment": "x"}).status_code == 404, label
        assert client.get(url).status_code == 404, label
        assert client.get(reverse("voices:rating_thanks", args=[pk])).status_code == 404, label
    assert not ResultRating.objects.exists()
    with pytest.raises(EvaluationSheet.DoesNotExist):
        rating_submit(sheet_id=world.final.pk, score=3)


def test_a_published_sheet_of_an_unpublished_plan_takes_no_rating(client, world):
    world.plan.is_published = False
    world.plan.save()
    assert post(client, world.published).status_code == 404
    assert not ResultRating.objects.exists()


def test_a_withdrawn_result_takes_no_more_ratings(client, world):
    sheet_transition(
        sheet=world.published, by=world.planner, name="unpublish", comment="数値の誤り"
    )
    assert post(client, world.published).status_code == 404
    assert not ResultRating.objects.exists()
    html = action_page(client, world)
    assert rate_url(world.published) not in html and rate_url(world.last_year) in html


def test_html_in_a_comment_is_stored_as_text_and_never_rendered(client, world):
    evil = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    post(client, world.published, comment=evil)
    rating = ResultRating.objects.get()
    assert rating.comment == evil
    rating_moderate(rating=rating, decision=RatingStatus.APPROVED, by=world.planner)
    html = action_page(client, world)
    assert "<script>alert" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
    staff = Client()
    staff.force_login(world.planner)
    moderation = staff.get(reverse("voices_staff:ratings"), {"status": "approved"}).content.decode()
    assert "<script>alert" not in moderation and "&lt;script&gt;" in moderation


def test_pending_and_rejected_comments_are_never_public(client, world):
    for text in ("確認待ちのコメント", "非掲載のコメント", "掲載したコメント"):
        rating_submit(sheet_id=world.published.pk, score=3, comment=text)
    ratings = {r.comment: r for r in ResultRating.objects.all()}
    rating_moderate(
        rating=ratings["非掲載のコメント"], decision=RatingStatus.REJECTED, by=world.hearing
    )
    rating_moderate(
        rating=ratings["掲載したコメント"], decision=RatingStatus.APPROVED, by=world.hearing
    )
    for url in (
        world.bousai_action.get_absolute_url(),
        world.plan.get_absolute_url(),
        world.bousai.get_absolute_url(),
        rate_url(world.published),
        reverse("voices:rating_thanks", args=[world.published.pk]),
    ):
        html = client.get(url).content.decode()
        assert "確認待ちのコメント" not in html, url
        assert "非掲載のコメント" not in html, url
    html = action_page(client, world)
    assert "掲載したコメント" in html
    assert "市民の皆さんからのコメント（1件）" in html


def test_a_bot_filling_the_honeypot_is_thanked_and_nothing_is_stored(client, world):
    response = post(client, world.published, homepage="http://spam.example")
    assert response.status_code == 302
    assert not ResultRating.objects.exists()


def test_a_post_from_another_site_is_refused(client, world):
    response = client.post(
        rate_url(world.published), {"score": "1"}, HTTP_ORIGIN="https://evil.example"
    )
    assert response.status_code == 403
    response = client.post(rate_url(world.published), {"score": "1"}, HTTP_ORIGIN="null")
    assert response.status_code == 403
    assert not ResultRating.objects.exists()
    same_site = client.post(
        rate_url(world.published), {"score": "1"}, HTTP_ORIGIN="http://testserver"
    )
    assert same_site.status_code == 302
    assert ResultRating.objects.count() == 1


def test_a_post_from_the_same_host_on_another_scheme_is_refused(client, world):
    """Issue 10, finding "the rating form's Origin check ignores the scheme": the plain-HTTP
    site is another origin than the HTTPS one, whatever the host."""
    response = client.post(
        rate_url(world.published), {"score": "1"}, HTTP_ORIGIN="http://testserver", secure=True
    )
    assert response.status_code == 403
    response = client.post(
        rate_url(world.published), {"score": "1"}, HTTP_ORIGIN="https://testserver"
    )
    assert response.status_code == 403
    response = client.post(
        rate_url(world.published),
        {"score": "1"},
        HTTP_ORIGIN="https://testserver:8443",
        secure=True,
    )
    assert response.status_code == 403
    assert not ResultRating.objects.exists()
    same_origin = client.post(
        rate_url(world.published), {"score": "1"}, HTTP_ORIGIN="https://testserver", secure=True
    )
    assert same_origin.status_code == 302
    assert ResultRating.objects.count() == 1


def test_the_per_address_rate_limit_of_public_forms_applies(settings, world):
    settings.HOSHIN_PUBLIC_FORM_RATE_LIMIT = 3
    statuses = []
    for number in range(5):  # fresh browsers, one address
        response = post(Client(), world.published, score="3", comment=f"コメント{number}")
        statuses.append(response.status_code)
    assert statuses == [302, 302, 302, 429, 429]
    assert ResultRating.objects.count() == 3
    other = Client(REMOTE_ADDR="192.0.2.9")
    assert post(other, world.published, comment="別の場所").status_code == 302


def test_a_rate_limit_of_zero_is_off(settings, world):
    settings.HOSHIN_PUBLIC_FORM_RATE_LIMIT = 0
    for number in range(15):
        post(Client(), world.published, comment=f"負荷試験{number}")
    assert ResultRating.objects.count() == 15


# ---- moderation ------------------------------------------------------------------------------


@pytest.fixture
def pending(world) -> ResultRating:
    return rating_submit(sheet_id=world.published.pk, score=2, comment="説明が足りません。")


MODERATION = reverse("voices_staff:ratings")


@pytest.mark.parametrize(
    "who, expected",
    [
        ("planner", 200),
        ("hearing", 200),
        ("admin", 200),
        ("editor", 403),
        ("head", 403),
        ("viewer", 403),
        ("committee", 403),
    ],
)
def test_moderation_is_for_the_planning_and_public_hearing_offices(
    client, world, pending, who, expected
):
    client.force_login(getattr(world, who))
    assert client.get(MODERATION).status_code == expected
    url = reverse("voices_staff:rating_moderate", args=[pending.pk])
    response = client.post(url, {"decision": "approved"})
    assert response.status_code == (302 if expected == 200 else 403)
    pending.refresh_from_db()
    assert (pending.comment_status == RatingStatus.APPROVED) == (expected == 200)


def test_anonymous_visitors_cannot_moderate(client, pending):
    assert client.get(MODERATION).status_code == 302
    url = reverse("voices_staff:rating_moderate", args=[pending.pk])
    assert client.post(url, {"decision": "approved"}).status_code == 302
    pending.refresh_from_db()
    assert pending.comment_status == RatingStatus.PENDING


def test_moderation_lists_pending_comments_and_approving_publishes_them(client, world, pending):
    client.force_login(world.hearing)
    html = client.get(MODERATION).content.decode()
    assert "説明が足りません。" in html and "確認待ち（1件）" in html
    response = client.post(
        reverse("voices_staff:rating_moderate", args=[pending.pk]),
        {"decision": "approved", "next": MODERATION + "?status=pending"},
    )
    assert response["Location"] == MODERATION + "?status=pending"
    pending.refresh_from_db()
    assert pending.moderated_by == world.hearing and pending.moderated_at is not None
    assert "説明が足りません。" in action_page(Client(), world)
    # A decision can be changed: withdrawn, it disappears from the portal again.
    rating_moderate(rating=pending, decision=RatingStatus.REJECTED, by=world.planner)
    assert "説明が足りません。" not in action_page(Client(), world)
    assert AuditEntry.objects.filter(verb="rating.moderate").count() == 2


def test_moderation_links_only_to_pages_the_moderator_may_open(client, world, pending):
    staff_sheet = reverse("evaluations:sheet", args=[pending.sheet_id])
    public_page = pending.sheet.action.get_absolute_url()
    client.force_login(world.hearing)  # may not open staff sheets: the public result instead
    html = client.get(MODERATION).content.decode()
    assert staff_sheet not in html and f'href="{public_page}"' in html
    assert client.get(public_page).status_code == 200
    client.force_login(world.planner)
    assert f'href="{staff_sheet}"' in client.get(MODERATION).content.decode()
    assert client.get(staff_sheet).status_code == 200


def test_moderation_refuses_unknown_decisions_and_foreign_redirects(client, world, pending):
    client.force_login(world.planner)
    url = reverse("voices_staff:rating_moderate", args=[pending.pk])
    client.post(url, {"decision": "pending"})
    pending.refresh_from_db()
    assert pending.comment_status == RatingStatus.PENDING
    response = client.post(url, {"decision": "rejected", "next": "https://evil.example/"})
    assert response["Location"] == MODERATION
    assert client.get(url).status_code == 405


def test_moderation_can_be_filtered_to_one_sheet(client, world, pending):
    rating_submit(sheet_id=world.last_year.pk, score=4, comment="昨年度分のコメント")
    client.force_login(world.planner)
    html = client.get(MODERATION, {"sheet": world.published.pk}).content.decode()
    assert "説明が足りません。" in html and "昨年度分のコメント" not in html


# ---- figures for staff --------------------------------------------------------------------------


def test_scores_count_at_once_whatever_the_comment(world):
    for score, comment in ((5, ""), (4, "待ち"), (1, "非掲載にする"), (4, "")):
        rating_submit(sheet_id=world.published.pk, score=score, comment=comment)
    rejected = ResultRating.objects.get(comment="非掲載にする")
    rating_moderate(rating=rejected, decision=RatingStatus.REJECTED, by=world.planner)
    summary = rating_summary(sheet_id=world.published.pk)
    assert summary.count == 4 and summary.mean == pytest.approx(3.5)
    assert [item.count for item in summary.distribution] == [1, 0, 0, 2, 1]
    assert summary.pending == 1


def test_the_staff_sheet_page_shows_mean_count_distribution_and_pending_link(client, world):
    for score, comment in ((5, "良い"), (3, ""), (4, "")):
        rating_submit(sheet_id=world.published.pk, score=score, comment=comment)
    client.force_login(world.planner)
    html = client.get(reverse("evaluations:sheet", args=[world.published.pk])).content.decode()
    assert "市民の満足度" in html
    assert "<dt>平均</dt><dd>4.0" in html
    assert "<dt>件数</dt><dd>3件</dd>" in html
    assert (
        '<th scope="row">5 満足</th><td class="number">1</td><td class="number">33.3%</td>' in html
    )
    assert f'?sheet={world.published.pk}&amp;status=pending">1件</a>' in html
    # The department sees its figures but does not moderate.
    client.force_login(world.editor)
    html = client.get(reverse("evaluations:sheet", args=[world.published.pk])).content.decode()
    assert "<dt>平均</dt><dd>4.0" in html and "確認待ちのコメント" not in html
    # A sheet never published shows nothing.
    client.force_login(world.planner)
    html = client.get(reverse("evaluations:sheet", args=[world.final.pk])).content.decode()
    assert "市民の満足度" not in html


def test_the_dashboard_shows_mean_rating_per_department(client, world):
    for score in (5, 4, 2):
        rating_submit(sheet_id=world.published.pk, score=score)
    cycle = EvaluationCycle.objects.get(plan=world.plan, fy=2025)
    board = dashboard_rollup(cycle=cycle, today=TODAY)
    row = next(r for r in board.rows if r.key == world.bousai.pk)
    assert row.current.rating_count == 3
    assert row.current.rating_mean == pytest.approx(11 / 3)
    assert board.total.current.rating_count == 3
    node_board = dashboard_rollup(cycle=cycle, by="node", today=TODAY)
    assert node_board.total.current.rating_mean == pytest.approx(11 / 3)
    client.force_login(world.planner)
    html = client.get(
        reverse("evaluations:dashboard"), {"plan": world.plan.pk, "fy": 2025}
    ).content.decode()
    assert 'id="table-ratings"' in html
    assert (
        '<th scope="row">地域防災対策室</th><td class="number">3.7</td><td class="number">3</td>'
        in html
    )


def test_public_ratings_of_an_action_take_two_queries_whatever_the_years(world):
    for number in range(5):
        rating = rating_submit(sheet_id=world.last_year.pk, score=3, comment=f"昨年{number}")
        rating_moderate(rating=rating, decision=RatingStatus.APPROVED, by=world.planner)
    with CaptureQueriesContext(connection) as queries:
        found = ratings_public_for_action(action=world.bousai_action)
    assert len(queries) == 2
    assert set(found) == {2024, 2025}
    assert found[2024].comment_count == 5 and found[2025].comment_count == 0
    assert found[2024].comments[0] == PublicComment("昨年4", timezone.localdate())


def test_action_page_query_count_does_not_grow_with_comments(client, world):
    with CaptureQueriesContext(connection) as before:
        client.get(world.bousai_action.get_absolute_url())
    for number in range(8):
        rating = rating_submit(sheet_id=world.published.pk, score=4, comment=f"コメント{number}")
        rating_moderate(rating=rating, decision=RatingStatus.APPROVED, by=world.planner)
    with CaptureQueriesContext(connection) as after:
        html = client.get(world.bousai_action.get_absolute_url()).content.decode()
    assert "コメント7" in html
    assert len(after.captured_queries) == len(before.captured_queries)


# ---- in a real browser ---------------------------------------------------------------------------


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_a_citizen_rates_a_result_from_a_phone_without_javascript(
    new_page, live_server, axe, screenshot
):
    world = make_world()
    cycle = open_year(world, 2025)
    sheet = advance(world, fill(world, sheet_of(cycle, world.bousai_action)), Stage.PUBLISHED)
    approved = rating_submit(sheet_id=sheet.pk, score=5, comment="説明会が分かりやすかった。")
    rating_moderate(rating=approved, decision=RatingStatus.APPROVED, by=world.planner)
    action_url = live_server.url + world.bousai_action.get_absolute_url()
    checker = new_page(viewport="phone")  # axe needs JavaScript; the citizen has none
    checker.goto(action_url)
    failures = axe.findings(checker, "action page with the rating form (phone)")
    overflow = checker.evaluate(
        "document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"the action page scrolls sideways by {overflow}px at 390px"

    page = new_page(viewport="phone", javascript=False)
    page.goto(action_url)
    assert page.get_by_text("説明会が分かりやすかった。").is_visible()
    form = page.locator(f'form[action="{rate_url(sheet)}"]')
    form.get_by_label("4 やや満足").check()
    form.get_by_label("コメント（任意）").fill("<b>太字</b>にはなりません 𠮷")
    screenshot(page, "ratings-form-phone")
    with page.expect_navigation():
        form.get_by_role("button", name="満足度を送信する").click()
    assert page.get_by_role("heading", name="ありがとうございました").is_visible()
    checker.goto(page.url)
    failures += axe.findings(checker, "thanks page (phone)")
    stored = ResultRating.objects.exclude(pk=approved.pk).get()
    assert (stored.score, stored.comment) == (4, "<b>太字</b>にはなりません 𠮷")
    assert stored.comment_status == RatingStatus.PENDING
    page.goto(action_url)
    assert page.get_by_text("にはなりません").count() == 0  # pending: not shown
    checker.context.close()
    page.context.close()
    assert not failures, axe.message(failures)
