"""Every workflow move × every role, through the web views (POST) and through the service.

A move allowed to a role changes the stage and records who, when and the comment; any other
role is refused and nothing changes. Through the web, a refusal is 403 for staff who may see the
sheet, 404 for staff who may not (a department must not learn other departments' sheets exist)
and the login page for anonymous visitors.
"""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse
from django.utils import timezone

from conftest import shared_data
from hoshin.evaluations.models import EvaluationSheet, SheetTransition, Stage
from hoshin.evaluations.selectors.access import can_view
from hoshin.evaluations.services.errors import SheetPermissionError, WorkflowError
from hoshin.evaluations.services.sheets import sheet_update
from hoshin.evaluations.services.workflow import TRANSITIONS, sheet_transition
from hoshin.evaluations.tests.factories import (
    COMPLETE_VALUES,
    TODAY,
    make_world,
    open_year,
    sheet_of,
)

pytestmark = pytest.mark.django_db

ROLES = (
    "editor",
    "head",
    "other_editor",
    "other_head",
    "planner",
    "viewer",
    "committee",
    "anonymous",
)
# Written out rather than read from TRANSITIONS, so the table is checked, not restated.
ALLOWED = {
    "submit": {"editor"},
    "approve": {"head"},
    "return_to_editor": {"head"},
    "finalize": {"planner"},
    "send_back": {"planner"},
    "publish": {"planner"},
    "unpublish": {"planner"},
}
CASES = [
    (name, source)
    for name, transition in TRANSITIONS.items()
    for source in sorted(transition.sources)
]


def test_the_matrix_covers_every_transition():
    assert set(ALLOWED) == set(TRANSITIONS)
    assert {name for name, _source in CASES} == set(TRANSITIONS)


def user_of(world, role):
    return AnonymousUser() if role == "anonymous" else getattr(world, role)


def filled_sheet(world, action=None) -> EvaluationSheet:
    """A sheet of ``action`` (the hazard map) with everything submit needs."""
    cycle = open_year(world)
    sheet = sheet_of(cycle, action or world.bousai_action)
    owner = world.planner if sheet.department_id is None else world.editor
    sheet_update(sheet=sheet, by=owner, raw=COMPLETE_VALUES, expected_version=1, today=TODAY)
    sheet.refresh_from_db()
    return sheet


@shared_data
def world():
    """The test world with the hazard map's FY2025 sheet (``world.sheet``) ready to submit.

    Built once for the tests that move it (each runs in its own transaction)."""
    world = make_world()
    world.sheet = filled_sheet(world)
    return world


def at_stage(sheet: EvaluationSheet, stage: str) -> EvaluationSheet:
    published_at = timezone.now() if stage == Stage.PUBLISHED else None
    EvaluationSheet.objects.filter(pk=sheet.pk).update(stage=stage, published_at=published_at)
    sheet.refresh_from_db()
    return sheet


def assert_moved(sheet, *, source, target, user, comment):
    sheet.refresh_from_db()
    assert sheet.stage == target
    move = SheetTransition.objects.filter(sheet=sheet).latest("id")
    assert (move.from_stage, move.to_stage, move.by, move.comment) == (
        source,
        target,
        user,
        comment,
    )
    assert move.at is not None


def assert_unchanged(sheet, *, source):
    sheet.refresh_from_db()
    assert sheet.stage == source
    assert not SheetTransition.objects.filter(sheet=sheet).exists()


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("name", "source"), CASES)
def test_transition_through_the_web(client, name, source, role, world):
    sheet = at_stage(world.sheet, source)
    user = user_of(world, role)
    if role != "anonymous":
        client.force_login(user)
    url = reverse("evaluations:sheet_transition", args=[sheet.pk])
    response = client.post(url, {"name": name, "comment": "理由を書きました"})
    if role in ALLOWED[name]:
        assert response.status_code == 302
        assert response["Location"] == reverse("evaluations:sheet", args=[sheet.pk])
        target = TRANSITIONS[name].target
        assert_moved(sheet, source=source, target=target, user=user, comment="理由を書きました")
        return
    if role == "anonymous":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("backoffice:login"))
    elif can_view(user=user, sheet=sheet):
        assert response.status_code == 403
        assert "権限がありません" in response.content.decode()  # the refusal says why
    else:
        assert response.status_code == 404
    assert_unchanged(sheet, source=source)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("name", "source"), CASES)
