"""What evaluations tell others: the change channel (see ``hoshin.changes.channel``), hooked from
``EvaluationsConfig.ready``, and ``sheets_published`` for the apps above that act on results.
"""

from django.dispatch import Signal

from hoshin.changes.channel import announce, cascaded, watch

# Sent inside the publishing transaction with ``sheet_ids`` (a list of ints) whenever sheets
# become published (``sheet_transition`` to published and ``sheets_publish``). Receivers that
# send mail must defer it with ``transaction.on_commit``. Voices connects "closing the loop".
sheets_published = Signal()


def _on_sheet(sender, instance, **kwargs):
    announce(sheet_ids=[instance.pk])


def _on_sheet_part(sender, instance, **kwargs):
    if not cascaded(instance, kwargs):
        announce(sheet_ids=[instance.sheet_id])


def connect() -> None:
    """Hook the sheet models to the change channel."""
    from hoshin.evaluations.models import CostLine, EvaluationSheet, Indicator

    watch(EvaluationSheet, _on_sheet)
    watch(Indicator, _on_sheet_part)
    watch(CostLine, _on_sheet_part)
