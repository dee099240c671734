"""Staff intake (/staff/voices/new/): the public-hearing office logs voices from other channels.

Who: the public-hearing office (Role.PUBLIC_HEARING) and administrators; other staff get 403,
anonymous visitors the login page. After saving, the receipt number (and the secret, once,
for a writer who asks by phone or letter) is shown on ``done``, with the writer's details: that
view is logged like every other (PersonalDataView and the audit trail).
"""

import uuid

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from hoshin.org.roles import public_hearing_office_required
from hoshin.voices.forms.staff_intake import StaffVoiceForm
from hoshin.voices.models import CitizenVoice
from hoshin.voices.services.replies import personal_data_viewed, writer_of
from hoshin.voices.views.intake import (
    form_submit,
    receipt_cookie_delete,
    receipt_cookie_read,
    receipt_cookie_set,
    upload_guarded,
)


def _done_path() -> str:
    """Where the receipt cookie is sent: the done pages only."""
    return reverse("voices_staff:new") + "done/"


def _crumbs(*extra: tuple[str, str]) -> list[tuple[str, str]]:
    return [(gettext("市民の声"), reverse("voices_staff:list")), *extra]


@never_cache
@require_http_methods(["GET", "POST"])
@public_hearing_office_required  # before upload_guarded: nobody else gets a large request read
# (voice_receive checks the role again)
@upload_guarded
def new(request: HttpRequest) -> HttpResponse:
    """Enter a voice that came by post, box, fax, phone, e-mail, a meeting or the counter."""
    if request.method == "POST":
        form = StaffVoiceForm(
            request.POST, request.FILES, rejected_uploads=request.rejected_uploads
        )
        if form.is_valid():
            received = form_submit(request, form, by=request.user)
            if received is not None:
                return receipt_cookie_set(
                    redirect("voices_staff:intake_done", key=received.voice.submission_key),
                    received,
                    has_email=bool(form.cleaned_data.get("email")),
                    path=_done_path(),
                )
    else:
        form = StaffVoiceForm()
    return render(
        request,
        "voices/staff_intake/new.html",
        {
            "form": form,
            "files_lost": bool(request.FILES) and form.is_bound and not form.is_valid(),
            "crumbs": _crumbs((gettext("市民の声の登録"), reverse("voices_staff:new"))),
            "nav_section": "voices",
        },
    )


@never_cache
@require_GET
@public_hearing_office_required
def done(request: HttpRequest, key: uuid.UUID) -> HttpResponse:
    """The receipt number of the voice just saved; the secret only the first time."""
    voice = get_object_or_404(
        CitizenVoice.objects.select_related("category", "district"), submission_key=key
    )
    entry = receipt_cookie_read(request, key)
    writer = writer_of(voice)
    if writer is not None:
        # The page shows the writer's name and contact details: like every other view of them
        # (the writer page, attachments, letters) it is logged, whoever entered the voice. The
        # key of a voice a citizen sent from the web form opens this page too.
        personal_data_viewed(voice=voice, by=request.user, purpose="登録完了画面での確認")
    response = render(
        request,
        "voices/staff_intake/done.html",
        {
            "voice": voice,
            "writer": writer,
            "secret": entry.get("secret", ""),
            "email_sent": entry.get("email", False),
            "crumbs": _crumbs((gettext("市民の声の登録"), reverse("voices_staff:new"))),
            "nav_section": "voices",
        },
    )
    return receipt_cookie_delete(response, path=_done_path()) if entry else response
