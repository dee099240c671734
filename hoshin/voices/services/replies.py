"""The reply: drafted by the lead department, approved in turn, sent by the public-hearing office.

    draft ──submit──▶ submitted ──approve_department──▶ department_approved
      ▲                  (head)                            │ approve_office (広聴担当)
      │                                                    ▼
      │                      approved ◀──approve_mayor── office_approved   (mayor_flag only)
      │                         │          (市長公室)
      └──send_back (comment)────┤  any approver at their stage
                                ▼ send (広聴担当: e-mail, printed letter or other)
                               sent  → the voice is answered

The table TRANSITIONS is the whole approval flow; ``reply_transition`` makes a move,
``reply_save`` writes the draft with an optimistic version check and ``reply_send`` sends.
"""

import logging
import smtplib
from collections.abc import Callable
from dataclasses import dataclass

from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from hoshin.audit.services import audit_record
from hoshin.lib.city import city_name, mail_subject_tag
from hoshin.lib.fiscal import format_date
from hoshin.org.contact import department_contact
from hoshin.org.models import TEXT_LIMIT
from hoshin.org.roles import is_public_hearing_office
from hoshin.voices.models import (
    CitizenVoice,
    PersonalDataView,
    ReplyEvent,
    ReplyStage,
    VoiceReply,
    VoiceStatus,
    VoiceWriter,
)
from hoshin.voices.selectors.access import VoiceAccess, voice_access
from hoshin.voices.services.errors import (
    ReplyConflictError,
    ReplySendError,
    VoiceError,
    VoicePermissionError,
)
from hoshin.voices.services.routing import voice_event_add

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class ReplyTransition:
    name: str
    label: str
    sources: frozenset[str]
    allowed: Callable[[VoiceAccess], bool]
    comment_required: bool = False

    def target(self, reply: VoiceReply) -> str:
        if self.name == "submit":
            return ReplyStage.SUBMITTED
        if self.name == "approve_department":
            return ReplyStage.DEPARTMENT_APPROVED
        if self.name == "approve_office":
            return ReplyStage.OFFICE_APPROVED if reply.voice.mayor_flag else ReplyStage.APPROVED
        if self.name == "approve_mayor":
            return ReplyStage.APPROVED
        return ReplyStage.DRAFT  # send_back


def _may_send_back(access: VoiceAccess, stage: str) -> bool:
    """The approver who holds the reply at ``stage`` (the office may also recall it later)."""
    return {
        ReplyStage.SUBMITTED: access.approve_department,
        ReplyStage.DEPARTMENT_APPROVED: access.office,
        ReplyStage.OFFICE_APPROVED: access.approve_mayor or access.office,
        ReplyStage.APPROVED: access.office,
    }.get(stage, False)


TRANSITIONS: dict[str, ReplyTransition] = {
    t.name: t
    for t in (
        ReplyTransition(
            "submit", "所属長に提出する", frozenset({ReplyStage.DRAFT}), lambda a: a.draft
        ),
        ReplyTransition(
            "approve_department",
            "承認する（所属長）",
            frozenset({ReplyStage.SUBMITTED}),
            lambda a: a.approve_department,
        ),
        ReplyTransition(
            "approve_office",
            "承認する（広聴担当）",
            frozenset({ReplyStage.DEPARTMENT_APPROVED}),
            lambda a: a.office,
        ),
        ReplyTransition(
            "approve_mayor",
            "決裁する（市長公室）",
            frozenset({ReplyStage.OFFICE_APPROVED}),
            lambda a: a.approve_mayor,
        ),
        ReplyTransition(
            "send_back",
            "差し戻す",
            frozenset(
                {
                    ReplyStage.SUBMITTED,
                    ReplyStage.DEPARTMENT_APPROVED,
                    ReplyStage.OFFICE_APPROVED,
                    ReplyStage.APPROVED,
                }
            ),
            lambda a: True,  # narrowed by the stage in ``_allowed``
            comment_required=True,
        ),
    )
}


def _allowed(transition: ReplyTransition, access: VoiceAccess, stage: str) -> bool:
    if transition.name == "send_back":
        return _may_send_back(access, stage)
    return transition.allowed(access)


def transitions_available(*, reply: VoiceReply, user, access: VoiceAccess | None = None):
    """The moves ``user`` may make on ``reply`` now, for buttons."""
    access = access or voice_access(user=user, voice=reply.voice)
    if reply.voice.status not in VoiceStatus.open():
        return []
    return [
        t
        for t in TRANSITIONS.values()
        if reply.stage in t.sources and _allowed(t, access, reply.stage)
    ]


def _locked_reply(reply: VoiceReply) -> VoiceReply:
    return VoiceReply.objects.select_for_update().select_related("voice").get(pk=reply.pk)


