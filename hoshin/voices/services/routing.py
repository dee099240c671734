"""Routing a voice (public-hearing office): classify, assign, link actions, flag, close, forward.

Statuses: received → assigned (a lead department is set) → answering (the department started
a reply, services/replies.py) → answered (the reply was sent); or closed without reply (reason
required) or forwarded elsewhere (where to, required). Every step is a VoiceEvent with a staff
note and an optional ``public_note`` that the writer reads on the status page; closing and
forwarding always explain themselves to the writer (``status_reason``).
"""

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from hoshin.audit.services import audit_record
from hoshin.org.models import Department
from hoshin.org.roles import is_public_hearing_office
from hoshin.plans.models import Action
from hoshin.voices.models import (
    CitizenVoice,
    ReplyEvent,
    ReplyStage,
    VoiceCategory,
    VoiceEvent,
    VoiceEventStep,
    VoiceReply,
    VoiceStatus,
)
from hoshin.voices.services.errors import VoiceError, VoicePermissionError

TERMINAL = (VoiceStatus.ANSWERED, VoiceStatus.CLOSED, VoiceStatus.FORWARDED)
NOTE_LIMIT = 2000


def _check_office(by) -> None:
    if not is_public_hearing_office(user=by):
        raise VoicePermissionError("市民の声の振り分けは広聴担当だけが行えます。")


def _locked(voice: CitizenVoice) -> CitizenVoice:
    return CitizenVoice.objects.select_for_update().get(pk=voice.pk)


def _clean(text: str, *, label: str, required: bool = False) -> str:
    text = (text or "").replace("\r\n", "\n").strip()
    if required and not text:
        raise VoiceError(f"{label}を入力してください。")
    if len(text) > NOTE_LIMIT:
        raise VoiceError(f"{label}は{NOTE_LIMIT:,}文字以内にしてください。")
    return text


def voice_event_add(
    *,
    voice: CitizenVoice,
    by,
    status: str | None = None,
    note: str = "",
    public_note: str = "",
    step: str = VoiceEventStep.NONE,
) -> VoiceEvent:
    """Record one step (the voice's current status unless ``status`` is given).

    ``step`` names what a step that keeps the status did (a new lead department, a reopening),
    so that the writer's timeline says why a status recurs instead of repeating it."""
    return VoiceEvent.objects.create(
        voice=voice,
        status=status or voice.status,
        step=step,
        note=_clean(note, label="職員用メモ"),
        public_note=_clean(public_note, label="本人に表示する説明"),
        by=by if getattr(by, "pk", None) else None,
    )


