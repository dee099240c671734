"""The reply: save the draft, move it through the approvals, send it, print it as a letter."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from hoshin.org.roles import login_required_staff
from hoshin.voices.forms.handling import ReplyForm, ReplyTransitionForm, SendForm
from hoshin.voices.models import VoiceReply
from hoshin.voices.services import replies
from hoshin.voices.services.errors import (
    LetterFontMissing,
    ReplyConflictError,
    VoiceError,
    VoicePermissionError,
)
from hoshin.voices.services.reply_letters import reply_letter_pdf
from hoshin.voices.views.handling import render_voice_page, visible_voice, voice_crumbs

DONE_MESSAGES = {
    "submit": gettext_lazy("所属長に提出しました。"),
    "approve_department": gettext_lazy("承認しました。広聴担当の確認に進みます。"),
    "approve_office": gettext_lazy("承認しました。"),
    "approve_mayor": gettext_lazy("決裁しました。広聴担当が送付します。"),
    "send_back": gettext_lazy("差し戻しました。主管課の担当者が修正します。"),
}


def _reply_of(voice) -> VoiceReply:
    reply = VoiceReply.objects.filter(voice=voice).first()
    if reply is None:
        raise Http404(_("回答はまだ作成されていません。"))
    return reply


def _to_reply(voice) -> HttpResponse:
    return redirect(reverse("voices_staff:detail", args=[voice.pk]) + "#reply")


@require_POST
@login_required_staff
def reply_save(request: HttpRequest, voice_id: int) -> HttpResponse:
    """Save the draft (the lead department's editors); a stale page is shown the newer text."""
    voice, access = visible_voice(request, voice_id)
    if not access.draft:
        raise PermissionDenied
    form = ReplyForm(request.POST)
    if form.is_valid():
        try:
            replies.reply_save(
                voice=voice,
                by=request.user,
                body=form.cleaned_data["body"],
                expected_version=form.cleaned_data["version"],
            )
        except ReplyConflictError as exc:
            data = form.data.copy()
            data["reply-version"] = str(exc.current_version)
            form = ReplyForm(data)
            form.is_valid()
            form.add_error(None, str(exc))
        except VoiceError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("回答案を保存しました。"))
            return _to_reply(voice)
    return render_voice_page(request, voice, access, status=400, reply_form=form)


@require_POST
@login_required_staff
def reply_transition(request: HttpRequest, voice_id: int) -> HttpResponse:
    """Submit, approve or send back (who may depends on the stage: services/replies.py)."""
    voice, access = visible_voice(request, voice_id)
    if not access.history:
        raise PermissionDenied
    reply = _reply_of(voice)
    form = ReplyTransitionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("操作を選んでください。"))
        return _to_reply(voice)
    name = form.cleaned_data["name"]
    try:
        replies.reply_transition(
            reply=reply, by=request.user, name=name, comment=form.cleaned_data["comment"]
        )
    except VoiceError as exc:
        messages.error(request, str(exc))
        return render_voice_page(request, voice, access, status=400)
    messages.success(request, DONE_MESSAGES[name])
    return _to_reply(voice)


@require_POST
@login_required_staff
def reply_send(request: HttpRequest, voice_id: int) -> HttpResponse:
    """Send the approved reply (public-hearing office) and mark the voice answered."""
    voice, access = visible_voice(request, voice_id)
    if not access.office:
        raise PermissionDenied
    reply = _reply_of(voice)
    form = SendForm(request.POST)
    if form.is_valid():
        try:
            replies.reply_send(reply=reply, by=request.user, method=form.cleaned_data["method"])
        except VoiceError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("回答を送付済みにしました。"))
            return _to_reply(voice)
    return render_voice_page(request, voice, access, status=400, send_form=form)


@never_cache
@require_safe
@login_required_staff
def reply_letter(request: HttpRequest, voice_id: int) -> HttpResponse:
    """The approved reply as a PDF letter with the writer's address (logged)."""
    voice, access = visible_voice(request, voice_id)
    if not access.office:
        raise PermissionDenied
    reply = _reply_of(voice)
    try:
        pdf = reply_letter_pdf(reply=reply, by=request.user)
    except VoicePermissionError:
        raise
    except LetterFontMissing as exc:
        return render(
            request,
            "voices/staff/letter_error.html",
            {
                "voice": voice,
                "message": str(exc),
                "crumbs": voice_crumbs(voice),
                "nav_section": "voices",
            },
            status=503,
        )
    except VoiceError as exc:
        messages.error(request, str(exc))
        return _to_reply(voice)
    response = HttpResponse(pdf, content_type="application/pdf")
    filename = f"reply-{voice.receipt_number}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response
