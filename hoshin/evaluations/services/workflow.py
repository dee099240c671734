"""Moving sheets through draft → submitted → approved → final → published, and back.

The table TRANSITIONS is the whole workflow: which stages a move starts from, where it goes,
who may make it and whether a comment is required. Views, bulk actions and commands all call
``sheet_transition`` (or ``sheets_publish`` for a whole plan and year).
"""

import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from hoshin.audit.services import audit_record
from hoshin.changes.channel import announce
from hoshin.evaluations.models import EvaluationCycle, EvaluationSheet, SheetTransition, Stage
from hoshin.evaluations.selectors.access import is_editor_of, is_head_of
from hoshin.evaluations.services.errors import SheetPermissionError, WorkflowError
from hoshin.evaluations.signals import sheets_published
from hoshin.org.roles import is_planning_office

# A transition's comment and the 二次評価の所見 are free text without a column limit; the form,
# the API and every other caller are held to this one.
COMMENT_MAX_LENGTH = 4000


def _checked_text(text: str, *, what: str) -> str:
    """``text`` stripped; WorkflowError if too long or holding control characters (NUL …)."""
    text = (text or "").strip()
    if len(text) > COMMENT_MAX_LENGTH:
        raise WorkflowError(
            f"{what}は{COMMENT_MAX_LENGTH:,}文字以内にしてください（{len(text):,}文字あります）。"
        )
    if any(unicodedata.category(char) == "Cc" and char not in "\r\n\t" for char in text):
        raise WorkflowError(f"{what}に制御文字は使えません。")
    return text


@dataclass(frozen=True)
class Transition:
    name: str
    label: str
    sources: frozenset[str]
    target: str
    allowed: Callable[..., bool]
    comment_required: bool = False


def _editor(user, sheet) -> bool:
    return is_editor_of(user=user, sheet=sheet)


def _head(user, sheet) -> bool:
    return is_head_of(user=user, sheet=sheet)


def _planning(user, sheet) -> bool:
    return is_planning_office(user=user)


TRANSITIONS: dict[str, Transition] = {
    t.name: t
    for t in (
        Transition(
            "submit", "提出する", frozenset({Stage.DRAFT, Stage.RETURNED}), Stage.SUBMITTED, _editor
        ),
        Transition(
            "approve", "承認する（一次評価）", frozenset({Stage.SUBMITTED}), Stage.APPROVED, _head
        ),
        Transition(
            "return_to_editor",
            "担当者に差し戻す",
            frozenset({Stage.SUBMITTED}),
            Stage.RETURNED,
            _head,
            True,
        ),
        Transition(
            "finalize", "確定する（二次評価）", frozenset({Stage.APPROVED}), Stage.FINAL, _planning
        ),
        Transition(
            "send_back",
            "差し戻す（企画担当）",
            frozenset({Stage.SUBMITTED, Stage.APPROVED, Stage.FINAL, Stage.PUBLISHED}),
            Stage.RETURNED,
            _planning,
            True,
        ),
        Transition("publish", "公表する", frozenset({Stage.FINAL}), Stage.PUBLISHED, _planning),
        Transition(
            "unpublish",
            "公表を取り下げる",
            frozenset({Stage.PUBLISHED}),
            Stage.FINAL,
            _planning,
            True,
        ),
    )
}


def transitions_available(*, sheet: EvaluationSheet, user) -> list[Transition]:
    """The moves ``user`` may make on ``sheet`` now, for buttons."""
    return [t for t in TRANSITIONS.values() if sheet.stage in t.sources and t.allowed(user, sheet)]


def missing_for_submit(*, sheet: EvaluationSheet) -> list[str]:
    """Labels of what must be filled before a sheet can leave its department."""
    missing = []
    if sheet.has_block("purpose"):
        for name in ("purpose_target", "purpose_intent", "purpose_means"):
            if not getattr(sheet, name).strip():
                missing.append(str(EvaluationSheet._meta.get_field(name).verbose_name))
    if sheet.has_block("viewpoints"):
        scores = sheet.viewpoint_scores or {}
        missing += [
            f"評価の視点：{vp['label']}"
            for vp in sheet.scales.get("viewpoints", [])
            if not scores.get(vp["code"])
        ]
        if not sheet.overall_grade:
            missing.append("総合評価")
        if not sheet.future_direction:
            missing.append("今後の方向性")
    if sheet.has_block("progress") and not sheet.progress_status:
        missing.append("進捗状況")
    return missing