@transaction.atomic
def voice_route(
    *,
    voice: CitizenVoice,
    by,
    category: VoiceCategory | None,
    lead_department: Department | None,
    co_departments: Iterable[Department] = (),
    mayor_flag: bool | None = None,
    note: str = "",
    public_note: str = "",
) -> CitizenVoice:
    """Classify the voice and choose its lead and co-departments (received → assigned)."""
    _check_office(by)
    voice = _locked(voice)
    if voice.status in TERMINAL:
        raise VoiceError(f"「{voice.get_status_display()}」の市民の声は振り分けを変更できません。")
    co_departments = [d for d in co_departments if d != lead_department]
    changes = []
    if voice.category_id != (category.pk if category else None):
        changes.append(f"分類: {category or '未設定'}")
        voice.category = category
    before_lead = voice.lead_department_id
    if voice.lead_department_id != (lead_department.pk if lead_department else None):
        if lead_department is None and voice.status == VoiceStatus.ANSWERING:
            raise VoiceError("回答を作成中の市民の声から主管課を外すことはできません。")
        changes.append(f"主管課: {lead_department.name if lead_department else '未設定'}")
        voice.lead_department = lead_department
    before_co = set(voice.co_departments.values_list("pk", flat=True))
    if before_co != {d.pk for d in co_departments}:
        changes.append("関係課: " + ("、".join(d.name for d in co_departments) or "なし"))
    status_before = voice.status
    # A new lead department after one was chosen: the writer is told, without the reasons.
    rerouted = (
        bool(before_lead)
        and voice.lead_department_id is not None
        and before_lead != voice.lead_department_id
    )
    if voice.status == VoiceStatus.RECEIVED and voice.lead_department_id:
        voice.status = VoiceStatus.ASSIGNED
    elif voice.status == VoiceStatus.ASSIGNED and not voice.lead_department_id:
        voice.status = VoiceStatus.RECEIVED
    voice.save()
    voice.co_departments.set(co_departments)
    if mayor_flag is not None and mayor_flag != voice.mayor_flag:
        _set_mayor_flag(voice, by=by, flag=mayor_flag)
        changes.append("市長決裁: " + ("必要" if mayor_flag else "不要"))
    if changes or note or public_note or voice.status != status_before:
        if voice.status == VoiceStatus.ASSIGNED and status_before != voice.status:
            public_note = public_note or f"担当課（{voice.lead_department.name}）が決まりました。"
        elif rerouted:
            public_note = public_note or f"新しい担当課は{voice.lead_department.name}です。"
        voice_event_add(
            voice=voice,
            by=by,
            note="\n".join(filter(None, ["、".join(changes), note])),
            public_note=public_note,
            step=VoiceEventStep.REROUTED if rerouted else VoiceEventStep.NONE,
        )
        audit_record(
            actor=by,
            verb="voice.route",
            target=voice,
            summary=f"市民の声 {voice.receipt_number} を振り分け（{'、'.join(changes) or 'メモ'}）",
        )
    return voice


def _set_mayor_flag(voice: CitizenVoice, *, by, flag: bool) -> None:
    """Flag (or unflag) for the mayor; a reply already past the office follows the new rule."""
    voice.mayor_flag = flag
    voice.save(update_fields=["mayor_flag", "updated_at"])
    reply = VoiceReply.objects.select_for_update().filter(voice=voice).first()
    if reply is None:
        return
    if flag and reply.stage == ReplyStage.APPROVED:
        _move_reply(
            reply,
            ReplyStage.OFFICE_APPROVED,
            by,
            "市長決裁が必要になったため、決裁待ちに戻しました。",
        )
    elif not flag and reply.stage == ReplyStage.OFFICE_APPROVED:
        _move_reply(
            reply, ReplyStage.APPROVED, by, "市長決裁が不要になったため、送付待ちにしました。"
        )


def _move_reply(reply: VoiceReply, target: str, by, comment: str) -> None:
    ReplyEvent.objects.create(
        reply=reply, from_stage=reply.stage, to_stage=target, by=by, comment=comment
    )
    reply.stage = target
    reply.save(update_fields=["stage"])


@transaction.atomic
def voice_link_action(*, voice: CitizenVoice, by, action: Action) -> CitizenVoice:
    """Link a plan action the voice is about (shown on the action's portal page once published)."""
    _check_office(by)
    if voice.actions.filter(pk=action.pk).exists():
        return voice
    voice.actions.add(action)
    voice_event_add(voice=voice, by=by, note=f"関連する取組を追加: {action.heading}")
    audit_record(
        actor=by,
        verb="voice.link_action",
        target=voice,
        summary=f"市民の声 {voice.receipt_number} に取組「{action.heading}」を関連付け",
    )
    return voice


@transaction.atomic
def voice_unlink_action(*, voice: CitizenVoice, by, action: Action) -> CitizenVoice:
    """Remove a linked action."""
    _check_office(by)
    if not voice.actions.filter(pk=action.pk).exists():
        return voice
    voice.actions.remove(action)
    voice_event_add(voice=voice, by=by, note=f"関連する取組を削除: {action.heading}")
    audit_record(
        actor=by,
        verb="voice.unlink_action",
        target=voice,
        summary=f"市民の声 {voice.receipt_number} から取組「{action.heading}」を削除",
    )
    return voice


