"""One signal for "what citizens can see may have changed", sent once per committed transaction.

The search index, the page cache and the feeds all depend on the published data. Rather than
each of them hooking into every model and every bulk service, the changes are collected here:

* single saves and deletes of the public models are caught by Django's model signals below;
* bulk paths that bypass model signals (``QuerySet.update``, ``bulk_create``) call
  :func:`announce` themselves (plan import, ``sheets_publish``).

Two signals go out, both with ``plan_ids``, ``action_ids``, ``sheet_ids``, ``voice_ids`` (of
VoicePublication) and ``department_ids`` (sets of ints, possibly empty):

* ``public_data_changing`` at once, inside the caller's transaction, for cheap receivers whose
  own writes must roll back with it (the page-cache version);
* ``public_data_changed`` after the commit, with the ids of the whole transaction gathered, for
  heavier work (the search index). A rolled-back edit never triggers it; ids left over from a
  rolled-back transaction ride along with the next one, which is harmless because receivers
  must re-read the database anyway (an id may belong to a row deleted or unpublished since).
"""

from __future__ import annotations

import threading

from django.db import transaction
from django.db.models import Model
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.dispatch import Signal

public_data_changing = Signal()
public_data_changed = Signal()

KEYS = ("plan_ids", "action_ids", "sheet_ids", "voice_ids", "department_ids")

_local = threading.local()


def announce(*, plan_ids=(), action_ids=(), sheet_ids=(), voice_ids=(), department_ids=()) -> None:
    """Record that these objects changed (see the module docstring for the two signals).

    Outside a transaction (autocommit) both signals go out at once, as on_commit does.
    """
    ids = {
        "plan_ids": {i for i in plan_ids if i is not None},
        "action_ids": {i for i in action_ids if i is not None},
        "sheet_ids": {i for i in sheet_ids if i is not None},
        "voice_ids": {i for i in voice_ids if i is not None},
        "department_ids": {i for i in department_ids if i is not None},
    }
    if not any(ids.values()):
        return
    public_data_changing.send(sender=None, **ids)
    pending = getattr(_local, "pending", None)
    if pending is None:
        pending = _local.pending = {key: set() for key in KEYS}
    for key, values in ids.items():
        pending[key].update(values)
    # One callback per call: a flag per transaction cannot be kept reliably across savepoints.
    transaction.on_commit(_flush)


def _flush() -> None:
    pending = getattr(_local, "pending", None)
    _local.pending = None
    if pending and any(pending.values()):
        public_data_changed.send(sender=None, **pending)


# --- model signals ---------------------------------------------------------------------------


def _cascaded(instance, kwargs) -> bool:
    """True when this delete is part of a cascade whose origin announces the change itself."""
    origin = kwargs.get("origin")
    return origin is not None and isinstance(origin, Model) and origin is not instance


def _on_plan(sender, instance, **kwargs):
    announce(plan_ids=[instance.pk])


def _on_node(sender, instance, **kwargs):
    """A node: its title is in the path of everything below it, so the whole plan changes."""
    if not _cascaded(instance, kwargs):
        announce(plan_ids=[instance.plan_id])


def _on_action(sender, instance, **kwargs):
    if not _cascaded(instance, kwargs):
        announce(action_ids=[instance.pk])


def _on_action_part(sender, instance, **kwargs):
    """A responsibility line, key project or note: its action (or, for a node's note, the plan)."""
    if _cascaded(instance, kwargs):
        return
    if getattr(instance, "action_id", None) is not None:
        # The action covers its lines: announcing the line's department too would make the
        # search re-read every action of that department (department_ids mean "renamed").
        announce(action_ids=[instance.action_id])
        return
    from hoshin.plans.models import PlanNode

    plan_id = PlanNode.objects.filter(pk=instance.node_id).values_list("plan_id", flat=True)
    announce(plan_ids=[plan_id.first()])


def _on_sheet(sender, instance, **kwargs):
    announce(sheet_ids=[instance.pk])


def _on_sheet_part(sender, instance, **kwargs):
    if not _cascaded(instance, kwargs):
        announce(sheet_ids=[instance.sheet_id])


def _on_voice_publication(sender, instance, **kwargs):
    announce(voice_ids=[instance.pk])


def _on_rating(sender, instance, **kwargs):
    if not _cascaded(instance, kwargs):
        announce(sheet_ids=[instance.sheet_id])


def _on_department(sender, instance, **kwargs):
    announce(department_ids=[instance.pk])


def _on_department_change_links(sender, instance, action, pk_set, **kwargs):
    """A reorganisation links departments (predecessors, successors) and may make one public."""
    if action in ("post_add", "post_remove") and pk_set:
        announce(department_ids=pk_set)


def connect() -> None:
    """Hook the model signals (called from PortalConfig.ready)."""
    from hoshin.evaluations.models import CostLine, EvaluationSheet, Indicator
    from hoshin.org.models import Department, DepartmentChange
    from hoshin.plans.models import Action, ActionDepartment, KeyProject, Note, Plan, PlanNode
    from hoshin.voices.models import ResultRating, VoicePublication

    hooks = [
        (Plan, _on_plan),
        (PlanNode, _on_node),
        (Action, _on_action),
        (Note, _on_action_part),
        (ActionDepartment, _on_action_part),
        (KeyProject, _on_action_part),
        (EvaluationSheet, _on_sheet),
        (Indicator, _on_sheet_part),
        (CostLine, _on_sheet_part),
        (VoicePublication, _on_voice_publication),
        (ResultRating, _on_rating),
        (Department, _on_department),
    ]
    for model, receiver in hooks:
        uid = f"publication-{model._meta.label}"
        post_save.connect(receiver, sender=model, dispatch_uid=f"{uid}-save")
        post_delete.connect(receiver, sender=model, dispatch_uid=f"{uid}-delete")
    for through in (DepartmentChange.predecessors.through, DepartmentChange.successors.through):
        m2m_changed.connect(
            _on_department_change_links, sender=through, dispatch_uid=f"publication-{through}"
        )
