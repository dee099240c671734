"""Publishing a voice (public-hearing office): propose with masking, correct, publish, withdraw."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from hoshin.org.roles import login_required_staff
from hoshin.voices.forms.handling import (
    ProposeForm,
    PublicationForm,
    PublishForm,
    UnpublishForm,
)
from hoshin.voices.models import VoicePublication
from hoshin.voices.services import publication as service
from hoshin.voices.services.errors import PublicationCheckError, VoiceError
from hoshin.voices.services.masking import highlight, highlight_marks
from hoshin.voices.services.replies import writer_of
from hoshin.voices.views.handling import visible_voice, voice_crumbs


def _office_voice(request: HttpRequest, voice_id: int):
    voice, access = visible_voice(request, voice_id)
    if not access.office:
        raise PermissionDenied
    return voice


def _page(request, voice, *, status=200, findings=None, **forms) -> HttpResponse:
    publication = VoicePublication.objects.filter(voice=voice).first()
    context = {
        "voice": voice,
        "publication": publication,
        "sent_reply": service.sent_reply(voice),
        "propose_form": forms.get("propose_form") or ProposeForm(),
        "findings": findings or [],
        "crumbs": voice_crumbs(
            voice, (_("公表"), reverse("voices_staff:publication", args=[voice.pk]))
        ),
        "nav_section": "voices",
    }
    if publication is not None:
        title, summary, reply = service.proposal_masks(voice=voice)
        context.update(
            sources=[
                (_("件名"), highlight(voice.subject, title.findings), title),
                (_("本文"), highlight(voice.body, summary.findings), summary),
                (
                    _("回答"),
                    highlight(
                        context["sent_reply"].body if context["sent_reply"] else "", reply.findings
                    ),
                    reply,
                ),
            ],
            preview_summary=highlight_marks(publication.summary),
            preview_reply=highlight_marks(publication.reply_text),
            form=forms.get("form")
            or PublicationForm(
                initial={
                    "title": publication.title,
                    "summary": publication.summary,
                    "reply_text": publication.reply_text,
                }
            ),
            publish_form=forms.get("publish_form") or PublishForm(),
            unpublish_form=forms.get("unpublish_form") or UnpublishForm(),
            remaining=service.publication_findings(publication=publication),
            has_writer=writer_of(voice) is not None,
        )
    response = render(request, "voices/staff/publication.html", context, status=status)
    response["Cache-Control"] = "no-store"
    return response


@never_cache
@login_required_staff
def publication_page(request: HttpRequest, voice_id: int) -> HttpResponse:
    """GET: the proposal with what was masked; POST: save a person's corrections."""
    voice = _office_voice(request, voice_id)
    if request.method != "POST":
        return _page(request, voice)
    publication = VoicePublication.objects.filter(voice=voice).first()
    if publication is None:
        return redirect("voices_staff:publication", voice.pk)
    form = PublicationForm(request.POST)
    if form.is_valid():
        try:
            service.publication_update(
                publication=publication, by=request.user, **form.cleaned_data
            )
        except VoiceError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("公表内容を保存しました。"))
            return redirect(reverse("voices_staff:publication", args=[voice.pk]) + "#preview")
    return _page(request, voice, status=400, form=form)


@require_POST
@login_required_staff
def publication_propose(request: HttpRequest, voice_id: int) -> HttpResponse:
    """Open (or redo) the proposal: the texts with personal details masked."""
    voice = _office_voice(request, voice_id)
    form = ProposeForm(request.POST)
    if form.is_valid():
        try:
            proposal = service.publication_propose(
                voice=voice, by=request.user, summary=form.cleaned_data["summary"] or None
            )
        except VoiceError as exc:
            form.add_error(None, str(exc))
        else:
            count = sum(len(m.findings) for m in (proposal.title, proposal.summary, proposal.reply))
            messages.success(
                request,
                _(
                    "公表案を作りました。個人情報と思われる %(count)s 箇所を伏せました。確認してください。"
                )
                % {"count": count},
            )
            return redirect("voices_staff:publication", voice.pk)
    return _page(request, voice, status=400, propose_form=form)


@require_POST
@login_required_staff
def publication_publish(request: HttpRequest, voice_id: int) -> HttpResponse:
    """Publish the confirmed proposal on the portal."""
    voice = _office_voice(request, voice_id)
    publication = VoicePublication.objects.filter(voice=voice).first()
    if publication is None:
        return redirect("voices_staff:publication", voice.pk)
    form = PublishForm(request.POST)
    form.is_valid()
    try:
        service.publication_publish(
            publication=publication,
            by=request.user,
            confirmed_not_personal=form.cleaned_data.get("confirmed_not_personal", False),
        )
    except PublicationCheckError as exc:
        form.add_error(None, str(exc))
        return _page(request, voice, status=400, publish_form=form, findings=exc.findings)
    except VoiceError as exc:
        form.add_error(None, str(exc))
        return _page(request, voice, status=400, publish_form=form)
    messages.success(request, _("公表しました。市民向けサイトの「市民の声」に表示されます。"))
    return redirect("voices_staff:publication", voice.pk)


@require_POST
@login_required_staff
def publication_unpublish(request: HttpRequest, voice_id: int) -> HttpResponse:
    """Take the voice off the portal."""
    voice = _office_voice(request, voice_id)
    publication = VoicePublication.objects.filter(voice=voice).first()
    if publication is None:
        return redirect("voices_staff:publication", voice.pk)
    form = UnpublishForm(request.POST)
    if form.is_valid():
        try:
            service.publication_unpublish(
                publication=publication, by=request.user, reason=form.cleaned_data["reason"]
            )
        except VoiceError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("公表を取り下げました。"))
            return redirect("voices_staff:publication", voice.pk)
    return _page(request, voice, status=400, unpublish_form=form)
