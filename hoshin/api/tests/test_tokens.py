"""Staff tokens: the hash-only store, revocation, and the staff endpoints' permission rules."""

import json

import pytest
from django.test import Client

from conftest import shared_data
from hoshin.api.models import ApiToken
from hoshin.api.selectors import token_hash
from hoshin.api.services import api_token_create
from hoshin.audit.models import AuditEntry
from hoshin.evaluations.models import EvaluationSheet, SheetRevision, Stage
from hoshin.evaluations.services.sheets import sheet_update
from hoshin.evaluations.tests.factories import make_world, open_year, sheet_of
from hoshin.evaluations.tests.stage_helpers import fill

pytestmark = pytest.mark.django_db


def call(client: Client, method: str, url: str, secret: str | None = None, body=None):
    headers = {"HTTP_AUTHORIZATION": f"Bearer {secret}"} if secret else {}
    response = getattr(client, method)(
        url,
        data=json.dumps(body) if body is not None else None,
        content_type="application/json",
        **headers,
    )
    return response, json.loads(response.content) if response.content else None


@shared_data
def world():
    """Built once for the tests that follow one another (each runs in its own transaction)."""
    world = make_world()
    world.cycle = open_year(world)
    return world


# ---- the token itself ------------------------------------------------------------------------


def test_only_a_hash_of_the_secret_is_stored(world):
    new = api_token_create(user=world.editor, name="集計スクリプト")
    stored = ApiToken.objects.get(pk=new.token.pk)
    assert new.secret.startswith("hsn_") and len(new.secret) > 40
    assert stored.token_hash == token_hash(new.secret) != new.secret
    for value in (stored.name, stored.prefix, stored.token_hash):
        assert new.secret not in value
    assert new.secret[:10] == stored.prefix
    assert AuditEntry.objects.filter(verb="api_token.create").exists()


def test_token_authenticates_and_records_its_use(world, client, token_for):
    secret = token_for(world.editor)
    response, _ = call(client, "get", "/api/v1/staff/sheets", secret)
    assert response.status_code == 200
    assert ApiToken.objects.get().last_used_at is not None


@pytest.mark.parametrize(
    "header",
    [None, "Bearer", "Bearer hsn_wrong", "Bearer not-a-token", "Basic abc", "Bearer " + "x" * 5000],
)
def test_missing_or_wrong_token_is_401(world, client, header):
    extra = {"HTTP_AUTHORIZATION": header} if header else {}
    response = client.get("/api/v1/staff/sheets", **extra)
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert "トークン" in json.loads(response.content)["detail"]


def test_revoked_token_is_401(world, client):
    new = api_token_create(user=world.editor, name="t")
    assert call(client, "get", "/api/v1/staff/sheets", new.secret)[0].status_code == 200
    client.force_login(world.editor)
    response = client.post(f"/staff/api-tokens/{new.token.pk}/revoke/")
    assert response.status_code == 302
    assert ApiToken.objects.get().revoked_at is not None
    client.logout()
    assert call(client, "get", "/api/v1/staff/sheets", new.secret)[0].status_code == 401


def test_token_of_a_deactivated_user_is_401(world, client, token_for):
    secret = token_for(world.editor)
    world.editor.is_active = False
    world.editor.save()
    assert call(client, "get", "/api/v1/staff/sheets", secret)[0].status_code == 401


def test_a_session_never_authenticates_the_api(world, client):
    """Writes are CSRF-exempt only because only a token header authenticates them."""
    client.force_login(world.editor)
    sheet = sheet_of(world.cycle, world.bousai_action)
    response, _ = call(
        client, "patch", f"/api/v1/staff/sheets/{sheet.pk}", body={"version": 1, "changes": {}}
    )
    assert response.status_code == 401
    assert call(client, "get", "/api/v1/staff/sheets")[0].status_code == 401


# ---- the token pages -----------------------------------------------------------------------


def test_token_page_shows_the_secret_once(world, client):
    client.force_login(world.editor)
    response = client.post("/staff/api-tokens/", {"name": "集計スクリプト"})
    assert response.status_code == 201
    token = ApiToken.objects.get()
    page = response.content.decode()
    secret = page.split('id="new-token-secret" type="text" readonly value="')[1].split('"')[0]
    assert token_hash(secret) == token.token_hash
    assert "no-store" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
    again = client.get("/staff/api-tokens/").content.decode()
    assert "集計スクリプト" in again and secret not in again