@transaction.atomic
def reply_save(*, voice: CitizenVoice, by, body: str, expected_version: int) -> VoiceReply:
    """Write the draft (``expected_version`` 0 creates it); a stale page is refused, not merged."""
    voice = CitizenVoice.objects.select_for_update().get(pk=voice.pk)
    if not voice_access(user=by, voice=voice).draft:
        raise VoicePermissionError("この回答を作成する権限がありません（主管課の担当者のみ）。")
    if voice.status not in (VoiceStatus.ASSIGNED, VoiceStatus.ANSWERING):
        raise VoiceError(f"「{voice.get_status_display()}」の市民の声には回答を作成できません。")
    body = (body or "").replace("\r\n", "\n").strip()
    if len(body) > TEXT_LIMIT:
        raise VoiceError(f"回答は{TEXT_LIMIT:,}文字以内にしてください。")
    reply = VoiceReply.objects.select_for_update().filter(voice=voice).first()
    if reply is None:
        if expected_version != 0:
            raise ReplyConflictError(current_version=0)
        reply = VoiceReply.objects.create(voice=voice, body=body, drafted_by=by, version=1)
    else:
        if reply.version != expected_version:
            raise ReplyConflictError(current_version=reply.version, by=str(reply.drafted_by or ""))
        if reply.stage != ReplyStage.DRAFT:
            raise VoiceError(
                f"「{reply.get_stage_display()}」の回答は編集できません。差し戻されると編集できます。"
            )
        if reply.body == body:
            return reply
        reply.body = body
        reply.version += 1
        reply.drafted_by = by
        reply.save(update_fields=["body", "version", "drafted_by"])
    if voice.status == VoiceStatus.ASSIGNED:
        voice.status = VoiceStatus.ANSWERING
        voice.save(update_fields=["status", "updated_at"])
        voice_event_add(
            voice=voice,
            by=by,
            note="回答の作成を開始",
            public_note="担当課が回答を作成しています。",
        )
    audit_record(
        actor=by,
        verb="voice_reply.save",
        target=reply,
        summary=f"市民の声 {voice.receipt_number} の回答案を保存（第{reply.version}版）",
    )
    return reply


@transaction.atomic
def reply_transition(*, reply: VoiceReply, by, name: str, comment: str = "") -> VoiceReply:
    """Make one approval move, recording who, when and the comment."""
    transition = TRANSITIONS.get(name)
    if transition is None:
        raise VoiceError(f"操作「{name}」はありません。")
    reply = _locked_reply(reply)
    voice = reply.voice
    access = voice_access(user=by, voice=voice)
    if not access.history:
        # Before the stage check: a stranger learns nothing about the reply.
        raise VoicePermissionError(f"「{transition.label}」権限がありません。")
    if reply.stage not in transition.sources:
        raise VoiceError(
            f"「{reply.get_stage_display()}」の回答は「{transition.label}」ことができません。"
        )
    if voice.status not in VoiceStatus.open():
        raise VoiceError(f"「{voice.get_status_display()}」の市民の声の回答は操作できません。")
    if not _allowed(transition, access, reply.stage):
        raise VoicePermissionError(f"「{transition.label}」権限がありません。")
    comment = (comment or "").strip()
    if transition.comment_required and not comment:
        raise VoiceError(f"「{transition.label}」理由をコメントに書いてください。")
    if name == "submit" and not reply.body.strip():
        raise VoiceError("回答が空です。内容を入力してから提出してください。")
    source, target = reply.stage, transition.target(reply)
    reply.stage = target
    reply.save(update_fields=["stage"])
    ReplyEvent.objects.create(
        reply=reply, from_stage=source, to_stage=target, by=by, comment=comment
    )
    audit_record(
        actor=by,
        verb=f"voice_reply.{name}",
        target=reply,
        summary=(
            f"市民の声 {voice.receipt_number} の回答 "
            f"{ReplyStage(source).label} → {ReplyStage(target).label}"
        ),
        data={"comment": comment},
    )
    return reply


def writer_of(voice: CitizenVoice) -> VoiceWriter | None:
    try:
        return voice.writer
    except VoiceWriter.DoesNotExist:
        return None


def personal_data_viewed(
    *, voice: CitizenVoice, by, purpose: str, detail: str = "", attachment_id: int | None = None
) -> PersonalDataView:
    """Log one use of the writer's personal details (every view, download, e-mail or letter).

    Every use goes through here, so here is where it is refused to anyone but the public-hearing
    office (a scheduled job passes ``by=None``). The use goes both to the voice's own access log
    (PersonalDataView, with ``detail`` such as an attachment's file name) and to the audit
    trail's hash chain (receipt number, purpose and ids only: never the details themselves).
    """
    if by is not None and not is_public_hearing_office(user=by):
        raise VoicePermissionError("投稿者の個人情報は広聴担当だけが扱えます。")
    with transaction.atomic():
        view = PersonalDataView.objects.create(
            voice=voice,
            user=by if getattr(by, "pk", None) else None,
            purpose=(f"{purpose}（{detail}）" if detail else purpose)[:100],
        )
        data = {"purpose": purpose, "access_log": view.pk}
        if attachment_id is not None:
            data["attachment"] = attachment_id
        audit_record(
            actor=by,
            verb="voice.personal_data_view",
            target=voice,
            summary=f"市民の声 {voice.receipt_number} の投稿者の個人情報を利用（{purpose}）",
            data=data,
        )
    return view


