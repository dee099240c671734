"""Publishing a voice and its reply on the portal, with the writer's consent only.

1. ``publication_propose`` (public-hearing office): the summary (default: the voice's text) and
   the reply are run through ``masking.mask`` with the writer's own details; the proposal is
   stored unpublished and the page shows what was masked.
2. ``publication_update``: a person edits the proposal.
3. ``publication_publish``: checks the consent again and looks for personal details once more;
   anything still found must be fixed or explicitly confirmed as not personal.
4. ``publication_unpublish``: takes it off the portal (reason recorded).

The portal reads only ``VoicePublication.objects.published()``, which also requires the
consent, so withdrawing consent takes a voice off the portal at once.
"""

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from hoshin.audit.services import audit_record
from hoshin.changes.channel import announce
from hoshin.org.models import TEXT_LIMIT
from hoshin.org.roles import is_public_hearing_office
from hoshin.voices.models import (
    CitizenVoice,
    ReplyStage,
    VoiceEventStep,
    VoicePublication,
    VoiceReply,
    VoiceStatus,
)
from hoshin.voices.services.errors import (
    ConsentError,
    PublicationCheckError,
    VoiceError,
    VoicePermissionError,
)
from hoshin.voices.services.masking import MaskResult, mask_for_writer
from hoshin.voices.services.replies import writer_of
from hoshin.voices.services.routing import voice_event_add

CONSENT_MESSAGE = "投稿者が公表に同意していないため、公表できません。"


@dataclass
class Proposal:
    publication: VoicePublication
    title: MaskResult  # masking of each source text (findings point into it)
    summary: MaskResult
    reply: MaskResult


def _check(by, voice: CitizenVoice) -> None:
    if not is_public_hearing_office(user=by):
        raise VoicePermissionError("公表は広聴担当だけが行えます。")
    if not voice.publish_consent:
        raise ConsentError(CONSENT_MESSAGE)


def _clean(text: str, label: str) -> str:
    text = (text or "").replace("\r\n", "\n").strip()
    if not text:
        raise VoiceError(f"{label}を入力してください。")
    if len(text) > TEXT_LIMIT:
        raise VoiceError(f"{label}は{TEXT_LIMIT:,}文字以内にしてください。")
    return text


def sent_reply(voice: CitizenVoice) -> VoiceReply | None:
    reply = VoiceReply.objects.filter(voice=voice).first()
    return reply if reply and reply.stage == ReplyStage.SENT else None


def proposal_masks(
    *, voice: CitizenVoice, summary: str | None = None
) -> tuple[MaskResult, MaskResult, MaskResult]:
    """The masking of the subject, the summary source and the sent reply."""
    writer = writer_of(voice)
    reply = sent_reply(voice)
    return (
        mask_for_writer(voice.subject, writer),
        mask_for_writer(summary if summary is not None else voice.body, writer),
        mask_for_writer(reply.body if reply else "", writer),
    )


@transaction.atomic
def publication_propose(*, voice: CitizenVoice, by, summary: str | None = None) -> Proposal:
    """Open (or redo) a proposed publication with personal details masked; nothing goes out."""
    voice = CitizenVoice.objects.select_for_update().get(pk=voice.pk)
    _check(by, voice)
    if voice.status != VoiceStatus.ANSWERED or sent_reply(voice) is None:
        raise VoiceError("公表できるのは、回答を送付した市民の声だけです。")
    title_mask, summary_mask, reply_mask = proposal_masks(voice=voice, summary=summary)
    publication, _created = VoicePublication.objects.select_for_update().get_or_create(
        voice=voice,
        defaults={
            "title": title_mask.text[:200],
            "summary": summary_mask.text,
            "reply_text": reply_mask.text,
            "answering_department": voice.lead_department,
        },
    )
    if not _created:
        if publication.is_published:
            raise VoiceError("公表中です。作り直す前に公表を取り下げてください。")
        publication.title = title_mask.text[:200]
        publication.summary = summary_mask.text
        publication.reply_text = reply_mask.text
        publication.answering_department = voice.lead_department
        publication.save(update_fields=["title", "summary", "reply_text", "answering_department"])
    audit_record(
        actor=by,
        verb="voice_publication.propose",
        target=voice,
        summary=(
            f"市民の声 {voice.receipt_number} の公表案を作成"
            f"（マスキング {len(title_mask.findings + summary_mask.findings + reply_mask.findings)}"
            " 箇所）"
        ),
    )
    return Proposal(
        publication=publication, title=title_mask, summary=summary_mask, reply=reply_mask
    )