def test_token_pages_need_login_and_refuse_bad_names(world, client):
    response = client.get("/staff/api-tokens/")
    assert response.status_code == 302 and "/login" in response["Location"]
    client.force_login(world.editor)
    for name in ("", "a" * 101, "名前\x00"):
        response = client.post("/staff/api-tokens/", {"name": name})
        assert response.status_code == 400
    assert not ApiToken.objects.exists()


def test_nobody_revokes_another_persons_token(world, client):
    new = api_token_create(user=world.other_editor, name="t")
    client.force_login(world.editor)
    assert client.post(f"/staff/api-tokens/{new.token.pk}/revoke/").status_code == 404
    assert ApiToken.objects.get().revoked_at is None
    assert client.get(f"/staff/api-tokens/{new.token.pk}/revoke/").status_code == 405


# ---- staff endpoints -----------------------------------------------------------------------


def test_staff_list_is_what_the_user_may_see(world, client, token_for):
    _, body = call(client, "get", "/api/v1/staff/sheets?limit=100", token_for(world.editor))
    ids = {row["id"] for row in body["results"]}
    assert ids == {
        sheet_of(world.cycle, world.bousai_action).pk,
        sheet_of(world.cycle, world.shared_action).pk,  # co-responsible
    }
    _, body = call(client, "get", "/api/v1/staff/sheets", token_for(world.planner))
    assert body["count"] == 4
    _, body = call(
        client, "get", "/api/v1/staff/sheets?fy=令和7年度&stage=draft", token_for(world.planner)
    )
    assert body["count"] == 4
    response, body = call(client, "get", "/api/v1/staff/sheets?fy=xyz", token_for(world.planner))
    assert response.status_code == 400 and body["errors"][0]["param"] == "fy"


def test_other_departments_sheet_is_404(world, client, token_for):
    other = sheet_of(world.cycle, world.zaisei_action)
    secret = token_for(world.editor)
    for method, suffix, body in (
        ("get", "", None),
        ("patch", "", {"version": 1, "changes": {"activities": "x"}}),
        ("post", "/transitions", {"transition": "submit"}),
    ):
        response, answer = call(
            client, method, f"/api/v1/staff/sheets/{other.pk}{suffix}", secret, body
        )
        assert response.status_code == 404, (method, answer)
        assert set(answer) == {"detail"}
    other.refresh_from_db()
    assert other.activities == "" and other.stage == Stage.DRAFT


def test_read_values_and_save_through_the_form_service(world, client, token_for):
    sheet = sheet_of(world.cycle, world.bousai_action)
    secret = token_for(world.editor)
    _, body = call(client, "get", f"/api/v1/staff/sheets/{sheet.pk}", secret)
    fields = {f["path"]: f for f in body["fields"]}
    assert body["editable"] is True and body["version"] == 1
    assert fields["purpose_target"]["label"].startswith("対象")
    assert [t["name"] for t in body["transitions"]] == ["submit"]

    response, body = call(
        client,
        "patch",
        f"/api/v1/staff/sheets/{sheet.pk}",
        secret,
        {
            "version": 1,
            "changes": {"activities": "説明会を３回開いた。", "effect_savings": "△1,200"},
        },
    )
    assert response.status_code == 200, body
    assert body["version"] == 2
    assert body["changed"] == ["activities", "effect_savings"]
    sheet.refresh_from_db()
    assert sheet.activities == "説明会を３回開いた。" and sheet.effect_savings == -1200
    assert SheetRevision.objects.get(sheet=sheet, version=2).source == "api"


def test_invalid_values_are_422_naming_the_field_path(world, client, token_for):
    sheet = sheet_of(world.cycle, world.bousai_action)
    response, body = call(
        client,
        "patch",
        f"/api/v1/staff/sheets/{sheet.pk}",
        token_for(world.editor),
        {"version": 1, "changes": {"overall_grade": "Z", "effect_savings": "たくさん"}},
    )
    assert response.status_code == 422
    by_path = {e["param"]: e["message"] for e in body["errors"]}
    assert set(by_path) == {"overall_grade", "effect_savings"}
    assert "総合評価の区分にありません" in by_path["overall_grade"]  # the web form's message
    assert "数値ではありません" in by_path["effect_savings"]
    assert EvaluationSheet.objects.get(pk=sheet.pk).version == 1


