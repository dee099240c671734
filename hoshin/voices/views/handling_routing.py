"""Routing a voice (public-hearing office): classify and assign, close, forward, reopen, note,
and link plan actions. POST only; each view calls one service from services/routing.py."""

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from hoshin.org.roles import login_required_staff
from hoshin.plans.models import Action
from hoshin.voices.forms.handling import (
    ActionLinkForm,
    ActionSearchForm,
    CloseForm,
    ForwardForm,
    NoteForm,
    ReopenForm,
    RouteForm,
)
from hoshin.voices.selectors.handling import actions_search
from hoshin.voices.services import routing
from hoshin.voices.services.errors import VoiceError
from hoshin.voices.views.handling import render_voice_page, visible_voice, voice_crumbs


def _office_voice(request: HttpRequest, voice_id: int):
    voice, access = visible_voice(request, voice_id)
    if not access.route:
        raise PermissionDenied
    return voice, access


def _done(voice, anchor: str = "") -> HttpResponse:
    return redirect(reverse("voices_staff:detail", args=[voice.pk]) + anchor)


@require_POST
@login_required_staff
def voice_route(request: HttpRequest, voice_id: int) -> HttpResponse:
    """Classify the voice, choose lead and co-departments, flag it for the mayor."""
    voice, access = _office_voice(request, voice_id)
    form = RouteForm(request.POST, voice=voice)
    if form.is_valid():
        data = form.cleaned_data
        try:
            routing.voice_route(
                voice=voice,
                by=request.user,
                category=data["category"],
                lead_department=data["lead_department"],
                co_departments=list(data["co_departments"]),
                mayor_flag=data["mayor_flag"],
                note=data["note"],
                public_note=data["public_note"],
            )
        except VoiceError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, _("振り分けを保存しました。"))
            return _done(voice, "#routing")
    return render_voice_page(request, voice, access, status=400, route_form=form)


def _status_view(request, voice_id, form_class, form_name, call, done_message):
    voice, access = _office_voice(request, voice_id)
    form = form_class(request.POST)
    if form.is_valid():
        try:
            call(voice, form.cleaned_data)
        except VoiceError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, done_message)
            return _done(voice, "#status")
    return render_voice_page(request, voice, access, status=400, **{form_name: form})


@require_POST
@login_required_staff
def voice_close(request: HttpRequest, voice_id: int) -> HttpResponse:
    """Close without a reply (the reason is shown to the writer)."""
    return _status_view(
        request,
        voice_id,
        CloseForm,
        "close_form",
        lambda voice, data: routing.voice_close(
            voice=voice, by=request.user, reason=data["reason"], note=data["note"]
        ),
        _("回答なしで終了しました。"),
    )


@require_POST
@login_required_staff
def voice_forward(request: HttpRequest, voice_id: int) -> HttpResponse:
    """Forward to another body (where to is shown to the writer)."""
    return _status_view(
        request,
        voice_id,
        ForwardForm,
        "forward_form",
        lambda voice, data: routing.voice_forward(
            voice=voice, by=request.user, to=data["to"], note=data["note"]
        ),
        _("回送しました。"),
    )


@require_POST
@login_required_staff
def voice_reopen(request: HttpRequest, voice_id: int) -> HttpResponse:
    """Reopen a voice closed or forwarded by mistake."""
    return _status_view(
        request,
        voice_id,
        ReopenForm,
        "reopen_form",
        lambda voice, data: routing.voice_reopen(
            voice=voice, by=request.user, reason=data["reason"]
        ),
        _("対応を再開しました。"),
    )


@require_POST
@login_required_staff
def voice_note(request: HttpRequest, voice_id: int) -> HttpResponse:
    """A note in the history (optionally shown to the writer)."""
    return _status_view(
        request,
        voice_id,
        NoteForm,
        "note_form",
        lambda voice, data: routing.voice_note_add(
            voice=voice, by=request.user, note=data["note"], public_note=data["public_note"]
        ),
        _("メモを追加しました。"),
    )


@never_cache
@login_required_staff
def voice_actions(request: HttpRequest, voice_id: int) -> HttpResponse:
    """Search plan actions by text to link them to the voice."""
    voice, _access = _office_voice(request, voice_id)
    form = ActionSearchForm(request.GET or None)
    results = actions_search(text=form.cleaned_data["q"]) if form.is_valid() else []
    linked = set(voice.actions.values_list("pk", flat=True))
    return render(
        request,
        "voices/staff/actions.html",
        {
            "voice": voice,
            "form": form,
            "results": results,
            "linked": linked,
            "linked_actions": list(voice.actions.select_related("plan")),
            "crumbs": voice_crumbs(
                voice, (_("関連する取組"), reverse("voices_staff:actions", args=[voice.pk]))
            ),
            "nav_section": "voices",
        },
    )


@require_POST
@login_required_staff
def voice_action_link(request: HttpRequest, voice_id: int) -> HttpResponse:
    voice, _access = _office_voice(request, voice_id)
    form = ActionLinkForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("取組を選んでください。"))
        return redirect("voices_staff:actions", voice.pk)
    action = get_object_or_404(Action, pk=form.cleaned_data["action"])
    routing.voice_link_action(voice=voice, by=request.user, action=action)
    messages.success(request, _("取組「%(name)s」を関連付けました。") % {"name": action.heading})
    if request.POST.get("q"):  # linked from the search results: back to them
        query = urlencode({"q": request.POST["q"][:100]})
        return redirect(reverse("voices_staff:actions", args=[voice.pk]) + "?" + query)
    return _done(voice, "#actions")


@require_POST
@login_required_staff
def voice_action_unlink(request: HttpRequest, voice_id: int, action_id: int) -> HttpResponse:
    voice, _access = _office_voice(request, voice_id)
    action = get_object_or_404(voice.actions, pk=action_id)
    routing.voice_unlink_action(voice=voice, by=request.user, action=action)
    messages.success(
        request, _("取組「%(name)s」の関連付けを外しました。") % {"name": action.heading}
    )
    return _done(voice, "#actions")