def _finish(voice: CitizenVoice, *, status: str, reason: str) -> None:
    voice.status = status
    voice.status_reason = reason
    voice.closed_at = timezone.now()
    voice.save(update_fields=["status", "status_reason", "closed_at", "updated_at"])


@transaction.atomic
def voice_close(*, voice: CitizenVoice, by, reason: str, note: str = "") -> CitizenVoice:
    """Close without a reply; ``reason`` is shown to the writer."""
    _check_office(by)
    reason = _clean(reason, label="回答なしで終了する理由（本人に表示）", required=True)
    voice = _locked(voice)
    if voice.status not in VoiceStatus.open():
        raise VoiceError(f"「{voice.get_status_display()}」の市民の声は終了できません。")
    _finish(voice, status=VoiceStatus.CLOSED, reason=reason)
    voice_event_add(voice=voice, by=by, note=note, public_note=reason)
    audit_record(
        actor=by,
        verb="voice.close",
        target=voice,
        summary=f"市民の声 {voice.receipt_number} を回答なしで終了: {reason}",
    )
    return voice


@transaction.atomic
def voice_forward(*, voice: CitizenVoice, by, to: str, note: str = "") -> CitizenVoice:
    """Forward to another body (国・県・警察 …); where to is shown to the writer."""
    _check_office(by)
    to = _clean(to, label="回送先", required=True)
    voice = _locked(voice)
    if voice.status not in VoiceStatus.open():
        raise VoiceError(f"「{voice.get_status_display()}」の市民の声は回送できません。")
    public = f"{to}へ回送しました。今後は{to}から対応があります。"
    _finish(voice, status=VoiceStatus.FORWARDED, reason=to)
    voice_event_add(voice=voice, by=by, note=note, public_note=public)
    audit_record(
        actor=by,
        verb="voice.forward",
        target=voice,
        summary=f"市民の声 {voice.receipt_number} を{to}へ回送",
    )
    return voice


@transaction.atomic
def voice_reopen(*, voice: CitizenVoice, by, reason: str) -> CitizenVoice:
    """Undo closing or forwarding (a mistake, or the writer wrote again); reason required."""
    _check_office(by)
    reason = _clean(reason, label="再開する理由", required=True)
    voice = _locked(voice)
    if voice.status not in (VoiceStatus.CLOSED, VoiceStatus.FORWARDED):
        raise VoiceError("再開できるのは、回答なしで終了または回送した市民の声だけです。")
    if voice.personal_data_deleted_at:
        raise VoiceError("個人情報を削除した市民の声は再開できません。")
    voice.status = VoiceStatus.ASSIGNED if voice.lead_department_id else VoiceStatus.RECEIVED
    voice.status_reason = ""
    voice.closed_at = None
    voice.save(update_fields=["status", "status_reason", "closed_at", "updated_at"])
    voice_event_add(
        voice=voice,
        by=by,
        note=reason,
        public_note="対応を再開しました。",
        step=VoiceEventStep.REOPENED,
    )
    audit_record(
        actor=by,
        verb="voice.reopen",
        target=voice,
        summary=f"市民の声 {voice.receipt_number} の対応を再開: {reason}",
    )
    return voice


@transaction.atomic
def voice_note_add(*, voice: CitizenVoice, by, note: str, public_note: str = "") -> VoiceEvent:
    """A note in the voice's history (optionally one the writer reads, e.g. a delay)."""
    _check_office(by)
    note = _clean(note, label="職員用メモ")
    public_note = _clean(public_note, label="本人に表示する説明")
    if not (note or public_note):
        raise VoiceError("メモか本人に表示する説明を入力してください。")
    event = voice_event_add(voice=voice, by=by, note=note, public_note=public_note)
    audit_record(
        actor=by,
        verb="voice.note",
        target=voice,
        summary=f"市民の声 {voice.receipt_number} にメモを追加",
    )
    return event
