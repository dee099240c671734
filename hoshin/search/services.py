"""Keeping the search index in step with the data.

The index is rebuilt per object after every committed change to public data (a large plan
on the queue, ``hoshin.search.tasks``): the portal's
``public_data_changed`` signal (hoshin/changes/channel.py) carries the ids of plans, sheets,
voice publications and departments that changed, and :func:`on_public_data_changed` re-reads
them. Re-reading (rather than trusting what the signal says) is what keeps the index correct
when something is unpublished, deleted or rolled back: an entry's scope always follows the
database as it is now. ``search_rebuild`` starts from scratch (management command).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from itertools import islice

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.dispatch import receiver

from hoshin.changes.channel import public_data_changed
from hoshin.changes.page_cache import public_version_bump
from hoshin.evaluations.models import EvaluationSheet, Stage
from hoshin.plans.models import Action, ActionDepartment, Plan
from hoshin.queue.services import enqueue
from hoshin.search import documents
from hoshin.search.backends import backend
from hoshin.search.documents import Draft
from hoshin.search.models import EntryKind, SearchEntry
from hoshin.voices.models import VoicePublication

logger = logging.getLogger(__name__)

CHUNK = 1000


def _chunks(items: Iterable, size: int = CHUNK) -> Iterator[list]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


def _remove(entries) -> None:
    ids = list(entries.values_list("pk", flat=True))
    for chunk in _chunks(ids):
        backend().delete(chunk)
        SearchEntry.objects.filter(pk__in=chunk).delete()


def _add(drafts: Iterable[Draft]) -> int:
    count = 0
    for chunk in _chunks(drafts):
        entries = SearchEntry.objects.bulk_create([draft.entry for draft in chunk])
        for draft, entry in zip(chunk, entries, strict=True):
            draft.entry = entry
        engine = backend()
        engine.delete([entry.pk for entry in entries])  # rows a test flush may have left behind
        engine.write([draft.document() for draft in chunk])
        count += len(chunk)
    return count


def _sheet_drafts(sheets) -> Iterator[Draft]:
    for sheet in sheets.iterator(chunk_size=CHUNK):
        public = sheet.stage == Stage.PUBLISHED and sheet.cycle.plan.is_published
        yield documents.sheet_draft(sheet, public=public)


@transaction.atomic
def search_index_plans(*, plan_ids: Iterable[int]) -> int:
    """Re-index these plans: the plan, its nodes, actions and every sheet of every year.

    A plan that no longer exists just loses its entries. Returns the number of entries written.
    """
    plan_ids = set(plan_ids)
    _remove(SearchEntry.objects.filter(plan_id__in=plan_ids))
    count = 0
    for plan in Plan.objects.filter(pk__in=plan_ids):
        count += _add(documents.plan_drafts(plan))
        count += _add(_sheet_drafts(documents.sheets_for_index().filter(cycle__plan=plan)))
    return count


@transaction.atomic
def search_index_actions(*, action_ids: Iterable[int]) -> int:
    """Re-index these actions and their sheets (whose titles and departments come from them).

    An edit of one action re-reads that action, not its whole plan.
    """
    action_ids = set(action_ids)
    _remove(SearchEntry.objects.filter(kind=EntryKind.ACTION, object_id__in=action_ids))
    count = 0
    actions = Action.objects.filter(pk__in=action_ids)
    for plan in Plan.objects.filter(actions__in=actions).distinct():
        count += _add(documents.action_drafts(plan, actions.filter(plan=plan)))
    sheets = EvaluationSheet.objects.filter(action_id__in=action_ids).values_list("pk", flat=True)
    return count + search_index_sheets(sheet_ids=list(sheets))


@transaction.atomic
def search_index_sheets(*, sheet_ids: Iterable[int]) -> int:
    """Re-index these evaluation sheets (published ones publicly, the others for staff only)."""
    sheet_ids = set(sheet_ids)
    _remove(SearchEntry.objects.filter(kind=EntryKind.SHEET, object_id__in=sheet_ids))
    return _add(_sheet_drafts(documents.sheets_for_index(sheet_ids)))


@transaction.atomic
def search_index_voices(*, publication_ids: Iterable[int]) -> int:
    """Re-index these voice publications; only published ones (with consent) are kept."""
    publication_ids = set(publication_ids)
    _remove(SearchEntry.objects.filter(kind=EntryKind.VOICE, object_id__in=publication_ids))
    published = (
        VoicePublication.objects.published()
        .filter(pk__in=publication_ids)
        .select_related("answering_department")
    )
    return _add(documents.voice_draft(publication) for publication in published)


@transaction.atomic
def search_rebuild() -> int:
    """Empty the index and index everything again. Returns the number of entries."""
    backend().clear()
    SearchEntry.objects.all().delete()
    count = search_index_plans(plan_ids=Plan.objects.values_list("pk", flat=True))
    publications = VoicePublication.objects.published().values_list("pk", flat=True)
    return count + search_index_voices(publication_ids=publications)


def search_clear_orphans(**kwargs) -> None:
    """Empty the full-text table when the entry table is empty (after Django's test flush,
    which truncates model tables only)."""
    if not SearchEntry.objects.exists():
        backend().clear()


def _index_plans(plan_ids: set[int]) -> None:
    """Re-index plans now, or on the queue when they are large (HOSHIN_SEARCH_QUEUE_ACTIONS):
    re-reading 10,000 actions takes seconds that an import or a publication should not wait."""
    from hoshin.search.tasks import index_plans

    size = Action.objects.filter(plan_id__in=plan_ids).count()
    if size > settings.HOSHIN_SEARCH_QUEUE_ACTIONS:
        enqueue(index_plans, sorted(plan_ids))
    else:
        search_index_plans(plan_ids=plan_ids)


@receiver(public_data_changed, dispatch_uid="search-index")
def on_public_data_changed(
    sender, *, plan_ids, sheet_ids, voice_ids, department_ids, action_ids=(), **kwargs
):
    """Follow a committed change. A failure is logged, never raised: the change itself is
    already committed (a citizen's submission must not turn into an error page), and
    ``manage.py search_rebuild`` repairs the index."""
    try:
        plans = set(plan_ids)
        if plans:
            _index_plans(plans)
        actions = set(action_ids)
        if department_ids:
            # A renamed department changes the text of the actions it is responsible for.
            actions |= set(
                ActionDepartment.objects.filter(department_id__in=department_ids).values_list(
                    "action_id", flat=True
                )
            )
        # Actions of a plan re-indexed whole are already done.
        actions -= set(
            Action.objects.filter(pk__in=actions, plan_id__in=plans).values_list("pk", flat=True)
        )
        if actions:
            search_index_actions(action_ids=actions)
        sheets = set(sheet_ids)
        if sheets and (plans or actions):
            done = Q(cycle__plan_id__in=plans) | Q(action_id__in=actions)
            sheets -= set(
                EvaluationSheet.objects.filter(done, pk__in=sheets).values_list("pk", flat=True)
            )
        if sheets:
            search_index_sheets(sheet_ids=sheets)
        if voice_ids:
            search_index_voices(publication_ids=voice_ids)
        # Search pages rendered between the data's commit and this index write were cached
        # under the data's version with the old index: give the public data a new version.
        public_version_bump()
    except Exception:
        logger.exception("search index update failed; run manage.py search_rebuild")