@transaction.atomic
def publication_update(
    *, publication: VoicePublication, by, title: str, summary: str, reply_text: str
) -> VoicePublication:
    """Save a person's corrections of the proposal (also while published: the portal follows)."""
    publication = VoicePublication.objects.select_for_update().get(pk=publication.pk)
    _check(by, publication.voice)
    publication.title = _clean(title, "件名")[:200]
    publication.summary = _clean(summary, "要旨")
    publication.reply_text = _clean(reply_text, "回答")
    publication.save(update_fields=["title", "summary", "reply_text"])
    audit_record(
        actor=by,
        verb="voice_publication.update",
        target=publication.voice,
        summary=f"市民の声 {publication.voice.receipt_number} の公表内容を修正",
    )
    return publication


def publication_findings(*, publication: VoicePublication) -> list:
    """Personal details still found in what would be published (summary and reply)."""
    writer = writer_of(publication.voice)
    return [
        finding
        for text in (publication.title, publication.summary, publication.reply_text)
        for finding in mask_for_writer(text, writer).findings
    ]


@transaction.atomic
def publication_publish(
    *, publication: VoicePublication, by, confirmed_not_personal: bool = False
) -> VoicePublication:
    """Put the confirmed text on the portal; refuses without consent or with details left."""
    publication = (
        VoicePublication.objects.select_for_update().select_related("voice").get(pk=publication.pk)
    )
    voice = publication.voice
    _check(by, voice)
    if publication.is_published:
        return publication
    if not all(t.strip() for t in (publication.title, publication.summary, publication.reply_text)):
        raise VoiceError("件名・要旨・回答を入力してから公表してください。")
    findings = publication_findings(publication=publication)
    if findings and not confirmed_not_personal:
        raise PublicationCheckError(findings)
    publication.is_published = True
    publication.published_at = timezone.now()
    publication.published_by = by
    publication.save(update_fields=["is_published", "published_at", "published_by"])
    voice_event_add(
        voice=voice,
        by=by,
        note="ホームページで公表",
        public_note="お名前などの個人情報を除いて、ご意見と回答をホームページに掲載しました。",
        step=VoiceEventStep.PUBLISHED,
    )
    audit_record(
        actor=by,
        verb="voice_publication.publish",
        target=voice,
        summary=f"市民の声 {voice.receipt_number} を公表",
        data={"confirmed_not_personal": [f.original for f in findings]},
    )
    return publication


@transaction.atomic
def publication_unpublish(*, publication: VoicePublication, by, reason: str) -> VoicePublication:
    """Take a voice off the portal; the reason goes to the history and the audit log."""
    if not is_public_hearing_office(user=by):
        raise VoicePermissionError("公表の取り下げは広聴担当だけが行えます。")
    reason = (reason or "").strip()
    if not reason:
        raise VoiceError("取り下げる理由を入力してください。")
    publication = VoicePublication.objects.select_for_update().get(pk=publication.pk)
    if not publication.is_published:
        return publication
    publication.is_published = False
    publication.published_at = None
    publication.save(update_fields=["is_published", "published_at"])
    voice_event_add(
        voice=publication.voice,
        by=by,
        note=f"公表を取り下げ: {reason}",
        step=VoiceEventStep.WITHDRAWN,
    )
    audit_record(
        actor=by,
        verb="voice_publication.unpublish",
        target=publication.voice,
        summary=f"市民の声 {publication.voice.receipt_number} の公表を取り下げ: {reason}",
    )
    return publication


@transaction.atomic
def voice_withdraw_consent(*, voice: CitizenVoice, by, note: str = "") -> CitizenVoice:
    """The writer withdrew their consent (by phone, letter …): off the portal at once, for good."""
    if not is_public_hearing_office(user=by):
        raise VoicePermissionError("公表への同意の取り消しは広聴担当だけが記録できます。")
    voice = CitizenVoice.objects.select_for_update().get(pk=voice.pk)
    if not voice.publish_consent:
        return voice
    voice.publish_consent = False
    voice.save(update_fields=["publish_consent", "updated_at"])
    withdrawn = VoicePublication.objects.filter(voice=voice, is_published=True)
    announce(voice_ids=list(withdrawn.values_list("pk", flat=True)))  # bulk update: no signal
    withdrawn.update(is_published=False, published_at=None)
    voice_event_add(
        voice=voice,
        by=by,
        note="\n".join(filter(None, ["公表への同意が取り消された", note])),
        public_note="公表への同意の取り消しを承りました。ホームページには掲載しません。",
    )
    audit_record(
        actor=by,
        verb="voice.withdraw_consent",
        target=voice,
        summary=f"市民の声 {voice.receipt_number} の公表への同意を取り消し",
    )
    return voice
