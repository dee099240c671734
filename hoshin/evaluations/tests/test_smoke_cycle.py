"""The whole yearly path on one sheet, through the services: open, fill, submit … publish."""

import pytest

from hoshin.evaluations.models import EvaluationSheet, Stage
from hoshin.evaluations.services.sheets import indicator_add, sheet_update
from hoshin.evaluations.services.workflow import sheet_transition
from hoshin.evaluations.tests.factories import (
    COMPLETE_VALUES,
    TODAY,
    make_world,
    open_year,
    sheet_of,
)

pytestmark = pytest.mark.django_db


def test_a_sheet_goes_from_draft_to_published_and_only_then_is_public():
    world = make_world()
    cycle = open_year(world)
    sheet = sheet_of(cycle, world.bousai_action)
    assert sheet.department == world.bousai and sheet.stage == Stage.DRAFT
    indicator = indicator_add(
        sheet=sheet, by=world.editor, name="配布部数", unit="部", expected_version=1
    )
    result = sheet_update(
        sheet=sheet,
        by=world.editor,
        raw={
            **COMPLETE_VALUES,
            f"indicator.{indicator.pk}.baseline": "100",
            f"indicator.{indicator.pk}.target": "1,000",
            f"indicator.{indicator.pk}.actual": "550",
            "cost.actual.general": "1200",
            "cost.actual.person_years": "0.5",
        },
        expected_version=2,
        today=TODAY,
    )
    assert result.sheet.version == 3
    assert result.changes["overall_grade"] == ["", "A"]
    indicator.refresh_from_db()
    assert indicator.progress_rate == pytest.approx(0.5)
    assert not EvaluationSheet.objects.published().exists()
    for name, user in (
        ("submit", world.editor),
        ("approve", world.head),
        ("finalize", world.planner),
    ):
        sheet = sheet_transition(sheet=sheet, by=user, name=name)
    assert sheet.stage == Stage.FINAL and not EvaluationSheet.objects.published().exists()
    sheet = sheet_transition(sheet=sheet, by=world.planner, name="publish")
    assert list(EvaluationSheet.objects.published()) == [sheet]
    assert [t.to_stage for t in sheet.transitions.all()] == [
        Stage.SUBMITTED,
        Stage.APPROVED,
        Stage.FINAL,
        Stage.PUBLISHED,
    ]