def test_transition_through_the_service(name, source, role, world):
    sheet = at_stage(world.sheet, source)
    user = user_of(world, role)
    if role in ALLOWED[name]:
        sheet_transition(sheet=sheet, by=user, name=name, comment="理由")
        assert_moved(
            sheet, source=source, target=TRANSITIONS[name].target, user=user, comment="理由"
        )
    else:
        with pytest.raises(SheetPermissionError):
            sheet_transition(sheet=sheet, by=user, name=name, comment="理由")
        assert_unchanged(sheet, source=source)


@pytest.mark.parametrize("name", ["approve", "finalize", "publish"])
def test_co_responsible_department_sees_the_sheet_but_is_refused_with_403(client, name):
    world = make_world()
    sheet = filled_sheet(world, world.shared_action)
    source = next(iter(TRANSITIONS[name].sources))
    at_stage(sheet, source)
    for user in (world.other_editor, world.other_head):
        client.force_login(user)
        assert client.get(reverse("evaluations:sheet", args=[sheet.pk])).status_code == 200
        response = client.post(
            reverse("evaluations:sheet_transition", args=[sheet.pk]), {"name": name}
        )
        assert response.status_code == 403
    assert_unchanged(sheet, source=source)


def test_moves_need_post(client, world):
    sheet = world.sheet
    client.force_login(world.editor)
    response = client.get(reverse("evaluations:sheet_transition", args=[sheet.pk]))
    assert response.status_code == 405
    assert_unchanged(sheet, source=Stage.DRAFT)


def test_a_move_from_the_wrong_stage_is_refused_and_explained(client, world):
    sheet = world.sheet
    client.force_login(world.planner)
    response = client.post(
        reverse("evaluations:sheet_transition", args=[sheet.pk]), {"name": "publish"}
    )
    assert response.status_code == 400
    assert "ことができません" in response.content.decode()
    assert_unchanged(sheet, source=Stage.DRAFT)


# ---- the send-back path --------------------------------------------------------------------


@pytest.mark.parametrize("source", [Stage.SUBMITTED, Stage.APPROVED, Stage.FINAL, Stage.PUBLISHED])
def test_planning_office_sends_back_from_every_later_stage(client, source, world):
    sheet = at_stage(world.sheet, source)
    client.force_login(world.planner)
    response = client.post(
        reverse("evaluations:sheet_transition", args=[sheet.pk]),
        {"name": "send_back", "comment": "指標の実績値を見直してください"},
    )
    assert response.status_code == 302
    assert_moved(
        sheet,
        source=source,
        target=Stage.RETURNED,
        user=world.planner,
        comment="指標の実績値を見直してください",
    )
    assert sheet.published_at is None
    assert not EvaluationSheet.objects.published().filter(pk=sheet.pk).exists()
    # Back with the department: its editor may change it again and submit it anew.
    client.force_login(world.editor)
    page = client.get(reverse("evaluations:sheet", args=[sheet.pk])).content.decode()
    assert 'id="sheet-form"' in page and "指標の実績値を見直してください" in page
    sheet_transition(sheet=sheet, by=world.editor, name="submit")
    sheet.refresh_from_db()
    assert sheet.stage == Stage.SUBMITTED


def test_sending_back_a_published_sheet_removes_it_from_public_results(world):
    sheet = world.sheet
    for name, user in (
        ("submit", world.editor),
        ("approve", world.head),
        ("finalize", world.planner),
        ("publish", world.planner),
    ):
        sheet = sheet_transition(sheet=sheet, by=user, name=name)
    assert list(EvaluationSheet.objects.published()) == [sheet]
    assert sheet.published_at is not None
    sheet = sheet_transition(sheet=sheet, by=world.planner, name="send_back", comment="誤りあり")
    sheet.refresh_from_db()
    assert sheet.stage == Stage.RETURNED and sheet.published_at is None
    assert not EvaluationSheet.objects.published().exists()