def send_methods_for(voice: CitizenVoice) -> list[tuple[str, str, bool]]:
    """(method, label, possible) for the send form: e-mail needs an address, a letter a postal one."""
    writer = writer_of(voice)
    email = bool(writer and writer.email and not voice.personal_data_deleted_at)
    post = bool(writer and writer.postal_address and not voice.personal_data_deleted_at)
    return [
        (VoiceReply.Method.EMAIL, VoiceReply.Method.EMAIL.label, email),
        (VoiceReply.Method.LETTER, VoiceReply.Method.LETTER.label, post),
        (VoiceReply.Method.OTHER, VoiceReply.Method.OTHER.label, True),
    ]


def reply_email(*, reply: VoiceReply, writer: VoiceWriter) -> EmailMultiAlternatives:
    """The reply as an e-mail to the writer (templates/voices/email/reply_*.txt)."""
    voice = reply.voice
    context = {
        "voice": voice,
        "reply": reply,
        "writer": writer,
        "city_name": city_name(),
        "subject_tag": mail_subject_tag(),
        "received_label": format_date(voice.received_on),
        "today_label": format_date(timezone.localdate()),
        "department": voice.lead_department,
        "contact": department_contact(voice.lead_department),
    }
    subject = " ".join(render_to_string("voices/email/reply_subject.txt", context).split())
    body = render_to_string("voices/email/reply_body.txt", context)
    return EmailMultiAlternatives(subject=subject, body=body, to=[writer.email])


@transaction.atomic
def reply_send(*, reply: VoiceReply, by, method: str) -> VoiceReply:
    """Send the approved reply and mark the voice answered (the public-hearing office)."""
    reply = _locked_reply(reply)
    voice = reply.voice
    if not voice_access(user=by, voice=voice).office:
        raise VoicePermissionError("回答の送付は広聴担当だけが行えます。")
    if reply.stage != ReplyStage.APPROVED:
        raise VoiceError(
            f"「{reply.get_stage_display()}」の回答は送付できません（承認が済んでいません）。"
        )
    if voice.status not in VoiceStatus.open():
        raise VoiceError(f"「{voice.get_status_display()}」の市民の声には回答を送付できません。")
    possible = {value: ok for value, _label, ok in send_methods_for(voice)}
    if method not in possible:
        raise VoiceError("送付方法を選んでください。")
    if not possible[method]:
        missing = "メールアドレス" if method == VoiceReply.Method.EMAIL else "住所"
        raise ReplySendError(f"投稿者の{missing}がないため、この方法では送付できません。")
    now = timezone.now()
    source = reply.stage
    reply.stage = ReplyStage.SENT
    reply.sent_at = now
    reply.sent_method = method
    reply.save(update_fields=["stage", "sent_at", "sent_method"])
    ReplyEvent.objects.create(
        reply=reply, from_stage=source, to_stage=ReplyStage.SENT, by=by, comment=""
    )
    voice.status = VoiceStatus.ANSWERED
    voice.answered_at = now
    voice.closed_at = now
    voice.save(update_fields=["status", "answered_at", "closed_at", "updated_at"])
    how = {
        VoiceReply.Method.EMAIL: "電子メールで回答をお送りしました。",
        VoiceReply.Method.LETTER: "文書（郵送）で回答をお送りしました。",
        VoiceReply.Method.OTHER: "回答しました。",
    }[method]
    voice_event_add(
        voice=voice, by=by, note=f"回答を送付（{VoiceReply.Method(method).label}）", public_note=how
    )
    audit_record(
        actor=by,
        verb="voice_reply.send",
        target=reply,
        summary=f"市民の声 {voice.receipt_number} の回答を送付（{VoiceReply.Method(method).label}）",
    )
    if method == VoiceReply.Method.EMAIL:
        # Last, inside the transaction: a refused e-mail rolls every row above back.
        personal_data_viewed(voice=voice, by=by, purpose="回答のメール送信")
        try:
            reply_email(reply=reply, writer=writer_of(voice)).send()
        except (smtplib.SMTPException, OSError) as exc:
            logger.warning("reply %s could not be sent: %s", voice.receipt_number, exc)
            raise ReplySendError(
                f"メールを送信できませんでした（{exc}）。時間をおいてもう一度送付してください。"
            ) from exc
    return reply
