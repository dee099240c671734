"""The staff workspace: My tasks per role, who may open and comment on which sheet, the list."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from hoshin.evaluations.models import EvaluationCycle, EvaluationSheet, SheetComment, Stage
from hoshin.evaluations.selectors.tasks import tasks_for
from hoshin.evaluations.services.sheets import sheet_update
from hoshin.evaluations.services.workflow import sheet_transition
from hoshin.evaluations.tests.factories import (
    COMPLETE_VALUES,
    TODAY,
    make_world,
    open_year,
    sheet_of,
)
from hoshin.plans.models import Action, ActionDepartment, Plan, PlanNode

pytestmark = pytest.mark.django_db


def sheet_url(name, sheet):
    return reverse(f"evaluations:{name}", args=[sheet.pk])


def set_stage(sheet, stage):
    EvaluationSheet.objects.filter(pk=sheet.pk).update(stage=stage)
    sheet.refresh_from_db()
    return sheet


def second_plan(world, name="防災計画"):
    """Another plan with one action of 防災, to give the editor sheets with other due dates."""
    plan = Plan.objects.create(name=name, kind="comprehensive", is_published=True)
    node = PlanNode.objects.create(plan=plan, title="安全", depth=0)
    action = Action.objects.create(plan=plan, node=node, position=0, text="避難所を点検する。")
    ActionDepartment.objects.create(action=action, department=world.bousai, is_lead=True)
    return plan, action


def keys(groups):
    return {group.key: [task.sheet for task in group.tasks] for group in groups}


# ---- My tasks ----------------------------------------------------------------------------


def test_editor_tasks_are_overdue_first_then_nearest_then_undated():
    from hoshin.evaluations.services.cycle import fiscal_year_start

    world = make_world()
    overdue_cycle = open_year(world, 2025)
    EvaluationCycle.objects.filter(pk=overdue_cycle.pk).update(
        submit_due=TODAY - datetime.timedelta(days=3)
    )
    soon_plan, soon_action = second_plan(world)
    soon_cycle = fiscal_year_start(plan=soon_plan, fy=2025, today=TODAY).cycle
    EvaluationCycle.objects.filter(pk=soon_cycle.pk).update(
        submit_due=TODAY + datetime.timedelta(days=5)
    )
    later_plan, later_action = second_plan(world, "地域計画")
    fiscal_year_start(plan=later_plan, fy=2025, today=TODAY)

    groups = tasks_for(user=world.editor, today=TODAY)
    assert [group.key for group in groups] == ["draft"]
    tasks = groups[0].tasks
    subjects = [task.sheet.action for task in tasks]
    assert subjects == [
        world.bousai_action,
        world.shared_action,
        soon_action,
        later_action,
    ]
    assert [task.days_left for task in tasks] == [-3, -3, 5, None]
    assert [task.is_overdue for task in tasks] == [True, True, False, False]
    assert groups[0].count == 4 and groups[0].overdue == 2
    # Other departments' sheets, and the editor's sheets past drafting, are not theirs to do.
    assert world.zaisei_action not in subjects
    set_stage(sheet_of(overdue_cycle, world.bousai_action), Stage.SUBMITTED)
    assert world.bousai_action not in [
        t.sheet.action for t in tasks_for(user=world.editor, today=TODAY)[0].tasks
    ]


def test_returned_sheets_are_back_in_the_editors_tasks():
    world = make_world()
    cycle = open_year(world)
    sheet = set_stage(sheet_of(cycle, world.bousai_action), Stage.RETURNED)
    assert sheet in keys(tasks_for(user=world.editor, today=TODAY))["draft"]


def test_head_sees_submitted_sheets_of_their_department_only():
    world = make_world()
    cycle = open_year(world)
    hazard = set_stage(sheet_of(cycle, world.bousai_action), Stage.SUBMITTED)
    set_stage(sheet_of(cycle, world.zaisei_action), Stage.SUBMITTED)
    assert keys(tasks_for(user=world.head, today=TODAY)) == {"approve": [hazard]}
    other = tasks_for(user=world.other_head, today=TODAY)
    assert [t.sheet.action for t in other[0].tasks] == [world.zaisei_action]


def test_planning_office_sees_approved_then_final_and_the_all_departments_drafts():
    world = make_world()
    cycle = open_year(world)
    EvaluationCycle.objects.filter(pk=cycle.pk).update(
        review_due=TODAY + datetime.timedelta(days=1)
    )
    approved = set_stage(sheet_of(cycle, world.bousai_action), Stage.APPROVED)
    final = set_stage(sheet_of(cycle, world.zaisei_action), Stage.FINAL)
    everyone = sheet_of(cycle, world.all_action)  # 全庁: no department
    groups = tasks_for(user=world.planner, today=TODAY)
    assert keys(groups) == {
        "draft": [everyone],
        "approve": [],
        "review": [approved],
        "publish": [final],
    }
    review = next(group for group in groups if group.key == "review")
    assert review.tasks[0].days_left == 1 and review.tasks[0].due == TODAY + datetime.timedelta(1)
    publish = next(group for group in groups if group.key == "publish")
    assert publish.tasks[0].due is None  # no due date for publication


@pytest.mark.parametrize("role", ["viewer", "committee"])
def test_readers_have_no_tasks(client, role):
    world = make_world()
    open_year(world)
    assert tasks_for(user=getattr(world, role), today=TODAY) == []
    client.force_login(getattr(world, role))
    page = client.get(reverse("backoffice:tasks")).content.decode()
    assert "あなたの対応を待っているものはありません" in page


def test_tasks_page_shows_due_dates_days_and_counts(client):
    world = make_world()
    cycle = open_year(world)
    today = timezone.localdate()
    EvaluationCycle.objects.filter(pk=cycle.pk).update(submit_due=today - datetime.timedelta(2))
    client.force_login(world.editor)
    response = client.get(reverse("backoffice:tasks"))
    assert response.status_code == 200
    page = response.content.decode()
    assert "評価シート <strong>2件</strong>" in page and "期限超過 2件" in page
    assert "2日超過" in page and "担当者として入力し、提出してください" in page
    assert "令和7年度（2025年度）" in page and "評価テスト計画" in page
    assert page.index("ハザードマップを周知する。") < page.index("防災訓練の予算を確保する。")
    assert sheet_url("sheet", sheet_of(cycle, world.bousai_action)) in page
    assert "長期財政計画" not in page


def test_tasks_need_a_login(client):
    response = client.get(reverse("backoffice:tasks"))
    assert response.status_code == 302 and "/staff/login/" in response["Location"]


# ---- who sees what ----------------------------------------------------------------------------


def test_another_departments_sheet_answers_404_like_a_missing_one(client):
    world = make_world()
    cycle = open_year(world)
    hazard = sheet_of(cycle, world.bousai_action)
    client.force_login(world.other_editor)
    missing = EvaluationSheet.objects.order_by("-pk").first().pk + 100
    assert client.get(reverse("evaluations:sheet", args=[missing])).status_code == 404
    for name in ("sheet", "sheet_history"):
        assert client.get(sheet_url(name, hazard)).status_code == 404
    for name in ("sheet_save", "sheet_autosave", "sheet_comment", "indicator_add"):
        assert (
            client.post(sheet_url(name, hazard), {"version": "1", "body": "x"}).status_code == 404
        )
    assert not SheetComment.objects.exists()
    # Nor does the list reveal it.
    page = client.get(reverse("evaluations:sheets")).content.decode()
    assert "ハザードマップ" not in page and "長期財政計画" in page
    client.force_login(world.committee)
    assert client.get(sheet_url("sheet", hazard)).status_code == 404


def test_co_responsible_department_can_view_and_comment_but_not_edit(client):
    world = make_world()
    shared = sheet_of(open_year(world), world.shared_action)  # lead 防災, co-responsible 財政
    client.force_login(world.other_editor)
    page = client.get(sheet_url("sheet", shared)).content.decode()
    assert 'id="sheet-form"' not in page and "閲覧のみ" in page
    assert 'action="' + sheet_url("sheet_comment", shared) in page
    response = client.post(sheet_url("sheet_comment", shared), {"body": "予算要求の時期に注意"})
    assert response.status_code == 302
    comment = SheetComment.objects.get()
    assert (comment.sheet, comment.author, comment.body) == (
        shared,
        world.other_editor,
        "予算要求の時期に注意",
    )
    response = client.post(sheet_url("sheet_save", shared), {"version": "1", "activities": "x"})
    assert response.status_code == 403
    # The lead department reads the comment on its sheet.
    client.force_login(world.editor)
    assert "予算要求の時期に注意" in client.get(sheet_url("sheet", shared)).content.decode()


def test_an_empty_comment_is_refused_at_its_field(client):
    world = make_world()
    hazard = sheet_of(open_year(world), world.bousai_action)
    client.force_login(world.head)
    response = client.post(sheet_url("sheet_comment", hazard), {"body": "  "})
    assert response.status_code == 400
    assert 'id="comment-body-error"' in response.content.decode()
    assert not SheetComment.objects.exists()


def test_city_wide_viewer_reads_every_sheet_but_may_not_comment(client):
    world = make_world()
    hazard = sheet_of(open_year(world), world.bousai_action)
    client.force_login(world.viewer)
    page = client.get(sheet_url("sheet", hazard)).content.decode()
    assert "ハザードマップを周知する。" in page and "comment-form" not in page
    assert client.post(sheet_url("sheet_comment", hazard), {"body": "x"}).status_code == 403


def publish(world, sheet):
    sheet_update(sheet=sheet, by=world.editor, raw=COMPLETE_VALUES, expected_version=1)
    for name, user in (
        ("submit", world.editor),
        ("approve", world.head),
        ("finalize", world.planner),
        ("publish", world.planner),
    ):
        sheet = sheet_transition(sheet=sheet, by=user, name=name, review_comment="所見です")
    return sheet


def test_staff_comments_never_reach_a_public_page(client):
    world = make_world()
    hazard = sheet_of(open_year(world), world.bousai_action)
    client.force_login(world.planner)
    client.post(sheet_url("sheet_comment", hazard), {"body": "職員間の内部メモ・非公開"})
    publish(world, hazard)
    assert EvaluationSheet.objects.published().filter(pk=hazard.pk).exists()
    client.logout()
    for url in (
        world.bousai_action.get_absolute_url(),
        world.plan.get_absolute_url(),
        world.bousai.get_absolute_url(),
        reverse("portal:home"),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
        assert "職員間の内部メモ" not in response.content.decode(), url


# ---- the list ------------------------------------------------------------------------------


def test_sheet_list_filters_and_paginates(client, monkeypatch):
    from hoshin.evaluations.views import workspace

    world = make_world()
    cycle = open_year(world)
    set_stage(sheet_of(cycle, world.zaisei_action), Stage.SUBMITTED)
    client.force_login(world.planner)
    url = reverse("evaluations:sheets")
    page = client.get(url).content.decode()
    assert "該当する評価シート（4件）" in page
    page = client.get(url, {"stage": "submitted"}).content.decode()
    assert "該当する評価シート（1件）" in page and "長期財政計画" in page
    page = client.get(url, {"department": world.bousai.pk, "fy": 2025}).content.decode()
    assert "該当する評価シート（2件）" in page and "長期財政計画" not in page
    page = client.get(url, {"q": "ハザード", "plan": world.plan.pk}).content.decode()
    assert "該当する評価シート（1件）" in page
    monkeypatch.setattr(workspace, "PAGE_SIZE", 3)
    first = client.get(url, {"stage": ""}).content.decode()
    assert "1 / 2 ページ" in first and "stage=&amp;page=2" in first
    second = client.get(url, {"page": 2}).content.decode()
    assert "2 / 2 ページ" in second


def test_sheet_list_of_an_editor_holds_own_and_co_responsible_sheets(client):
    world = make_world()
    open_year(world)
    client.force_login(world.other_editor)
    page = client.get(reverse("evaluations:sheets")).content.decode()
    assert "該当する評価シート（2件）" in page
    assert "長期財政計画" in page and "防災訓練の予算" in page and "ハザードマップ" not in page
