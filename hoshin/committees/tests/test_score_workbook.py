"""Paper scores through the round's workbook: a round trip, and every bad row named."""

import datetime
import io

import openpyxl
import pytest

from hoshin.committees.models import RoundKind, Score
from hoshin.committees.services.errors import CommitteePermissionError
from hoshin.committees.services.score_workbook import (
    ScoreImportError,
    scores_import,
    scores_workbook,
)
from hoshin.committees.services.scoring import round_open, score_save
from hoshin.committees.services.selection import target_select
from hoshin.committees.tests.factories import SCORING_DAY, make_committee_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def cw():
    cw = make_committee_world()
    planner = cw.world.planner
    cw.target = target_select(
        committee=cw.committee, sheet=cw.sheets["bousai_action"], by=planner, reason="テスト"
    )
    cw.grouped = target_select(
        committee=cw.committee,
        sheet=cw.sheets["zaisei_action"],
        by=planner,
        reason="部会",
        group=cw.group,
    )
    cw.round = round_open(committee=cw.committee, kind=RoundKind.ADVANCE, by=planner)
    return cw


def rows_of(data: bytes):
    return openpyxl.load_workbook(io.BytesIO(data)).active


def row_for(ws, target, member) -> int:
    for number, row in enumerate(ws.iter_rows(values_only=True), start=1):
        if row[0] == target.pk and row[2] == member.pk:
            return number
    raise AssertionError("no row")


def upload(cw, ws, today=SCORING_DAY):
    output = io.BytesIO()
    ws.parent.save(output)
    return scores_import(
        scoring_round=cw.round, data=output.getvalue(), by=cw.world.planner, today=today
    )


def test_the_workbook_has_a_row_per_member_and_assigned_target(cw):
    ws = rows_of(scores_workbook(scoring_round=cw.round, by=cw.world.planner))
    header = [c.value for c in ws[1]]
    assert header[:4] == ["評価対象ID", "評価対象", "委員ID", "委員"]
    assert header[4:9] == ["必要性", "市の関与", "有効性", "効率性", "公平性"]
    pairs = {(r[0], r[2]) for r in ws.iter_rows(min_row=2, values_only=True)}
    # five members score the common target; only the citizen (第1部会) the grouped one
    assert len(pairs) == 6 and (cw.grouped.pk, cw.citizen.pk) in pairs
    with pytest.raises(CommitteePermissionError):
        scores_workbook(scoring_round=cw.round, by=cw.chair_user)


def test_paper_scores_round_trip_with_labels_full_width_digits_and_blank_rows(cw):
    ws = rows_of(scores_workbook(scoring_round=cw.round, by=cw.world.planner))
    row = row_for(ws, cw.target, cw.vice)
    ws.cell(row, 5).value = "４"  # full-width, as typed on a Japanese keyboard
    ws.cell(row, 8).value = 2  # a number cell
    ws.cell(row, 10).value = "縮小"  # the label
    ws.cell(row, 11).value = "対象を絞るべき"
    summary = upload(cw, ws)
    assert (summary.saved, summary.skipped) == (1, 5)
    score = Score.objects.get()
    assert (score.member, score.entered_by) == (cw.vice, cw.world.planner)
    assert score.viewpoint_scores == {"necessity": "4", "efficiency": "2"}
    assert (score.judgement, score.comment) == ("reduce", "対象を絞るべき")
    # the next workbook shows it, with its version
    ws = rows_of(scores_workbook(scoring_round=cw.round, by=cw.world.planner))
    values = [c.value for c in ws[row_for(ws, cw.target, cw.vice)]]
    assert values[4] == "4" and values[9] == "縮小" and values[11] == 1


def test_every_bad_row_is_named_and_nothing_is_applied(cw):
    ws = rows_of(scores_workbook(scoring_round=cw.round, by=cw.world.planner))
    good = row_for(ws, cw.target, cw.chair)
    ws.cell(good, 10).value = "改善"
    ws.cell(row_for(ws, cw.target, cw.vice), 10).value = "現行どおり"  # not in the list
    ws.cell(row_for(ws, cw.target, cw.retired), 10).value = "改善"  # term ended
    wrong_member = row_for(ws, cw.target, cw.student)
    ws.cell(wrong_member, 3).value = 99999
    ws.cell(wrong_member, 10).value = "改善"
    wrong_target = row_for(ws, cw.grouped, cw.citizen)
    ws.cell(wrong_target, 1).value = 88888
    ws.cell(wrong_target, 10).value = "改善"
    not_assigned = ws.max_row + 1  # the chair on the 第1部会 target
    for column, value in ((1, cw.grouped.pk), (3, cw.chair.pk), (10, "改善")):
        ws.cell(not_assigned, column).value = value
    with pytest.raises(ScoreImportError) as refused:
        upload(cw, ws)
    problems = dict(refused.value.problems)
    assert good not in problems
    assert "現行どおり" in problems[row_for(ws, cw.target, cw.vice)]
    assert "任期外" in problems[row_for(ws, cw.target, cw.retired)]
    assert "委員ID「99999」" in problems[wrong_member]
    assert "評価対象ID「88888」" in problems[wrong_target]
    assert "担当する評価対象ではありません" in problems[not_assigned]
    assert not Score.objects.exists()


def test_a_score_changed_since_the_workbook_was_made_is_not_overwritten(cw):
    ws = rows_of(scores_workbook(scoring_round=cw.round, by=cw.world.planner))
    score_save(
        scoring_round=cw.round,
        target=cw.target,
        member=cw.chair,
        by=cw.chair_user,
        viewpoint_scores={},
        judgement="expand",
        expected_version=None,
        today=SCORING_DAY,
    )
    ws.cell(row_for(ws, cw.target, cw.chair), 10).value = "廃止"
    with pytest.raises(ScoreImportError, match="更新しました"):
        upload(cw, ws)
    assert Score.objects.get().judgement == "expand"


def test_a_workbook_of_another_form_is_refused(cw):
    ws = rows_of(scores_workbook(scoring_round=cw.round, by=cw.world.planner))
    ws.cell(1, 5).value = "妥当性"
    with pytest.raises(ScoreImportError, match="見出し"):
        upload(cw, ws, today=datetime.date(2025, 9, 2))
