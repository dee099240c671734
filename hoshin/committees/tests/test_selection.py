"""Selection of targets: rules as data, their reasons, nominations and the recorded choice."""

import pytest

from hoshin.audit.models import AuditEntry
from hoshin.committees.models import NominationSource, RuleKind
from hoshin.committees.selection import selection_run
from hoshin.committees.services.errors import CommitteePermissionError, CommitteeValidationError
from hoshin.committees.services.selection import (
    nomination_add,
    rule_params_check,
    selection_rule_add,
    selection_rule_remove,
    target_select,
)
from hoshin.committees.tests.factories import make_committee_world

pytestmark = pytest.mark.django_db


@pytest.fixture
def cw():
    return make_committee_world()


def add(cw, kind, note="", **params):
    return selection_rule_add(
        committee=cw.committee, kind=kind, params=params, by=cw.world.planner, note=note
    )


def picked(cw) -> dict[str, list[str]]:
    """Candidates as {action name in the world: reasons}."""
    names = {sheet.pk: name for name, sheet in cw.sheets.items()}
    names[cw.draft_sheet.pk] = "all_action"
    return {names[c.sheet.pk]: c.reasons for c in selection_run(committee=cw.committee).candidates}


def test_internal_result_picks_grade_or_direction_and_says_which(cw):
    add(cw, RuleKind.INTERNAL_RESULT, grades=["D"], directions=["improve"])
    result = picked(cw)
    assert set(result) == {"bousai_action", "shared_action"}
    assert result["bousai_action"] == ["内部評価の今後の方向性が「改善」"]
    assert result["shared_action"] == ["内部評価の総合評価が「D」"]


def test_cost_floor_counts_staff_cost_from_the_one_figure(cw):
    # bousai: 12,000 project cost + 0.5 person-years × 8,000 = 16,000 ≥ 15,000
    add(cw, RuleKind.COST_FLOOR, amount=15000)
    result = picked(cw)
    assert set(result) == {"bousai_action", "zaisei_action"}
    assert result["bousai_action"] == ["総コスト16,000千円（15,000千円以上）"]


def test_own_projects_leaves_out_projects_with_national_or_prefectural_money(cw):
    add(cw, RuleKind.OWN_PROJECTS)
    assert set(picked(cw)) == {"bousai_action", "zaisei_action"}


def test_conditions_combine_and_every_reason_is_kept(cw):
    add(cw, RuleKind.INTERNAL_RESULT, grades=["C", "D"])
    add(cw, RuleKind.COST_FLOOR, amount=10000)
    assert picked(cw) == {
        "bousai_action": ["内部評価の総合評価が「C」", "総コスト16,000千円（10,000千円以上）"]
    }


def test_top_per_department_keeps_the_largest_cost(cw):
    # bousai_action (16,000) and shared_action (8,000) both belong to 地域防災対策室
    add(cw, RuleKind.INTERNAL_RESULT, grades=["C", "D"])
    add(cw, RuleKind.TOP_PER_DEPARTMENT, n=1)
    result = picked(cw)
    assert set(result) == {"bousai_action"}
    assert result["bousai_action"][-1] == "担当課内で総コスト1位（上位1件まで）"


def test_exclusions_remove_and_are_listed_with_their_note(cw):
    add(cw, RuleKind.COST_FLOOR, amount=0)
    add(cw, RuleKind.EXCLUDE, note="財政課は前年度に評価済み", department_ids=[cw.world.zaisei.pk])
    run = selection_run(committee=cw.committee)
    assert {c.sheet.pk for c in run.candidates} == {
        cw.sheets["bousai_action"].pk,
        cw.sheets["shared_action"].pk,
    }
    assert run.excluded == [(cw.sheets["zaisei_action"], "財政課は前年度に評価済み")]


def test_sheets_still_with_their_department_are_never_candidates(cw):
    # the draft 全庁 sheet has grade C and 50,000 千円, but no internal result is final yet
    add(cw, RuleKind.INTERNAL_RESULT, grades=["C"])
    assert "all_action" not in picked(cw)
    with pytest.raises(CommitteeValidationError):
        target_select(
            committee=cw.committee, sheet=cw.draft_sheet, by=cw.world.planner, reason="試し"
        )


def test_without_conditions_only_nominations_are_candidates(cw):
    assert picked(cw) == {}
    nomination_add(
        committee=cw.committee,
        sheet=cw.sheets["zaisei_action"],
        by=cw.chair_user,
        member=cw.chair,
        reason="長期的な財政への影響が大きい",
    )
    assert picked(cw) == {"zaisei_action": ["山田 太郎による推薦：長期的な財政への影響が大きい"]}