def test_head_returns_a_submitted_sheet_to_its_editor(world):
    sheet = at_stage(world.sheet, Stage.SUBMITTED)
    sheet_transition(sheet=sheet, by=world.head, name="return_to_editor", comment="再確認を")
    assert_moved(
        sheet, source=Stage.SUBMITTED, target=Stage.RETURNED, user=world.head, comment="再確認を"
    )


# ---- comments required, fields required ------------------------------------------------------

COMMENT_REQUIRED = [name for name, t in TRANSITIONS.items() if t.comment_required]


def test_the_moves_that_need_a_reason_are_the_backward_ones():
    assert set(COMMENT_REQUIRED) == {"return_to_editor", "send_back", "unpublish"}


@pytest.mark.parametrize("name", COMMENT_REQUIRED)
@pytest.mark.parametrize("comment", ["", "   "])
def test_a_move_that_needs_a_comment_is_refused_without_one(client, name, comment, world):
    source = sorted(TRANSITIONS[name].sources)[0]
    sheet = at_stage(world.sheet, source)
    user = world.head if name == "return_to_editor" else world.planner
    with pytest.raises(WorkflowError, match="理由をコメントに書いてください"):
        sheet_transition(sheet=sheet, by=user, name=name, comment=comment)
    client.force_login(user)
    response = client.post(
        reverse("evaluations:sheet_transition", args=[sheet.pk]), {"name": name, "comment": comment}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "理由をコメントに書いてください" in page
    # The message is at the comment box of that move, which the browser is told is invalid.
    assert f'id="t-{name}-error"' in page
    assert f'aria-describedby="t-{name}-error"' in page
    assert_unchanged(sheet, source=source)


def test_submit_is_refused_with_the_list_of_missing_fields(client):
    world = make_world()
    sheet = sheet_of(open_year(world), world.bousai_action)
    with pytest.raises(WorkflowError) as caught:
        sheet_transition(sheet=sheet, by=world.editor, name="submit")
    for label in ("対象（誰・何を）", "評価の視点：必要性", "総合評価", "今後の方向性", "進捗状況"):
        assert label in str(caught.value)
    client.force_login(world.editor)
    page = client.get(reverse("evaluations:sheet", args=[sheet.pk])).content.decode()
    assert "提出する前に入力が必要な項目" in page
    assert 'href="#f-purpose-target"' in page  # each hint links to its field
    response = client.post(
        reverse("evaluations:sheet_transition", args=[sheet.pk]), {"name": "submit"}
    )
    assert response.status_code == 400
    assert "提出する前に入力してください" in response.content.decode()
    assert_unchanged(sheet, source=Stage.DRAFT)


def test_finalize_records_the_review_comment(client, world):
    sheet = at_stage(world.sheet, Stage.APPROVED)
    client.force_login(world.planner)
    client.post(
        reverse("evaluations:sheet_transition", args=[sheet.pk]),
        {"name": "finalize", "comment": "", "review_comment": "成果指標の設定が適切です。"},
    )
    sheet.refresh_from_db()
    assert sheet.stage == Stage.FINAL
    assert sheet.review_comment == "成果指標の設定が適切です。"


# ---- sheets with no department (全庁) ------------------------------------------------------


def test_a_sheet_with_no_department_is_handled_by_the_planning_office(client):
    world = make_world()
    sheet = filled_sheet(world, world.all_action)
    assert sheet.department is None
    for user in (world.editor, world.head, world.other_editor):
        client.force_login(user)
        assert client.get(reverse("evaluations:sheet", args=[sheet.pk])).status_code == 404
        with pytest.raises(SheetPermissionError):
            sheet_transition(sheet=sheet, by=user, name="submit")
    client.force_login(world.planner)
    for name in ("submit", "approve", "finalize", "publish"):
        response = client.post(
            reverse("evaluations:sheet_transition", args=[sheet.pk]), {"name": name}
        )
        assert response.status_code == 302, name
    sheet.refresh_from_db()
    assert sheet.stage == Stage.PUBLISHED
    assert [t.by for t in sheet.transitions.all()] == [world.planner] * 4
