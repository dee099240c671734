"""Hearings, advance questions, and the city's responses with their follow-up."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from hoshin.committees.models import FollowUpStatus, ResponseStance
from hoshin.committees.selectors import responses_for_sheet
from hoshin.committees.services.errors import (
    CommitteeConflictError,
    CommitteePermissionError,
    CommitteeValidationError,
)
from hoshin.committees.services.hearings import (
    hearing_session_add,
    hearing_slot_add,
    question_answer,
    question_ask,
)
from hoshin.committees.services.responses import follow_up_record, response_save
from hoshin.committees.services.scoring import opinion_save
from hoshin.committees.services.selection import target_select
from hoshin.committees.tests.factories import FY, make_committee_world
from hoshin.evaluations.services.cycle import fiscal_year_start
from hoshin.evaluations.tests.factories import sheet_of

pytestmark = pytest.mark.django_db
T = datetime.time


@pytest.fixture
def cw():
    cw = make_committee_world()
    planner = cw.world.planner
    # bousai_action belongs to 地域防災対策室 (world.editor, world.head)
    cw.target = target_select(
        committee=cw.committee, sheet=cw.sheets["bousai_action"], by=planner, reason="テスト"
    )
    cw.other_target = target_select(
        committee=cw.committee, sheet=cw.sheets["zaisei_action"], by=planner, reason="テスト"
    )
    return cw


def test_slots_of_a_session_never_overlap_and_a_target_is_heard_once(cw):
    planner = cw.world.planner
    session = hearing_session_add(
        committee=cw.committee,
        held_on=datetime.date(2025, 8, 20),
        place="市役所 第1会議室",
        by=planner,
    )
    slot = hearing_slot_add(
        session=session,
        target=cw.target,
        starts_at=T(13, 30),
        ends_at=T(14, 0),
        attendees="地域防災対策室長、防災係長",
        by=planner,
    )
    assert slot.attendees == "地域防災対策室長、防災係長"
    for starts, ends, field in [
        (T(13, 45), T(14, 15), "starts_at"),  # overlaps
        (T(13, 0), T(13, 31), "starts_at"),
        (T(14, 30), T(14, 0), "ends_at"),  # backwards
    ]:
        with pytest.raises(CommitteeValidationError) as refused:
            hearing_slot_add(
                session=session, target=cw.other_target, starts_at=starts, ends_at=ends, by=planner
            )
        assert field in refused.value.errors
    # back to back is fine
    hearing_slot_add(
        session=session, target=cw.other_target, starts_at=T(14, 0), ends_at=T(14, 30), by=planner
    )
    with pytest.raises(CommitteeValidationError):
        hearing_slot_add(
            session=session, target=cw.target, starts_at=T(15, 0), ends_at=T(15, 30), by=planner
        )


def test_questions_go_ahead_and_only_the_department_answers(cw):
    question = question_ask(
        target=cw.target, question="対象世帯数の推移は？", member=cw.chair, by=cw.chair_user
    )
    with pytest.raises(CommitteePermissionError):
        question_ask(target=cw.target, question="代理の質問", member=cw.chair, by=cw.citizen_user)
    for outsider in (cw.world.other_editor, cw.chair_user, cw.world.viewer):
        with pytest.raises(CommitteePermissionError):
            question_answer(question=question, answer="回答", by=outsider)
    answered = question_answer(
        question=question, answer="令和6年度は1,200世帯です。", by=cw.world.head
    )
    assert (answered.answer, answered.answered_by) == ("令和6年度は1,200世帯です。", cw.world.head)


@pytest.fixture
def opinion(cw):
    return opinion_save(
        target=cw.target, body="周知方法を見直すこと。", by=cw.world.planner, expected_version=None
    )


def test_the_department_responds_to_an_opinion_with_the_budget_amount(cw, opinion):
    response = response_save(
        opinion=opinion,
        by=cw.world.editor,
        stance=ResponseStance.PARTLY,
        reason="紙の配布は高齢者のため継続する",
        planned_action="SNSでの周知を追加する",
        budget_amount=Decimal("1200"),
        expected_version=None,
    )
    assert (response.department, response.version) == (cw.world.bousai, 1)
    with pytest.raises(CommitteePermissionError):
        response_save(
            opinion=opinion, by=cw.world.other_editor, stance="accept", expected_version=1
        )


@pytest.mark.parametrize(
    ("stance", "reason", "amount", "field"),
    [
        (ResponseStance.NOT, "", None, "reason"),
        (ResponseStance.PARTLY, " ", None, "reason"),
        ("maybe", "", None, "stance"),
        (ResponseStance.ACCEPT, "", Decimal("-1"), "budget_amount"),
    ],
)
def test_response_rules(cw, opinion, stance, reason, amount, field):
    with pytest.raises(CommitteeValidationError) as refused:
        response_save(
            opinion=opinion,
            by=cw.world.editor,
            stance=stance,
            reason=reason,
            budget_amount=amount,
            expected_version=None,
        )
    assert field in refused.value.errors


def test_two_people_editing_one_response_lose_nothing(cw, opinion):
    response_save(opinion=opinion, by=cw.world.editor, stance="accept", expected_version=None)
    response_save(
        opinion=opinion,
        by=cw.world.planner,
        stance="accept",
        planned_action="改訂版",
        expected_version=1,
    )
    with pytest.raises(CommitteeConflictError):
        response_save(
            opinion=opinion, by=cw.world.editor, stance="not", reason="理由", expected_version=1
        )
    opinion.response.refresh_from_db()
    assert (opinion.response.planned_action, opinion.response.stance) == ("改訂版", "accept")


def test_follow_up_covers_the_two_following_years(cw, opinion):
    response = response_save(
        opinion=opinion, by=cw.world.editor, stance="accept", expected_version=None
    )
    follow_up_record(
        response=response, fy=FY + 1, status=FollowUpStatus.IN_PROGRESS, by=cw.world.editor
    )
    follow_up_record(
        response=response, fy=FY + 1, status=FollowUpStatus.DONE, note="完了", by=cw.world.editor
    )
    follow_up_record(response=response, fy=FY + 2, status=FollowUpStatus.DONE, by=cw.world.planner)
    assert [(f.fy, f.status) for f in response.follow_ups.all()] == [
        (FY + 1, FollowUpStatus.DONE),
        (FY + 2, FollowUpStatus.DONE),
    ]
    for fy in (FY, FY + 3):
        with pytest.raises(CommitteeValidationError):
            follow_up_record(
                response=response, fy=fy, status=FollowUpStatus.DONE, by=cw.world.editor
            )


def test_a_response_is_found_from_the_next_two_years_sheets_of_the_same_action(cw, opinion):
    response = response_save(
        opinion=opinion, by=cw.world.editor, stance="accept", expected_version=None
    )
    later = datetime.date(FY + 3, 4, 1)
    for fy in (FY + 1, FY + 2, FY + 3):
        fiscal_year_start(plan=cw.world.plan, fy=fy, by=cw.world.planner, today=later)
    cycles = {c.fy: c for c in cw.world.plan.evaluation_cycles.all()}
    action = cw.world.bousai_action
    assert list(responses_for_sheet(sheet=sheet_of(cycles[FY + 1], action))) == [response]
    assert list(responses_for_sheet(sheet=sheet_of(cycles[FY + 2], action))) == [response]
    assert not responses_for_sheet(sheet=sheet_of(cycles[FY + 3], action)).exists()
    assert not responses_for_sheet(sheet=sheet_of(cycles[FY], action)).exists()  # its own year
    other = sheet_of(cycles[FY + 1], cw.world.zaisei_action)
    assert not responses_for_sheet(sheet=other).exists()


def test_the_next_years_staff_sheet_page_shows_the_opinion_and_the_response(client, cw, opinion):
    response = response_save(
        opinion=opinion,
        by=cw.world.editor,
        stance=ResponseStance.PARTLY,
        reason="紙の配布は続ける",
        planned_action="SNSでの周知を追加",
        budget_amount=Decimal("1200"),
        expected_version=None,
    )
    follow_up_record(
        response=response, fy=FY + 1, status=FollowUpStatus.IN_PROGRESS, by=cw.world.editor
    )
    fiscal_year_start(
        plan=cw.world.plan, fy=FY + 1, by=cw.world.planner, today=datetime.date(FY + 1, 4, 1)
    )
    cycle = cw.world.plan.evaluation_cycles.get(fy=FY + 1)
    client.force_login(cw.world.editor)
    url = reverse("evaluations:sheet", args=[sheet_of(cycle, cw.world.bousai_action).pk])
    html = client.get(url).content.decode()
    assert "外部評価委員会の意見と対応方針" in html
    for text in (
        "周知方法を見直すこと。",
        "一部対応する",
        "SNSでの周知を追加",
        "1,200千円",
        "実施中",
    ):
        assert text in html
    # the committee's own year, and another action's sheet, show no panel
    for sheet in (cw.sheets["bousai_action"], sheet_of(cycle, cw.world.zaisei_action)):
        client.force_login(cw.world.planner)
        html = client.get(reverse("evaluations:sheet", args=[sheet.pk])).content.decode()
        assert "外部評価委員会の意見と対応方針" not in html
