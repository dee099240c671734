"""Reads for handling voices in the back office: the list, the overdue view, action search."""

import datetime
from dataclasses import dataclass

from django.db.models import Q, QuerySet

from hoshin.org.roles import is_public_hearing_office
from hoshin.plans.models import Action
from hoshin.voices.models import CitizenVoice, VoiceStatus, VoiceWriter
from hoshin.voices.selectors.access import voices_visible_to
from hoshin.voices.services.masking import CONTACT_KINDS, MaskResult, mask_for_writer


@dataclass
class VoiceFilters:
    status: str = ""
    department_id: int | None = None  # lead or co-department
    overdue: bool = False
    channel: str = ""
    fy: int | None = None
    text: str = ""


def voices_for_list(*, user, filters: VoiceFilters, today: datetime.date) -> QuerySet:
    """Voices the user may see, filtered; newest first (no personal details are read)."""
    voices = voices_visible_to(user=user)
    if filters.status == "open":
        voices = voices.filter(status__in=VoiceStatus.open())
    elif filters.status:
        voices = voices.filter(status=filters.status)
    if filters.department_id:
        voices = voices.filter(
            Q(lead_department_id=filters.department_id)
            | Q(
                pk__in=CitizenVoice.co_departments.through.objects.filter(
                    department_id=filters.department_id
                ).values("citizenvoice_id")
            )
        )
    if filters.overdue:
        voices = voices_overdue_filter(voices, today=today)
    if filters.channel:
        voices = voices.filter(channel=filters.channel)
    if filters.fy:
        voices = voices.filter(fy=filters.fy)
    if filters.text:
        for word in filters.text.split():
            voices = voices.filter(Q(subject__icontains=word) | Q(body__icontains=word))
    return voices.select_related("category", "lead_department", "reply").order_by("-fy", "-number")


def voices_overdue_filter(voices: QuerySet, *, today: datetime.date) -> QuerySet:
    """Open voices whose reply-by date has passed."""
    return voices.filter(status__in=VoiceStatus.open(), reply_due__lt=today)


def voices_overdue(*, user, today: datetime.date) -> QuerySet:
    """Overdue voices the user may see, most overdue first (the dashboard view)."""
    return (
        voices_overdue_filter(voices_visible_to(user=user), today=today)
        .select_related("category", "lead_department", "reply")
        .order_by("reply_due", "fy", "number")
    )


def voices_due_soon(*, user, today: datetime.date, days: int) -> QuerySet:
    """Open voices due within ``days`` days (not yet overdue)."""
    return (
        voices_visible_to(user=user)
        .filter(
            status__in=VoiceStatus.open(),
            reply_due__gte=today,
            reply_due__lte=today + datetime.timedelta(days=days),
        )
        .select_related("category", "lead_department", "reply")
        .order_by("reply_due", "fy", "number")
    )


def actions_search(*, text: str, limit: int = 30) -> list[Action]:
    """Plan actions whose title, number or text contains every word of ``text``."""
    words = text.split()
    if not words:
        return []
    actions = Action.objects.select_related("plan", "node")
    for word in words:
        actions = actions.filter(
            Q(title__icontains=word) | Q(text__icontains=word) | Q(number__icontains=word)
        )
    return list(actions.order_by("plan__name", "node__depth", "node__position", "position")[:limit])


def department_text(*, voice: CitizenVoice, writer) -> tuple[MaskResult, MaskResult]:
    """Subject and text as shown to staff without access to personal details.

    The writer's own name, e-mail, phone and address and any phone number, e-mail address or
    postal code are masked; other names and places stay, since the department has to act on
    them (which crossing, which facility).
    """
    return (
        mask_for_writer(voice.subject, writer, kinds=CONTACT_KINDS),
        mask_for_writer(voice.body, writer, kinds=CONTACT_KINDS),
    )


def with_display_subjects(voices, *, user) -> list[CitizenVoice]:
    """The voices with ``display_subject``: as written for the office, else masked (access.py)."""
    voices = list(voices)
    office = is_public_hearing_office(user=user)
    writers = (
        {}
        if office
        else {w.voice_id: w for w in VoiceWriter.objects.filter(voice__in=[v.pk for v in voices])}
    )
    for voice in voices:
        voice.display_subject = (
            voice.subject
            if office
            else mask_for_writer(voice.subject, writers.get(voice.pk), kinds=CONTACT_KINDS).text
        )
    return voices
