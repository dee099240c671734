"""Public reads: dataset lists with pages and filters, details, 404s and the canary crawl."""

import json

import pytest
from django.test import Client

from hoshin.api.tests.conftest import CANARY
from hoshin.evaluations.models import EvaluationSheet
from hoshin.opendata.datasets import DATASETS
from hoshin.plans.models import Action, Plan

pytestmark = pytest.mark.django_db


def get(client: Client, url: str, **params):
    response = client.get(url, params)
    assert response["Content-Type"].startswith("application/json"), url
    return response, json.loads(response.content)


def test_every_dataset_has_a_paginated_list(api_world, client):
    for name in DATASETS:
        response, body = get(client, f"/api/v1/{name}")
        assert response.status_code == 200, (name, body)
        assert set(body) == {"count", "next", "previous", "limit", "offset", "results"}
        assert body["count"] == len(body["results"]) or body["next"]
        if body["results"]:
            assert list(body["results"][0]) == DATASETS[name].column_names


def test_lists_are_public_and_cacheable(api_world, client):
    response = client.get("/api/v1/plans")
    assert "public" in response["Cache-Control"]
    assert not response.cookies


def test_pagination_links_and_bounds(api_world, client):
    _, body = get(client, "/api/v1/actions", limit=2)
    assert body["count"] == 4
    assert [row["action_id"] for row in body["results"]] == [
        api_world.world.bousai_action.pk,
        api_world.world.shared_action.pk,
    ]
    assert body["previous"] is None
    assert body["next"].startswith("http://testserver/api/v1/actions?")
    assert "limit=2" in body["next"] and "offset=2" in body["next"]

    _, second = get(client, body["next"])
    assert [row["action_id"] for row in second["results"]] == [
        api_world.world.zaisei_action.pk,
        api_world.world.all_action.pk,
    ]
    assert second["next"] is None
    assert "offset=0" in second["previous"]

    _, beyond = get(client, "/api/v1/actions", offset=100)
    assert beyond["count"] == 4 and beyond["results"] == []


def test_filters(api_world, client):
    world = api_world.world
    _, body = get(client, "/api/v1/actions", department=world.zaisei.pk)
    assert {row["action_id"] for row in body["results"]} == {
        world.shared_action.pk,
        world.zaisei_action.pk,
    }
    _, body = get(client, "/api/v1/sheets", fy="令和7年度", plan=world.plan.pk)
    assert [row["sheet_id"] for row in body["results"]] == [api_world.published.pk]
    _, body = get(client, "/api/v1/sheets", grade="A")
    assert body["count"] == 1
    _, body = get(client, "/api/v1/sheets", fy="R6")
    assert body["count"] == 0


@pytest.mark.parametrize(
    "url, param",
    [
        ("/api/v1/actions?limit=-1", "limit"),
        ("/api/v1/actions?limit=0", "limit"),
        (f"/api/v1/actions?limit={10**9}", "limit"),
        ("/api/v1/actions?offset=-5", "offset"),
        (f"/api/v1/actions?offset={10**30}", "offset"),
        ("/api/v1/actions?limit=abc", "limit"),
        ("/api/v1/sheets?fy=abc", "fy"),
        ("/api/v1/sheets?fy=平成99年度", "fy"),
        ("/api/v1/actions?plan=1e99", "plan"),
        (f"/api/v1/actions?plan={10**30}", "plan"),
        ("/api/v1/actions?plan=-1", "plan"),
        ("/api/v1/sheets?grade=" + "A" * 1000, "grade"),
        ("/api/v1/sheets?grade=%00A", "grade"),
        ("/api/v1/sheets?direction=%1B%5B31m", "direction"),
        ("/api/v1/sheets?grade=😀", "grade"),
        ("/api/v1/sheets?grade=Z", "grade"),
        ("/api/v1/actions?department=999999", "department"),
    ],
)
def test_bad_parameters_answer_400_naming_the_parameter(api_world, client, url, param):
    response = client.get(url)
    body = json.loads(response.content)
    assert response.status_code == 400, body
    assert param in body["detail"]
    assert [error["param"] for error in body["errors"]] == [param]


def test_a_draft_plan_id_as_filter_is_refused_like_an_unknown_one(api_world, client):
    draft = client.get("/api/v1/actions", {"plan": api_world.draft_plan.pk})
    unknown = client.get("/api/v1/actions", {"plan": 987654})
    assert draft.status_code == unknown.status_code == 400
    assert CANARY not in draft.content.decode()


