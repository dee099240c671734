"""The committee register: committees, their scoring sheet and rules, members and terms."""

import datetime

import pytest

from hoshin.audit.models import AuditEntry
from hoshin.committees import defaults
from hoshin.committees.models import (
    Committee,
    CommitteeKind,
    DecisionRule,
    MemberCategory,
    MemberRole,
    RoundKind,
)
from hoshin.committees.services.errors import CommitteePermissionError, CommitteeValidationError
from hoshin.committees.services.register import committee_configure, committee_create, member_add
from hoshin.committees.services.scoring import round_open, score_save
from hoshin.committees.services.selection import target_select
from hoshin.committees.tests.factories import FY, SCORING_DAY, make_committee_world
from hoshin.evaluations.tests.factories import make_user
from hoshin.org.models import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def cw():
    return make_committee_world()


def configure(cw, **changes):
    c = cw.committee
    values = {
        "viewpoints": c.viewpoints,
        "viewpoint_scale": c.viewpoint_scale,
        "judgements": c.judgements,
        "decision_rule": c.decision_rule,
        "tally_separately": c.tally_separately,
        "score_disclosure": c.score_disclosure,
    } | changes
    return committee_configure(committee=c, by=cw.world.planner, **values)


def test_a_new_committee_has_the_default_scoring_sheet_and_is_audited(cw):
    c = cw.committee
    assert c.judgement_codes() == [j["code"] for j in defaults.DEFAULT_JUDGEMENTS]
    assert [v["label"] for v in c.viewpoints][:2] == ["必要性", "市の関与"]
    assert c.decision_rule == DecisionRule.CHAIR_CASTING
    assert AuditEntry.objects.filter(verb="committee.create", target_id=str(c.pk)).exists()


def test_several_committees_per_plan_and_year_but_not_two_of_one_name(cw):
    planner = cw.world.planner
    other = committee_create(
        plan=cw.world.plan, fy=FY, name="公開事業評価", kind=CommitteeKind.PUBLIC_REVIEW, by=planner
    )
    assert Committee.objects.filter(plan=cw.world.plan, fy=FY).count() == 2
    assert other.kind == CommitteeKind.PUBLIC_REVIEW
    with pytest.raises(CommitteeValidationError):
        committee_create(plan=cw.world.plan, fy=FY, name="外部評価委員会", by=planner)
    # next year's committee of the same name is a new committee year
    assert committee_create(plan=cw.world.plan, fy=FY + 1, name="外部評価委員会", by=planner).pk


@pytest.mark.parametrize("who", ["chair_user", "editor", "viewer"])
def test_only_the_secretariat_registers(cw, who):
    user = getattr(cw, who, None) or getattr(cw.world, who)
    with pytest.raises(CommitteePermissionError):
        committee_create(plan=cw.world.plan, fy=FY, name="別の委員会", by=user)


@pytest.mark.parametrize(
    ("judgements", "accepted"),
    [
        (defaults.JUDGEMENTS_THREE, True),
        (defaults.JUDGEMENTS_SCREENING, True),
        (defaults.JUDGEMENTS_SEVEN, True),
        (defaults.JUDGEMENTS_THREE[:2], False),
        ([*defaults.JUDGEMENTS_SEVEN, {"code": "x", "label": "その他", "meaning": ""}], False),
        (
            [{"code": "a", "label": "A"}, {"code": "a", "label": "B"}, {"code": "c", "label": "C"}],
            False,
        ),
        (
            [{"code": "a", "label": "A"}, {"code": "b", "label": ""}, {"code": "c", "label": "C"}],
            False,
        ),
    ],
)
def test_the_judgement_list_has_three_to_seven_distinct_levels(cw, judgements, accepted):
    if accepted:
        assert configure(cw, judgements=judgements).judgement_codes() == [
            j["code"] for j in judgements
        ]
    else:
        with pytest.raises(CommitteeValidationError) as refused:
            configure(cw, judgements=judgements)
        assert "judgements" in refused.value.errors


def test_viewpoint_scale_codes_must_be_whole_numbers(cw):
    with pytest.raises(CommitteeValidationError) as refused:
        configure(cw, viewpoint_scale=[{"code": "A", "label": "A"}, {"code": "B", "label": "B"}])
    assert "viewpoint_scale" in refused.value.errors


def test_the_scoring_sheet_is_frozen_by_the_first_score_but_the_rule_is_not(cw):
    planner = cw.world.planner
    target = target_select(
        committee=cw.committee, sheet=cw.sheets["bousai_action"], by=planner, reason="テスト"
    )
    scoring_round = round_open(committee=cw.committee, kind=RoundKind.ADVANCE, by=planner)
    score_save(
        scoring_round=scoring_round,
        target=target,
        member=cw.chair,
        by=cw.chair_user,
        viewpoint_scores={},
        judgement="improve",
        expected_version=None,
        today=SCORING_DAY,
    )
    with pytest.raises(CommitteeValidationError):
        configure(cw, judgements=defaults.JUDGEMENTS_SCREENING)
    assert configure(cw, decision_rule=DecisionRule.UNANIMITY).decision_rule == "unanimity"


def member(cw, **kw):
    values = {
        "committee": cw.committee,
        "by": cw.world.planner,
        "name": "新井 委員",
        "category": MemberCategory.CITIZEN,
        "term_start": datetime.date(2025, 7, 1),
        "term_end": datetime.date(2027, 6, 30),
    } | kw
    return member_add(**values)


def test_members_have_staggered_terms(cw):
    newcomer = member(cw)
    assert cw.retired.in_term(datetime.date(2025, 7, 31))
    assert not cw.retired.in_term(datetime.date(2025, 8, 1))
    assert not newcomer.in_term(datetime.date(2025, 6, 30))
    assert newcomer.in_term(datetime.date(2027, 6, 30))


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"role": MemberRole.CHAIR}, "role"),  # the committee has its chair
        ({"role": MemberRole.VICE_CHAIR}, "role"),
        ({"term_end": datetime.date(2025, 6, 30)}, "term_end"),
        ({"category": "mayor"}, "category"),
        ({"name": "  "}, "name"),
    ],
)
def test_member_rules(cw, changes, field):
    with pytest.raises(CommitteeValidationError) as refused:
        member(cw, **changes)
    assert field in refused.value.errors


def test_a_members_account_must_hold_the_committee_member_role_once(cw):
    with pytest.raises(CommitteeValidationError) as refused:
        member(cw, user=cw.world.editor)
    assert "user" in refused.value.errors
    with pytest.raises(CommitteeValidationError):
        member(cw, user=cw.chair_user)  # already a member of this committee
    assert member(cw, user=make_user("new_member", role=Role.COMMITTEE_MEMBER)).user_id


def test_a_group_of_another_committee_is_refused(cw):
    other = committee_create(
        plan=cw.world.plan, fy=FY + 1, name="外部評価委員会", by=cw.world.planner
    )
    with pytest.raises(CommitteeValidationError):
        member(cw, committee=other, group=cw.group)
