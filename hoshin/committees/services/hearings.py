"""Hearings: sessions, one time slot per target, and questions sent ahead with their answers."""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from hoshin.audit.services import audit_record
from hoshin.committees.models import (
    AdvanceQuestion,
    Committee,
    CommitteeMember,
    HearingSession,
    HearingSlot,
    ReviewTarget,
)
from hoshin.committees.services.errors import CommitteePermissionError, CommitteeValidationError
from hoshin.committees.services.register import require_secretariat
from hoshin.evaluations.selectors.access import is_editor_of, is_head_of
from hoshin.org.roles import is_planning_office


@transaction.atomic
def hearing_session_add(
    *, committee: Committee, held_on: datetime.date, place: str, by, note: str = ""
) -> HearingSession:
    """Schedule a hearing session of the committee."""
    require_secretariat(user=by)
    if not place.strip():
        raise CommitteeValidationError({"place": _("会場を入力してください。")})
    session = HearingSession.objects.create(
        committee=committee, held_on=held_on, place=place.strip(), note=note.strip()
    )
    audit_record(
        actor=by,
        verb="committee.hearing_add",
        target=session,
        summary=f"ヒアリング「{session}」を登録",
    )
    return session


@transaction.atomic
def hearing_slot_add(
    *,
    session: HearingSession,
    target: ReviewTarget,
    starts_at: datetime.time,
    ends_at: datetime.time,
    by,
    attendees: str = "",
    site_visit: bool = False,
) -> HearingSlot:
    """Give a target its time in a session; slots of one session never overlap, and a target is
    heard once per session."""
    require_secretariat(user=by)
    session = HearingSession.objects.select_for_update(of=("self",)).get(pk=session.pk)
    errors = {}
    if target.committee_id != session.committee_id:
        errors["target"] = _("この委員会の評価対象ではありません。")
    elif session.slots.filter(target=target).exists():
        errors["target"] = _("この評価対象はこの回にすでに時間が割り当てられています。")
    if ends_at <= starts_at:
        errors["ends_at"] = _("終了時刻は開始時刻より後にしてください。")
    elif session.slots.filter(starts_at__lt=ends_at, ends_at__gt=starts_at).exists():
        errors["starts_at"] = _("ほかの評価対象の時間と重なっています。")
    if errors:
        raise CommitteeValidationError(errors)
    slot = HearingSlot.objects.create(
        session=session,
        target=target,
        starts_at=starts_at,
        ends_at=ends_at,
        attendees=attendees.strip(),
        site_visit=site_visit,
    )
    audit_record(
        actor=by,
        verb="committee.hearing_slot_add",
        target=slot,
        summary=f"ヒアリング「{session}」に「{target}」を割り当て",
    )
    return slot


@transaction.atomic
def question_ask(
    *, target: ReviewTarget, question: str, by, member: CommitteeMember | None = None
) -> AdvanceQuestion:
    """Send a question ahead of the hearing: a member in their own name (or the secretariat for
    them, or for the committee as a whole with no member)."""
    if member is not None and member.committee_id != target.committee_id:
        raise CommitteeValidationError({"member": _("この委員会の委員ではありません。")})
    own = member is not None and member.user_id and member.user_id == getattr(by, "pk", None)
    if not own and not is_planning_office(user=by):
        raise CommitteePermissionError(_("事前質問を送れるのは委員本人か事務局です。"))
    if not question.strip():
        raise CommitteeValidationError({"question": _("質問を入力してください。")})
    asked = AdvanceQuestion.objects.create(target=target, member=member, question=question.strip())
    audit_record(
        actor=by,
        verb="committee.question_ask",
        target=asked,
        summary=f"「{target}」への事前質問を登録",
    )
    return asked


@transaction.atomic
def question_answer(*, question: AdvanceQuestion, answer: str, by) -> AdvanceQuestion:
    """The department's written answer: its editor or head (the planning office for sheets with
    no department, and on the department's behalf)."""
    question = (
        AdvanceQuestion.objects.select_for_update(of=("self",))
        .select_related("target__sheet")
        .get(pk=question.pk)
    )
    sheet = question.target.sheet
    if not (
        is_editor_of(user=by, sheet=sheet)
        or is_head_of(user=by, sheet=sheet)
        or is_planning_office(user=by)
    ):
        raise CommitteePermissionError(_("回答できるのは担当課か事務局です。"))
    if not answer.strip():
        raise CommitteeValidationError({"answer": _("回答を入力してください。")})
    question.answer = answer.strip()
    question.answered_by = by
    question.answered_at = timezone.now()
    question.save(update_fields=["answer", "answered_by", "answered_at"])
    audit_record(
        actor=by,
        verb="committee.question_answer",
        target=question,
        summary=f"「{question.target}」への事前質問に回答",
    )
    return question
