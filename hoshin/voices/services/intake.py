"""Receiving a voice: one row, one receipt number without gaps, exactly once per submission."""

import datetime
import unicodedata
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare, get_random_string, salted_hmac

from hoshin.audit.services import audit_record
from hoshin.lib.business_days import add_business_days
from hoshin.lib.fiscal import fiscal_year_of
from hoshin.org.models import TEXT_LIMIT, District
from hoshin.org.roles import is_public_hearing_office
from hoshin.voices.models import (
    Channel,
    CitizenVoice,
    ReceiptCounter,
    VoiceCategory,
    VoiceEvent,
    VoiceStatus,
    VoiceWriter,
)
from hoshin.voices.services.errors import VoicePermissionError

_SECRET_SALT = "hoshin.voices.status-secret"
# Writers copy the secret from paper or hear it on the phone: no 0/O, 1/I/L look-alikes,
# and case does not matter.
_SECRET_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
_SECRET_LENGTH = 10


@dataclass
class WriterDetails:
    name: str = ""
    email: str = ""
    phone: str = ""
    postal_address: str = ""

    def is_empty(self) -> bool:
        return not any((self.name, self.email, self.phone, self.postal_address))


@dataclass
class Received:
    voice: CitizenVoice
    secret: str  # shown once to the writer (acknowledgement page and e-mail); only a hash is kept
    created: bool  # False when the same submission arrived again (double click, reload)


def normalize_secret(secret: str) -> str:
    """The secret as stored: upper case, without spaces or hyphens, full width made half width."""
    text = unicodedata.normalize("NFKC", secret or "").upper()
    return "".join(ch for ch in text if ch not in " -　")


def secret_hash(secret: str) -> str:
    return salted_hmac(_SECRET_SALT, normalize_secret(secret)).hexdigest()


def secret_matches(*, voice: CitizenVoice, secret: str) -> bool:
    """True if ``secret`` is the one given at receipt (compared in constant time)."""
    return bool(normalize_secret(secret)) and constant_time_compare(
        secret_hash(secret), voice.secret_hash
    )


def reply_due_for(received_on: datetime.date) -> datetime.date:
    """The reply-by date: the configured number of office days after receipt."""
    return add_business_days(received_on, settings.HOSHIN_REPLY_BUSINESS_DAYS)


def _next_number(fy: int) -> int:
    """Take the next receipt number of ``fy`` while holding the counter's row lock.

    The caller's transaction holds the lock until it commits, so two submissions never share
    a number, and a failed submission rolls the counter back with it, so no number is skipped.
    """
    try:
        with transaction.atomic():
            ReceiptCounter.objects.get_or_create(fy=fy)
    except IntegrityError:  # another submission created this year's counter first
        pass
    counter = ReceiptCounter.objects.select_for_update().get(fy=fy)
    counter.last_number += 1
    counter.save(update_fields=["last_number"])
    return counter.last_number


def _clean_text(value: str, *, label: str, limit: int, required: bool = True) -> str:
    text = (value or "").replace("\r\n", "\n").replace("\x00", "").strip()
    if required and not text:
        raise ValidationError({label: "入力してください。"})
    if len(text) > limit:
        raise ValidationError(
            {label: f"{len(text):,}文字あります。{limit:,}文字以内にしてください。"}
        )
    return text


def voice_receive(
    *,
    channel: str,
    kind: str,
    subject: str,
    body: str,
    received_on: datetime.date,
    writer: WriterDetails | None = None,
    category: VoiceCategory | None = None,
    age_band: str = "",
    district: District | None = None,
    wants_reply: bool = False,
    publish_consent: bool = False,
    notify_results: bool = False,
    submission_key: uuid.UUID | None = None,
    by=None,
) -> Received:
    """Store a voice with its receipt number; the same ``submission_key`` is stored only once.

    ``by`` is the public-hearing office typing in a letter, call or visit (any channel, a past
    date); without ``by`` it is a citizen on the web form (channel web). Nobody dates a voice
    in the future: the reply-by date counts from it.
    """
    if by is not None and not is_public_hearing_office(user=by):
        raise VoicePermissionError("市民の声を受け付けられるのは広聴担当だけです。")
    if by is None and channel != Channel.WEB:
        raise ValidationError("ウェブ以外で届いた市民の声は、広聴担当が受け付けます。")
    if received_on > timezone.localdate():
        raise ValidationError("受付日に未来の日付は指定できません。")
    writer = writer or WriterDetails()
    subject = _clean_text(
        subject, label="subject", limit=CitizenVoice._meta.get_field("subject").max_length
    )
    body = _clean_text(body, label="body", limit=TEXT_LIMIT)
    if wants_reply and not (writer.email or writer.postal_address):
        raise ValidationError(
            {"wants_reply": "回答を希望する場合は、メールアドレスか住所を入力してください。"}
        )
    if submission_key is not None:
        existing = CitizenVoice.objects.filter(submission_key=submission_key).first()
        if existing is not None:
            return Received(voice=existing, secret="", created=False)
    secret = get_random_string(_SECRET_LENGTH, allowed_chars=_SECRET_ALPHABET)
    try:
        with transaction.atomic():
            voice = CitizenVoice.objects.create(
                fy=fiscal_year_of(received_on),
                number=_next_number(fiscal_year_of(received_on)),
                channel=channel,
                kind=kind,
                subject=subject,
                body=body,
                category=category,
                age_band=age_band or "",
                district=district,
                received_on=received_on,
                reply_due=reply_due_for(received_on) if wants_reply else None,
                wants_reply=wants_reply,
                publish_consent=publish_consent,
                notify_results=notify_results,
                secret_hash=secret_hash(secret),
                submission_key=submission_key,
                created_by=by if getattr(by, "pk", None) else None,
            )
            if not writer.is_empty():
                VoiceWriter.objects.create(
                    voice=voice,
                    name=writer.name.strip(),
                    email=writer.email.strip(),
                    phone=writer.phone.strip(),
                    postal_address=writer.postal_address.strip(),
                )
            VoiceEvent.objects.create(voice=voice, status=VoiceStatus.RECEIVED, by=voice.created_by)
            audit_record(
                actor=by,
                verb="voice.receive",
                target=voice,
                summary=f"市民の声 {voice.receipt_number} を受付（{voice.get_channel_display()}）",
            )
    except IntegrityError:
        # The same submission won a race with itself (double click): return the stored one.
        if submission_key is not None:
            existing = CitizenVoice.objects.filter(submission_key=submission_key).first()
            if existing is not None:
                return Received(voice=existing, secret="", created=False)
        raise
    return Received(voice=voice, secret=secret, created=True)