@transaction.atomic
def sheet_transition(
    *, sheet: EvaluationSheet, by, name: str, comment: str = "", review_comment: str | None = None
) -> EvaluationSheet:
    """Make one workflow move, recording who, when and the comment."""
    transition = TRANSITIONS.get(name)
    if transition is None:
        raise WorkflowError(f"操作「{name}」はありません。")
    sheet = (
        EvaluationSheet.objects.select_for_update().select_related("cycle__plan").get(pk=sheet.pk)
    )
    if sheet.stage not in transition.sources:
        raise WorkflowError(
            f"「{sheet.get_stage_display()}」のシートは「{transition.label}」ことができません。"
        )
    if not transition.allowed(by, sheet):
        raise SheetPermissionError(f"「{transition.label}」権限がありません。")
    comment = _checked_text(comment, what="コメント")
    if review_comment is not None:
        review_comment = _checked_text(review_comment, what="二次評価の所見")
    if transition.comment_required and not comment:
        raise WorkflowError(f"「{transition.label}」理由をコメントに書いてください。")
    if name == "submit":
        missing = missing_for_submit(sheet=sheet)
        if missing:
            raise WorkflowError("提出する前に入力してください: " + "、".join(missing))
    _move(sheet, transition.target, by=by, comment=comment, review_comment=review_comment)
    if transition.target == Stage.PUBLISHED:
        _results_published([sheet.pk])
    return sheet


def _results_published(sheet_ids: list[int]) -> None:
    """Tell the listeners of ``sheets_published`` (voices closes the loop with its writers)."""
    sheets_published.send(sender=EvaluationSheet, sheet_ids=list(sheet_ids))


def _move(sheet: EvaluationSheet, target: str, *, by, comment: str, review_comment=None) -> None:
    source = sheet.stage
    sheet.stage = target
    update = ["stage", "updated_at"]
    if target == Stage.PUBLISHED:
        sheet.published_at = timezone.now()
        update.append("published_at")
    elif source == Stage.PUBLISHED:
        sheet.published_at = None
        update.append("published_at")
    if review_comment is not None and target == Stage.FINAL:
        sheet.review_comment = review_comment.strip()
        update.append("review_comment")
    sheet.save(update_fields=update)
    SheetTransition.objects.create(
        sheet=sheet, from_stage=source, to_stage=target, by=by, comment=comment
    )
    audit_record(
        actor=by,
        verb=f"sheet.{target}",
        target=sheet,
        summary=f"評価シート「{sheet}」{Stage(source).label} → {Stage(target).label}",
        data={"comment": comment},
    )


@transaction.atomic
def sheets_publish(*, cycle: EvaluationCycle, by, department=None) -> int:
    """Publish every final sheet of a plan's year (optionally one department's): a deliberate act."""
    if not is_planning_office(user=by):
        raise SheetPermissionError("公表は企画担当だけが行えます。")
    sheets = cycle.sheets.select_for_update().filter(stage=Stage.FINAL)
    if department is not None:
        sheets = sheets.filter(department=department)
    now = timezone.now()
    ids = list(sheets.values_list("pk", flat=True))
    EvaluationSheet.objects.filter(pk__in=ids).update(
        stage=Stage.PUBLISHED, published_at=now, updated_at=now
    )
    SheetTransition.objects.bulk_create(
        SheetTransition(sheet_id=pk, from_stage=Stage.FINAL, to_stage=Stage.PUBLISHED, by=by)
        for pk in ids
    )
    announce(sheet_ids=ids)  # the bulk update above sends no model signals
    _results_published(ids)
    audit_record(
        actor=by,
        verb="cycle.publish",
        target=cycle,
        summary=f"{cycle} の確定済みシート {len(ids)} 件を公表",
        data={"department": department.pk if department else None},
    )
    return len(ids)