@pytest.mark.parametrize(
    "body, param",
    [
        ({"changes": {}}, "version"),
        ({"version": "abc", "changes": {}}, "version"),
        ({"version": 0, "changes": {}}, "version"),
        ({"version": 1}, "changes"),
        ({"version": 1, "changes": []}, "changes"),
        ({"version": 1, "changes": {"activities": True}}, "changes.activities"),
        ({"version": 1, "changes": {"activities": "a\x00b"}}, "changes.activities"),
        ({"version": 1, "changes": {"no_such_field": "x"}}, "no_such_field"),
        ({"version": 1, "changes": {"indicator.999999.target": "1"}}, "indicator.999999.target"),
    ],
)
def test_malformed_bodies_are_422_naming_the_field(world, client, token_for, body, param):
    sheet = sheet_of(world.cycle, world.bousai_action)
    response, answer = call(
        client, "patch", f"/api/v1/staff/sheets/{sheet.pk}", token_for(world.editor), body
    )
    assert response.status_code == 422, answer
    assert any(e["param"].startswith(param) for e in answer["errors"]), answer


def test_broken_json_is_400(world, client, token_for):
    sheet = sheet_of(world.cycle, world.bousai_action)
    response = client.patch(
        f"/api/v1/staff/sheets/{sheet.pk}",
        data="{not json",
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token_for(world.editor)}",
    )
    assert response.status_code == 400
    assert "JSON" in json.loads(response.content)["detail"]


def test_stale_version_is_409_listing_the_other_persons_changes(world, client, token_for):
    sheet = sheet_of(world.cycle, world.bousai_action)
    # Someone saves in the web form after the program read version 1.
    sheet_update(sheet=sheet, by=world.editor, raw={"purpose_target": "高齢者"}, expected_version=1)
    response, body = call(
        client,
        "patch",
        f"/api/v1/staff/sheets/{sheet.pk}",
        token_for(world.editor, "program"),
        {"version": 1, "changes": {"purpose_target": "市民"}},
    )
    assert response.status_code == 409
    assert body["version"] == 2
    (change,) = body["changes"]
    assert change["path"] == "purpose_target" and change["new"] == "高齢者"
    assert change["who"] == str(world.editor)
    assert "更新しました" in body["detail"]
    sheet.refresh_from_db()
    assert sheet.purpose_target == "高齢者"


def test_editing_a_submitted_sheet_is_403(world, client, token_for):
    sheet = sheet_of(world.cycle, world.bousai_action)
    fill(world, sheet)
    secret = token_for(world.editor)
    response, body = call(
        client,
        "post",
        f"/api/v1/staff/sheets/{sheet.pk}/transitions",
        secret,
        {"transition": "submit"},
    )
    assert response.status_code == 200, body
    assert body["stage"] == Stage.SUBMITTED and body["editable"] is False
    response, body = call(
        client,
        "patch",
        f"/api/v1/staff/sheets/{sheet.pk}",
        secret,
        {"version": body["version"], "changes": {"activities": "x"}},
    )
    assert response.status_code == 403
    assert "権限がないか" in body["detail"]


def test_transition_permissions_follow_the_workflow(world, client, token_for):
    sheet = sheet_of(world.cycle, world.bousai_action)
    fill(world, sheet)
    editor, head = token_for(world.editor), token_for(world.head)
    url = f"/api/v1/staff/sheets/{sheet.pk}/transitions"
    call(client, "post", url, editor, {"transition": "submit"})
    # The editor cannot approve their own sheet: the service's message, 403.
    response, body = call(client, "post", url, editor, {"transition": "approve"})
    assert response.status_code == 403
    assert body["detail"] == "「承認する（一次評価）」権限がありません。"
    # Sending back needs a comment (the web form's rule): 422.
    response, body = call(client, "post", url, head, {"transition": "return_to_editor"})
    assert response.status_code == 422 and "コメント" in body["detail"]
    response, body = call(client, "post", url, head, {"transition": "approve"})
    assert response.status_code == 200 and body["stage"] == Stage.APPROVED
    # An unknown transition is refused by the schema, naming the field.
    response, body = call(client, "post", url, head, {"transition": "explode"})
    assert response.status_code == 422 and body["errors"][0]["param"] == "transition"


def test_missing_fields_block_submission_with_the_forms_message(world, client, token_for):
    sheet = sheet_of(world.cycle, world.bousai_action)
    response, body = call(
        client,
        "post",
        f"/api/v1/staff/sheets/{sheet.pk}/transitions",
        token_for(world.editor),
        {"transition": "submit"},
    )
    assert response.status_code == 422
    assert body["detail"].startswith("提出する前に入力してください")
