"""Published voices and citizens' ratings tell the change channel (``hoshin.changes.channel``);
voices also listens to ``evaluations.signals.sheets_published``. Connected from ``VoicesConfig``."""

from hoshin.changes.channel import announce, cascaded, watch


def _on_voice_publication(sender, instance, **kwargs):
    announce(voice_ids=[instance.pk])


def _on_rating(sender, instance, **kwargs):
    if not cascaded(instance, kwargs):
        announce(sheet_ids=[instance.sheet_id])


def connect() -> None:
    """Hook the public voice models to the change channel and close the loop on publication."""
    from hoshin.evaluations.signals import sheets_published
    from hoshin.voices.models import ResultRating, VoicePublication
    from hoshin.voices.services.loop import on_sheets_published

    watch(VoicePublication, _on_voice_publication)
    watch(ResultRating, _on_rating)
    sheets_published.connect(on_sheets_published, dispatch_uid="voices-close-the-loop")
