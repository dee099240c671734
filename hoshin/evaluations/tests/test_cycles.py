"""The planning office's pages for evaluation years: open, set due dates, publish."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from conftest import shared_data
from hoshin.audit.models import AuditEntry
from hoshin.evaluations.models import EvaluationCycle, EvaluationSheet, StaffUnitCost, Stage
from hoshin.evaluations.tests.factories import make_user, make_world, open_year, sheet_of
from hoshin.lib.fiscal import fiscal_year_of
from hoshin.org.models import Role

pytestmark = pytest.mark.django_db

ALLOWED, FORBIDDEN, LOGIN = "allowed", "forbidden", "login"
MATRIX = [
    ("planner", ALLOWED),
    ("sysadmin", ALLOWED),
    ("editor", FORBIDDEN),  # a department editor (read-write for its own sheets only)
    ("head", FORBIDDEN),
    ("viewer", FORBIDDEN),  # read-only
    (None, LOGIN),
]
THIS_FY = fiscal_year_of(datetime.date.today())


@shared_data
def world():
    """Built once for the tests that follow one another (each runs in its own transaction)."""
    world = make_world()
    world.plan.start_fy, world.plan.end_fy = 2020, 2040
    world.plan.save()
    return world


@shared_data(world)
def cycle(world):
    return open_year(world, 2025)


def client_for(world, who) -> Client:
    client = Client()
    if who == "sysadmin":
        client.force_login(make_user("sysadmin", role=Role.ADMIN))
    elif who is not None:
        client.force_login(getattr(world, who))
    return client


def assert_outcome(response, outcome, *, allowed=(200, 302)):
    if outcome == ALLOWED:
        assert response.status_code in allowed
        if response.status_code == 302:
            assert not response.url.startswith(reverse("backoffice:login"))
    elif outcome == FORBIDDEN:
        assert response.status_code == 403
    else:
        assert response.status_code == 302
        assert response.url.startswith(reverse("backoffice:login") + "?next=")


def final_sheets(cycle, *actions):
    EvaluationSheet.objects.filter(cycle=cycle, action__in=actions).update(stage=Stage.FINAL)


# --- permissions ------------------------------------------------------------------------------


@pytest.mark.parametrize(("who", "outcome"), MATRIX)
def test_cycle_list_and_detail(world, cycle, who, outcome):
    client = client_for(world, who)
    assert_outcome(client.get(reverse("evaluations:cycles")), outcome, allowed=(200,))
    detail = client.get(reverse("evaluations:cycle", args=[cycle.pk]))
    assert_outcome(detail, outcome, allowed=(200,))


@pytest.mark.parametrize(("who", "outcome"), MATRIX)
def test_start_year(world, cycle, who, outcome):
    response = client_for(world, who).post(
        reverse("evaluations:cycle_start"), {"plan": world.plan.pk, "fy": "2024"}
    )
    assert_outcome(response, outcome)
    assert EvaluationCycle.objects.filter(fy=2024).exists() == (outcome == ALLOWED)


@pytest.mark.parametrize(("who", "outcome"), MATRIX)
def test_set_due_dates(world, cycle, who, outcome):
    response = client_for(world, who).post(
        reverse("evaluations:cycle_due_dates", args=[cycle.pk]),
        {"submit_due": "2026-06-30", "approve_due": "2026-07-15", "review_due": "2026-07-31"},
    )
    assert_outcome(response, outcome)
    cycle.refresh_from_db()
    assert (cycle.submit_due is not None) == (outcome == ALLOWED)


@pytest.mark.parametrize(("who", "outcome"), MATRIX)
def test_publish(world, cycle, who, outcome):
    final_sheets(cycle, world.bousai_action, world.zaisei_action)
    client = client_for(world, who)
    url = reverse("evaluations:cycle_publish", args=[cycle.pk])
    assert_outcome(client.get(url), outcome, allowed=(200,))
    assert_outcome(client.post(url, {"department": "", "count": "2"}), outcome)
    published = EvaluationSheet.objects.filter(stage=Stage.PUBLISHED).count()
    assert published == (2 if outcome == ALLOWED else 0)


@pytest.mark.parametrize("url_name", ["evaluations:cycle_start", "evaluations:cycle_due_dates"])
def test_mutating_views_refuse_get(world, cycle, url_name):
    client = client_for(world, "planner")
    args = [cycle.pk] if url_name.endswith("due_dates") else []
    assert client.get(reverse(url_name, args=args)).status_code == 405


# --- opening a year ---------------------------------------------------------------------------


def test_start_year_accepts_the_era_form_and_carries_over(world, cycle):
    client = client_for(world, "planner")
    response = client.post(
        reverse("evaluations:cycle_start"), {"plan": world.plan.pk, "fy": "令和8年度"}
    )
    new = EvaluationCycle.objects.get(plan=world.plan, fy=2026)
    assert response.status_code == 302 and response.url == reverse(
        "evaluations:cycle", args=[new.pk]
    )
    assert new.sheets.count() == 4
    assert new.sheets.filter(previous__isnull=False).count() == 4
    assert new.opened_by == world.planner
    page = client.get(response.url)
    assert "シート 4 件" in page.content.decode()  # the success message


@pytest.mark.parametrize(
    ("fy", "message"),
    [
        ("2025", "既に開始しています"),
        (str(THIS_FY + 2), "まだ開始できません"),
        ("2019", "計画期間"),
        ("平成99年度", "平成の期間"),
        ("来年", "年度として読めません"),
    ],
)
def test_start_year_refusals_are_shown_at_the_year_field(world, cycle, fy, message):
    response = client_for(world, "planner").post(
        reverse("evaluations:cycle_start"), {"plan": world.plan.pk, "fy": fy}
    )
    assert response.status_code == 400
    assert message in " ".join(response.context["form"].errors["fy"])
    assert EvaluationCycle.objects.count() == 1


def test_start_year_with_an_unknown_plan(world):
    response = client_for(world, "planner").post(
        reverse("evaluations:cycle_start"), {"plan": 999_999, "fy": "2025"}
    )
    assert response.status_code == 400
    assert "plan" in response.context["form"].errors
    assert not EvaluationCycle.objects.exists()


def test_list_shows_counts_by_stage_per_year(world, cycle):
    final_sheets(cycle, world.bousai_action)
    response = client_for(world, "planner").get(reverse("evaluations:cycles"))
    row = next(r for r in response.context["rows"] if r["plan"] == world.plan)
    item = row["cycles"][0]
    assert item["cycle"] == cycle and item["total"] == 4
    assert item["stages"] == [3, 0, 0, 0, 1, 0]
    html = response.content.decode()
    assert "令和7年度（2025年度）" in html and "<caption" in html


def test_list_and_detail_link_to_the_template_of_the_plan_and_the_unit_costs(world, cycle):
    client = client_for(world, "planner")
    template_link = 'href="{}"'.format(reverse("evaluations:template_config", args=[world.plan.pk]))
    unit_costs_link = 'href="{}"'.format(reverse("evaluations:unit_costs"))
    html = client.get(reverse("evaluations:cycles")).content.decode()
    assert template_link in html and unit_costs_link in html
    detail = client.get(reverse("evaluations:cycle", args=[cycle.pk])).content.decode()
    assert template_link in detail and unit_costs_link in detail
    assert "管理画面" not in detail
    assert "この年度の単価はまだありません" in detail
    StaffUnitCost.objects.create(fy=cycle.fy, amount=8000)
    detail = client.get(reverse("evaluations:cycle", args=[cycle.pk])).content.decode()
    assert "この年度の単価はまだありません" not in detail and unit_costs_link in detail


# --- due dates --------------------------------------------------------------------------------


def test_due_dates_are_date_inputs_and_saved(world, cycle):
    client = client_for(world, "planner")
    page = client.get(reverse("evaluations:cycle", args=[cycle.pk])).content.decode()
    assert page.count('type="date"') == 3
    response = client.post(
        reverse("evaluations:cycle_due_dates", args=[cycle.pk]),
        {"submit_due": "2026-06-30", "approve_due": "2026-07-15", "review_due": ""},
    )
    assert response.status_code == 302
    cycle.refresh_from_db()
    assert cycle.submit_due == datetime.date(2026, 6, 30)
    assert cycle.approve_due == datetime.date(2026, 7, 15)
    assert cycle.review_due is None
    assert AuditEntry.objects.filter(verb="cycle.due_dates").exists()
    page = client.get(reverse("evaluations:cycle", args=[cycle.pk])).content.decode()
    assert 'value="2026-06-30"' in page


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"submit_due": "2026-07-30", "approve_due": "2026-07-15"}, "順に設定"),
        ({"submit_due": "2026-02-30"}, "日付"),
    ],
)
def test_bad_due_dates_change_nothing(world, cycle, data, message):
    response = client_for(world, "planner").post(
        reverse("evaluations:cycle_due_dates", args=[cycle.pk]), data
    )
    assert response.status_code == 400
    assert message in response.content.decode()
    cycle.refresh_from_db()
    assert cycle.submit_due is None and cycle.approve_due is None


# --- publishing -------------------------------------------------------------------------------


def test_publishing_asks_for_confirmation_with_the_number_of_sheets(world, cycle):
    final_sheets(cycle, world.bousai_action, world.zaisei_action)
    client = client_for(world, "planner")
    detail = client.get(reverse("evaluations:cycle", args=[cycle.pk])).content.decode()
    assert "確定済みのシートが2件" in detail
    page = client.get(reverse("evaluations:cycle_publish", args=[cycle.pk]))
    assert page.context["count"] == 2
    assert "2件のシートを公表します" in page.content.decode()
    assert not EvaluationSheet.objects.filter(stage=Stage.PUBLISHED).exists()  # GET wrote nothing
    response = client.post(
        reverse("evaluations:cycle_publish", args=[cycle.pk]), {"department": "", "count": 2}
    )
    assert response.status_code == 302
    published = EvaluationSheet.objects.filter(stage=Stage.PUBLISHED)
    assert {s.action for s in published} == {world.bousai_action, world.zaisei_action}
    assert all(s.published_at for s in published)
    assert sheet_of(cycle, world.shared_action).stage == Stage.DRAFT


def test_publishing_one_department(world, cycle):
    final_sheets(cycle, world.bousai_action, world.zaisei_action)
    client = client_for(world, "planner")
    url = reverse("evaluations:cycle_publish", args=[cycle.pk])
    page = client.get(url, {"department": world.zaisei.pk})
    assert page.context["count"] == 1 and page.context["department"] == world.zaisei
    client.post(url, {"department": world.zaisei.pk, "count": 1})
    assert sheet_of(cycle, world.zaisei_action).stage == Stage.PUBLISHED
    assert sheet_of(cycle, world.bousai_action).stage == Stage.FINAL


def test_publishing_refuses_when_the_number_changed_since_the_confirmation(world, cycle):
    final_sheets(cycle, world.bousai_action)
    client = client_for(world, "planner")
    url = reverse("evaluations:cycle_publish", args=[cycle.pk])
    assert client.get(url).context["count"] == 1
    final_sheets(cycle, world.zaisei_action)  # someone finalised another sheet meanwhile
    response = client.post(url, {"department": "", "count": 1})
    assert response.status_code == 409
    assert response.context["count"] == 2
    assert "件数が変わりました" in response.content.decode()
    assert not EvaluationSheet.objects.filter(stage=Stage.PUBLISHED).exists()


def test_publishing_with_nothing_final_publishes_nothing(world, cycle):
    client = client_for(world, "planner")
    url = reverse("evaluations:cycle_publish", args=[cycle.pk])
    page = client.get(url)
    assert page.context["count"] == 0
    assert "公表できる確定済みのシートはありません" in page.content.decode()
    response = client.post(url, {"department": "", "count": 0})
    assert response.status_code == 302
    assert not EvaluationSheet.objects.filter(stage=Stage.PUBLISHED).exists()


def test_publish_page_warns_when_the_plan_is_not_public(world, cycle):
    world.plan.is_published = False
    world.plan.save()
    final_sheets(cycle, world.bousai_action)
    page = client_for(world, "planner").get(reverse("evaluations:cycle_publish", args=[cycle.pk]))
    assert "この計画は非公開です" in page.content.decode()
