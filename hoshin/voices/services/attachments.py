"""Attachments to a voice: JPEG and PNG images and PDF documents, checked by their content.

The type is read from the file's first bytes (its "magic number"), never from its name or
the browser's Content-Type: a renamed program (``invoice.pdf`` that starts with ``MZ``) is
refused. Images are also opened with Pillow, so a file that only starts like a PNG is
refused too. Stored files get a random name; the writer's file name is kept only as data.
"""

import logging
import os
import unicodedata
import uuid
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from hoshin.voices.models import CitizenVoice, VoiceAttachment

logger = logging.getLogger(__name__)

# content type → extension of the stored file
ALLOWED_TYPES = {
    "image/jpeg": ".jpg",
    "image/png": ".png",
    "application/pdf": ".pdf",
}
_MAGIC = (
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"%PDF-", "application/pdf"),
)
_NAME_LIMIT = VoiceAttachment._meta.get_field("original_name").max_length


def sniff_content_type(head: bytes) -> str | None:
    """The allowed type whose signature ``head`` starts with, or None."""
    for magic, content_type in _MAGIC:
        if head.startswith(magic):
            return content_type
    return None


def _image_readable(upload: UploadedFile) -> bool:
    from PIL import Image

    try:
        upload.seek(0)
        with Image.open(upload) as image:
            image.verify()
        return True
    except Exception:  # Pillow raises many kinds for broken or hostile files
        return False
    finally:
        upload.seek(0)


def clean_file_name(name: str) -> str:
    """The writer's file name without folders or control characters, short enough to keep."""
    name = unicodedata.normalize("NFC", os.path.basename((name or "").replace("\\", "/")))
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C").strip()
    if len(name) > _NAME_LIMIT:
        stem, ext = os.path.splitext(name)
        name = stem[: _NAME_LIMIT - len(ext)] + ext
    return name or "attachment"


def attachment_check(upload: UploadedFile) -> str:
    """The real content type of ``upload``; ValidationError with a clear message otherwise."""
    name = clean_file_name(upload.name)
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    if not head:
        raise ValidationError(_("「%(name)s」は空のファイルです。") % {"name": name})
    content_type = sniff_content_type(head)
    if content_type is None:
        raise ValidationError(
            _(
                "「%(name)s」は受け付けられない種類のファイルです。"
                "添付できるのは JPEG・PNG の画像と PDF だけです"
                "（ファイル名ではなく中身で確認しています）。"
            )
            % {"name": name}
        )
    if content_type.startswith("image/") and not _image_readable(upload):
        raise ValidationError(
            _("「%(name)s」は画像として読み取れません。ファイルが壊れていないか確認してください。")
            % {"name": name}
        )
    return content_type


def attachments_limits_check(uploads: list[UploadedFile]) -> None:
    """Refuse more files, or bigger ones, than HOSHIN_ATTACHMENT_* allow.

    The voice forms skip oversized files while the request is read and say so file by file;
    this is the same limit for every other caller of ``voice_submit``.
    """
    count = settings.HOSHIN_ATTACHMENT_MAX_FILES
    if len(uploads) > count:
        raise ValidationError(
            ngettext(
                "添付できるファイルは%(count)s個までです。",
                "添付できるファイルは%(count)s個までです。",
                count,
            )
            % {"count": count}
        )
    one, total = settings.HOSHIN_ATTACHMENT_MAX_BYTES, settings.HOSHIN_ATTACHMENT_MAX_TOTAL_BYTES
    for upload in uploads:
        if upload.size > one:
            raise ValidationError(
                _("「%(name)s」は大きすぎるため受け付けられません。1ファイル%(limit)sMBまでです。")
                % {"name": clean_file_name(upload.name), "limit": megabytes(one)}
            )
    if sum(upload.size for upload in uploads) > total:
        raise ValidationError(
            _("添付ファイルは合計%(limit)sMBまでです。") % {"limit": megabytes(total)}
        )


def megabytes(size: int) -> str:
    """A size as whole MB, the way the forms and their messages state the limits."""
    return f"{size / (1024 * 1024):.0f}"


@dataclass
class StoredAttachment:
    """A checked file already written to storage, waiting for its voice."""

    path: str
    original_name: str
    content_type: str
    size: int


def attachments_store(uploads: list[UploadedFile]) -> list[StoredAttachment]:
    """Write checked uploads to storage under random names (outside any transaction).

    Files are written before the voice is, so that the receipt-number lock is never held
    while megabytes go to disk; ``attachments_discard`` removes them if the voice is not
    stored after all.
    """
    attachments_limits_check(uploads)
    stored: list[StoredAttachment] = []
    today = timezone.localdate()
    try:
        for upload in uploads:
            content_type = attachment_check(upload)
            upload.seek(0)
            name = f"voices/{today:%Y/%m}/{uuid.uuid4().hex}{ALLOWED_TYPES[content_type]}"
            path = default_storage.save(name, upload)
            stored.append(
                StoredAttachment(
                    path=path,
                    original_name=clean_file_name(upload.name),
                    content_type=content_type,
                    size=upload.size,
                )
            )
    except BaseException:
        attachments_discard(stored)
        raise
    return stored


def attachments_discard(stored: list[StoredAttachment]) -> None:
    """Delete files written by ``attachments_store`` that no voice will point to."""
    for item in stored:
        try:
            default_storage.delete(item.path)
        except OSError:
            logger.warning("voices: could not delete orphan attachment %s", item.path)


def voice_attachments_add(
    *, voice: CitizenVoice, stored: list[StoredAttachment]
) -> list[VoiceAttachment]:
    """Link stored files to ``voice`` (call inside the transaction that stores the voice)."""
    return [
        VoiceAttachment.objects.create(
            voice=voice,
            file=item.path,
            original_name=item.original_name,
            content_type=item.content_type,
            size=item.size,
        )
        for item in stored
    ]
