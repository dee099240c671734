"""Reads of published voices for other apps' public pages."""

from hoshin.plans.models import Action
from hoshin.voices.models import VoicePublication


def published_voices_for_action(*, action: Action) -> list[VoicePublication]:
    """Published voices linked to ``action``, newest first: one query, whatever their number."""
    return list(
        VoicePublication.objects.published()
        .filter(voice__actions=action)
        .select_related("voice__category", "answering_department")
        .order_by("-voice__received_on", "-voice__number")
    )
