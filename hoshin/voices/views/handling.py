"""Staff pages for handling voices: the list, the overdue view and a voice's page.

Views are thin: load through ``selectors.access`` (a voice the user may not see answers 404,
like a missing id), call a service, redirect. Routing forms are in ``handling_routing``,
replies in ``handling_replies``, personal details in ``handling_personal`` and publication in
``handling_publication``; they all re-render the voice page through ``render_voice_page``.
"""

import datetime

from django.conf import settings
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from hoshin.org.roles import is_public_hearing_office, login_required_staff
from hoshin.voices.forms.handling import (
    CloseForm,
    ForwardForm,
    NoteForm,
    PurposeForm,
    ReopenForm,
    ReplyForm,
    RouteForm,
    SendForm,
    VoiceFilterForm,
)
from hoshin.voices.models import (
    CitizenVoice,
    ReplyStage,
    VoicePublication,
    VoiceReply,
    VoiceStatus,
)
from hoshin.voices.selectors import handling as selectors
from hoshin.voices.selectors.access import (
    VoiceAccess,
    replies_waiting_for,
    voice_access,
    voices_visible_to,
)
from hoshin.voices.services.masking import highlight_marks
from hoshin.voices.services.replies import send_methods_for, transitions_available, writer_of

PAGE_SIZE = 50
VOICE_RELATED = ("category", "district", "lead_department", "created_by")


def visible_voice(request: HttpRequest, voice_id: int) -> tuple[CitizenVoice, VoiceAccess]:
    """The voice and the user's rights on it, or 404 (never 403: that would reveal it exists)."""
    voices = voices_visible_to(user=request.user).select_related(*VOICE_RELATED)
    voice = get_object_or_404(voices, pk=voice_id)
    return voice, voice_access(user=request.user, voice=voice)


def voice_crumbs(voice: CitizenVoice | None = None, *extra) -> list[tuple[str, str]]:
    crumbs = [(_("市民の声"), reverse("voices_staff:list"))]
    if voice is not None:
        crumbs.append((voice.receipt_number, reverse("voices_staff:detail", args=[voice.pk])))
    return [*crumbs, *extra]


def _today() -> datetime.date:
    return timezone.localdate()


@never_cache
@login_required_staff
def voice_list(request: HttpRequest) -> HttpResponse:
    """Every voice the user may see, filtered by status, department, overdue, channel, year."""
    form = VoiceFilterForm(request.GET or None)
    filters = selectors.VoiceFilters()
    if form.is_valid():
        data = form.cleaned_data
        filters = selectors.VoiceFilters(
            status=data["status"],
            department_id=data["department"].pk if data["department"] else None,
            overdue=data["overdue"],
            channel=data["channel"],
            fy=data["fy"],
            text=data["q"],
        )
    today = _today()
    voices = selectors.voices_for_list(user=request.user, filters=filters, today=today)
    page = Paginator(voices, PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = selectors.with_display_subjects(page.object_list, user=request.user)
    query = request.GET.copy()
    query.pop("page", None)
    waiting = replies_waiting_for(user=request.user).count()
    return render(
        request,
        "voices/staff/list.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "today": today,
            "overdue_count": selectors.voices_overdue(user=request.user, today=today).count(),
            "waiting_count": waiting,
            "is_office": is_public_hearing_office(user=request.user),
            "crumbs": voice_crumbs(),
            "nav_section": "voices",
        },
    )


@never_cache
@login_required_staff
def voice_overdue(request: HttpRequest) -> HttpResponse:
    """Overdue voices (and those due soon): the dashboard view of the reply-by dates."""
    today = _today()
    waiting = list(
        replies_waiting_for(user=request.user)
        .filter(voice__in=voices_visible_to(user=request.user))
        .select_related("voice__lead_department")
        .order_by("voice__reply_due", "voice__fy", "voice__number")
    )
    selectors.with_display_subjects([reply.voice for reply in waiting], user=request.user)
    return render(
        request,
        "voices/staff/overdue.html",
        {
            "overdue": selectors.with_display_subjects(
                selectors.voices_overdue(user=request.user, today=today), user=request.user
            ),
            "due_soon": selectors.with_display_subjects(
                selectors.voices_due_soon(
                    user=request.user, today=today, days=settings.HOSHIN_REMINDER_DAYS_BEFORE
                ),
                user=request.user,
            ),
            "days_before": settings.HOSHIN_REMINDER_DAYS_BEFORE,
            "waiting": waiting,
            "today": today,
            "crumbs": voice_crumbs(
                None, (_("期限を過ぎた市民の声"), reverse("voices_staff:overdue"))
            ),
            "nav_section": "voices",
        },
    )


@never_cache
@login_required_staff
def voice_detail(request: HttpRequest, voice_id: int) -> HttpResponse:
    """One voice, as much of it as the user may see, with the forms for their next steps."""
    voice, access = visible_voice(request, voice_id)
    return render_voice_page(request, voice, access)


def render_voice_page(
    request: HttpRequest,
    voice: CitizenVoice,
    access: VoiceAccess,
    *,
    status: int = 200,
    errors: dict | None = None,
    **forms,
) -> HttpResponse:
    """The voice page; a refused POST passes its bound form (with errors) to show it again."""
    today = _today()
    reply = VoiceReply.objects.filter(voice=voice).select_related("drafted_by").first()
    writer = writer_of(voice)
    if access.personal:
        subject, body = voice.subject, highlight_marks(voice.body)
    else:
        masked_subject, masked_body = selectors.department_text(voice=voice, writer=writer)
        subject, body = masked_subject.text, highlight_marks(masked_body.text)
    context = {
        "voice": voice,
        "access": access,
        "subject": subject,
        "body": body,
        "today": today,
        "overdue": voice.is_open and voice.reply_due is not None and voice.reply_due < today,
        "has_writer": writer is not None,
        "co_departments": list(voice.co_departments.all()),
        "actions": list(voice.actions.select_related("plan", "node")),
        "errors": errors or {},
        "crumbs": voice_crumbs(voice),
        "nav_section": "voices",
    }
    if access.history:
        context["events"] = list(voice.events.select_related("by"))
        context["reply"] = reply
        if reply is not None:
            context["reply_events"] = list(reply.events.select_related("by"))
            context["transitions"] = transitions_available(
                reply=reply, user=request.user, access=access
            )
    drafting = reply is None or reply.stage == ReplyStage.DRAFT
    if access.draft and drafting and voice.status in (VoiceStatus.ASSIGNED, VoiceStatus.ANSWERING):
        context["reply_form"] = forms.get("reply_form") or ReplyForm(
            initial={"body": reply.body if reply else "", "version": reply.version if reply else 0}
        )
    if access.office:
        context.update(
            route_form=forms.get("route_form") or RouteForm(voice=voice),
            close_form=forms.get("close_form") or CloseForm(),
            forward_form=forms.get("forward_form") or ForwardForm(),
            reopen_form=forms.get("reopen_form") or ReopenForm(),
            note_form=forms.get("note_form") or NoteForm(),
            purpose_form=PurposeForm(),
            attachment_count=voice.attachments.count(),
            publication=VoicePublication.objects.filter(voice=voice).first(),
        )
        if reply is not None and reply.stage == ReplyStage.APPROVED and voice.is_open:
            context["send_form"] = forms.get("send_form") or SendForm()
            context["send_methods"] = send_methods_for(voice)
    return render(request, "voices/staff/detail.html", context, status=status)
