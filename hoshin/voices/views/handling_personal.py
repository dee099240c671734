"""The writer's personal details and attachments: public-hearing office only, every view logged.

Details are never on the voice page itself. The office opens them here, choosing why; the view
and its purpose go to PersonalDataView (who, when, why) and to the audit trail's hash chain,
and the page is never cached.
"""

import mimetypes

from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from hoshin.org.roles import login_required_staff
from hoshin.voices.forms.handling import PURPOSES, PurposeForm
from hoshin.voices.services.replies import personal_data_viewed, writer_of
from hoshin.voices.views.handling import visible_voice, voice_crumbs

# Attachments that a browser may show inline; anything else is downloaded.
# Shown in the browser: pictures only. A PDF is downloaded and opened in the desktop viewer,
# because browsers' PDF viewers do not run in a sandboxed document (below).
INLINE_TYPES = {"image/jpeg", "image/png", "image/gif", "image/webp"}
# An attachment is whatever a citizen uploaded: even opened directly it must never run as a
# page of this site (no script, no form, no same-origin access to staff pages): a sandbox with
# nothing allowed but the picture itself.
ATTACHMENT_CSP = "sandbox; default-src 'none'; img-src 'self'"
# Types the upload checks by content (hoshin/voices/abuse.py): sent as what they are.
CHECKED_TYPES = {*INLINE_TYPES, "application/pdf"}


def _personal_voice(request: HttpRequest, voice_id: int):
    voice, access = visible_voice(request, voice_id)
    if not access.personal:
        raise PermissionDenied
    return voice


@never_cache
@require_safe
@login_required_staff
def writer_details(request: HttpRequest, voice_id: int) -> HttpResponse:
    """Name, contact details and attachments, after choosing why (GET ?purpose=…)."""
    voice = _personal_voice(request, voice_id)
    form = PurposeForm(request.GET or None)
    context = {
        "voice": voice,
        "form": form,
        "crumbs": voice_crumbs(
            voice, (_("個人情報"), reverse("voices_staff:writer", args=[voice.pk]))
        ),
        "nav_section": "voices",
    }
    if form.is_valid():
        purpose = dict(PURPOSES)[form.cleaned_data["purpose"]]
        personal_data_viewed(voice=voice, by=request.user, purpose=str(purpose))
        context.update(
            writer=writer_of(voice),
            attachments=list(voice.attachments.all()),
            purpose=purpose,
            shown=True,
        )
    response = render(request, "voices/staff/writer.html", context)
    response["Cache-Control"] = "no-store"
    return response


@never_cache
@require_safe
@login_required_staff
def attachment_download(request: HttpRequest, voice_id: int, attachment_id: int):
    """One attachment (logged); served with its checked type and never sniffed."""
    voice = _personal_voice(request, voice_id)
    attachment = get_object_or_404(voice.attachments, pk=attachment_id)
    try:
        handle = attachment.file.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404(_("ファイルが見つかりません。")) from None
    personal_data_viewed(
        voice=voice,
        by=request.user,
        purpose="添付ファイルの閲覧",
        detail=attachment.original_name,
        attachment_id=attachment.pk,
    )
    content_type = attachment.content_type or (
        mimetypes.guess_type(attachment.original_name)[0] or "application/octet-stream"
    )
    inline = content_type in INLINE_TYPES
    response = FileResponse(
        handle,
        content_type=content_type if content_type in CHECKED_TYPES else "application/octet-stream",
        as_attachment=not inline,
        filename=attachment.original_name,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = ATTACHMENT_CSP
    response["Cache-Control"] = "no-store"
    return response