def test_plan_detail_has_the_tree(api_world, client):
    world = api_world.world
    response, body = get(client, f"/api/v1/plans/{world.plan.pk}")
    assert response.status_code == 200
    assert body["name"] == world.plan.name
    (root,) = body["nodes"]
    assert root["title"] == "防災" and root["level_name"] == "大項目"
    assert root["action_count"] == 4
    first = root["actions"][0]
    assert first["id"] == world.bousai_action.pk
    assert first["departments"] == [
        {"department_id": world.bousai.pk, "name": "地域防災対策室", "is_lead": True}
    ]
    assert first["url"].endswith(world.bousai_action.get_absolute_url())


def test_action_detail_has_its_published_results(api_world, client):
    world = api_world.world
    _, body = get(client, f"/api/v1/actions/{world.bousai_action.pk}")
    (result,) = body["results"]
    assert result["id"] == api_world.published.pk
    assert result["fy"] == 2025 and result["fy_label"].startswith("令和7年度")
    assert result["activities"] == "防災マップを全戸に配布した。"
    assert result["overall_grade"]["code"] == "A"
    # The co-owned action's sheet is final, not published: no result at all.
    _, body = get(client, f"/api/v1/actions/{world.shared_action.pk}")
    assert body["results"] == []


def test_sheet_detail(api_world, client):
    _, body = get(client, f"/api/v1/sheets/{api_world.published.pk}")
    assert body["id"] == api_world.published.pk
    assert body["plan_id"] == api_world.world.plan.pk
    assert body["department_name"] == "地域防災対策室"
    assert body["viewpoints"][0]["score"]["code"] == "4"


def test_a_node_sheet_gives_its_grade_with_the_meaning_as_an_action_sheet_does(api_world, client):
    published = api_world.published
    grade = next(i for i in published.scales["grades"] if i["code"] == published.overall_grade)
    assert grade["meaning"]  # the letter alone says little: the meaning travels with it
    EvaluationSheet.objects.filter(pk=published.pk).update(
        action=None, node=api_world.world.bousai_action.node
    )
    _, body = get(client, f"/api/v1/sheets/{published.pk}")
    assert body["overall_grade"] == {
        "code": grade["code"],
        "label": grade["label"],
        "meaning": grade["meaning"],
    }


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/sheets/{draft}",
        "/api/v1/sheets/{final}",
        "/api/v1/sheets/987654",
        "/api/v1/plans/{draft_plan}",
        "/api/v1/plans/987654",
        "/api/v1/actions/{draft_action}",
        "/api/v1/actions/987654",
    ],
)
def test_unpublished_and_unknown_ids_are_the_same_404(api_world, client, path):
    url = path.format(
        draft=api_world.draft.pk,
        final=api_world.final.pk,
        draft_plan=api_world.draft_plan.pk,
        draft_action=api_world.draft_action.pk,
    )
    response = client.get(url)
    assert response.status_code == 404
    body = json.loads(response.content)
    assert set(body) == {"detail"} and "ありません" in body["detail"]
    assert CANARY not in response.content.decode()


@pytest.mark.parametrize("path", ["/api/v1/sheets/0", "/api/v1/plans/-1", "/api/v1/actions/abc"])
def test_malformed_ids_are_400(api_world, client, path):
    response = client.get(path)
    assert response.status_code == 400
    assert "errors" in json.loads(response.content)


def test_unpublishing_a_plan_removes_it_from_the_api(api_world, client):
    world = api_world.world
    assert client.get(f"/api/v1/plans/{world.plan.pk}").status_code == 200
    from hoshin.plans.services import plan_set_published

    plan_set_published(plan=world.plan, published=False, by=world.planner)
    assert client.get(f"/api/v1/plans/{world.plan.pk}").status_code == 404
    assert client.get(f"/api/v1/sheets/{api_world.published.pk}").status_code == 404
    _, body = get(client, "/api/v1/sheets")
    assert body["count"] == 0


def test_no_canary_in_any_public_response(api_world, client):
    """The attacker's crawl: every list (largest page), every id of every detail endpoint."""
    urls = [f"/api/v1/{name}?limit=500" for name in DATASETS]
    urls += [f"/api/v1/plans/{pk}" for pk in Plan.objects.values_list("pk", flat=True)]
    urls += [f"/api/v1/actions/{pk}" for pk in Action.objects.values_list("pk", flat=True)]
    urls += [f"/api/v1/sheets/{pk}" for pk in EvaluationSheet.objects.values_list("pk", flat=True)]
    urls += ["/api/v1/openapi.json", "/api/docs"]
    for name in DATASETS:
        for param in DATASETS[name].filters:
            if param in ("plan",):
                urls.append(f"/api/v1/{name}?plan={api_world.draft_plan.pk}")
    seen = 0
    for url in urls:
        response = client.get(url)
        assert response.status_code < 500, url
        assert CANARY not in response.content.decode(), url
        seen += response.status_code == 200
    assert seen >= len(DATASETS) + 3
