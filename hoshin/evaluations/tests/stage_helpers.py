"""Move a test sheet to any workflow stage through the services, as its real users would."""

from hoshin.evaluations.models import EvaluationSheet, Stage
from hoshin.evaluations.services.sheets import sheet_update
from hoshin.evaluations.services.workflow import sheet_transition
from hoshin.evaluations.tests.factories import COMPLETE_VALUES, TODAY, World


def people(world: World, sheet: EvaluationSheet):
    """(editor, head) of the sheet's department; the planning office for 全庁 sheets."""
    if sheet.department_id == world.bousai.pk:
        return world.editor, world.head
    if sheet.department_id == world.zaisei.pk:
        return world.other_editor, world.other_head
    return world.planner, world.planner


def fill(world: World, sheet: EvaluationSheet, raw: dict | None = None) -> EvaluationSheet:
    """Save everything a sheet needs to be submitted (plus ``raw``) as its editor."""
    sheet.refresh_from_db()
    editor, _ = people(world, sheet)
    return sheet_update(
        sheet=sheet,
        by=editor,
        raw={**COMPLETE_VALUES, **(raw or {})},
        expected_version=sheet.version,
        today=TODAY,
    ).sheet


def advance(
    world: World, sheet: EvaluationSheet, stage: str, *, comment: str = ""
) -> EvaluationSheet:
    """Take a draft sheet to ``stage``; RETURNED goes via submit and the head's send-back."""
    editor, head = people(world, sheet)
    if stage == Stage.DRAFT:
        return sheet
    sheet = sheet_transition(sheet=sheet, by=editor, name="submit")
    if stage == Stage.SUBMITTED:
        return sheet
    if stage == Stage.RETURNED:
        return sheet_transition(
            sheet=sheet, by=head, name="return_to_editor", comment=comment or "確認してください"
        )
    sheet = sheet_transition(sheet=sheet, by=head, name="approve")
    if stage == Stage.APPROVED:
        return sheet
    sheet = sheet_transition(sheet=sheet, by=world.planner, name="finalize")
    if stage == Stage.FINAL:
        return sheet
    return sheet_transition(sheet=sheet, by=world.planner, name="publish")
