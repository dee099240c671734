"""Template tags for published voices on other apps' public pages (the portal's action page)."""

from django import template

from hoshin.voices.models import VoicePublication

register = template.Library()


@register.simple_tag
def published_voices_for(action) -> list[VoicePublication]:
    """Published voices linked to ``action``, newest first: one query, whatever their number."""
    return list(
        VoicePublication.objects.published()
        .filter(voice__actions=action)
        .select_related("voice__category", "answering_department")
        .order_by("-voice__received_on", "-voice__number")
    )