def test_a_nominated_sheet_an_exclusion_covers_stays_with_a_warning(cw):
    add(cw, RuleKind.EXCLUDE, note="施設管理は対象外", action_ids=[cw.world.zaisei_action.pk])
    nomination_add(
        committee=cw.committee,
        sheet=cw.sheets["zaisei_action"],
        by=cw.world.planner,
        source=NominationSource.CITIZEN,
        reference="V-2025-0012",
        reason="市民からの提案",
    )
    (candidate,) = selection_run(committee=cw.committee).candidates
    assert candidate.nominated and candidate.warnings == ["施設管理は対象外"]
    assert candidate.reasons == ["市民による推薦：市民からの提案"]


def test_a_member_nominates_only_for_themselves(cw):
    with pytest.raises(CommitteePermissionError):
        nomination_add(
            committee=cw.committee,
            sheet=cw.sheets["zaisei_action"],
            by=cw.citizen_user,
            member=cw.chair,
            reason="代理で推薦",
        )


def test_the_final_selection_records_who_chose_why_and_the_rules_reasons(cw):
    add(cw, RuleKind.INTERNAL_RESULT, grades=["C"])
    target = target_select(
        committee=cw.committee,
        sheet=cw.sheets["bousai_action"],
        by=cw.world.planner,
        reason="方向性の確認が必要",
        group=cw.group,
    )
    assert (target.selected_by, target.reason) == (cw.world.planner, "方向性の確認が必要")
    assert target.rule_reasons == ["内部評価の総合評価が「C」"]
    entry = AuditEntry.objects.filter(verb="committee.target_select").get()
    assert entry.target_id == str(target.pk)
    assert selection_run(committee=cw.committee).candidates[0].selected
    # chosen outside the candidates: allowed with a reason, and no rule reasons are invented
    other = target_select(
        committee=cw.committee,
        sheet=cw.sheets["zaisei_action"],
        by=cw.world.planner,
        reason="委員会で追加",
    )
    assert other.rule_reasons == []


@pytest.mark.parametrize(
    ("who", "reason", "error"),
    [
        ("chair_user", "理由", CommitteePermissionError),
        ("planner", "  ", CommitteeValidationError),
    ],
)
def test_selection_is_refused_to_members_and_without_a_reason(cw, who, reason, error):
    by = cw.chair_user if who == "chair_user" else cw.world.planner
    with pytest.raises(error):
        target_select(
            committee=cw.committee, sheet=cw.sheets["bousai_action"], by=by, reason=reason
        )


def test_a_sheet_is_selected_once(cw):
    sheet = cw.sheets["bousai_action"]
    target_select(committee=cw.committee, sheet=sheet, by=cw.world.planner, reason="一回目")
    with pytest.raises(CommitteeValidationError):
        target_select(committee=cw.committee, sheet=sheet, by=cw.world.planner, reason="二回目")


@pytest.mark.parametrize(
    ("kind", "params"),
    [
        ("no_such_rule", {}),
        (RuleKind.INTERNAL_RESULT, {}),
        (RuleKind.COST_FLOOR, {"amount": "abc"}),
        (RuleKind.COST_FLOOR, {"amount": -1}),
        (RuleKind.COST_FLOOR, {"amount": 100, "column": "someday"}),
        (RuleKind.TOP_PER_DEPARTMENT, {"n": 0}),
        (RuleKind.TOP_PER_DEPARTMENT, {"n": "2"}),
        (RuleKind.EXCLUDE, {}),
        (RuleKind.EXCLUDE, {"action_ids": ["1"]}),
    ],
)
def test_rule_params_are_checked(kind, params):
    with pytest.raises(CommitteeValidationError):
        rule_params_check(kind=kind, params=params)


def test_rules_are_the_secretariats(cw):
    with pytest.raises(CommitteePermissionError):
        selection_rule_add(
            committee=cw.committee, kind=RuleKind.OWN_PROJECTS, params={}, by=cw.chair_user
        )


def test_the_cost_rules_read_the_column_they_name(cw):
    # nothing was entered in this year's budget column: no sheet reaches a floor there
    add(cw, RuleKind.COST_FLOOR, amount=1, column="budget")
    assert picked(cw) == {}


def test_a_removed_rule_no_longer_picks_but_chosen_targets_keep_their_reasons(cw):
    rule = add(cw, RuleKind.INTERNAL_RESULT, grades=["C"])
    target = target_select(
        committee=cw.committee, sheet=cw.sheets["bousai_action"], by=cw.world.planner, reason="r"
    )
    selection_rule_remove(rule=rule, by=cw.world.planner)
    assert picked(cw) == {}
    target.refresh_from_db()
    assert target.rule_reasons == ["内部評価の総合評価が「C」"]
