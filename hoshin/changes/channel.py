"""The change channel: "what citizens can see may have changed", sent once per committed transaction.

The search index, the page cache and the feeds all depend on the published data. Rather than
each of them hooking into every model and every bulk service, the changes are collected here:

* single saves and deletes of the public models are caught by Django's model signals, which
  each app connects to :func:`announce` with :func:`watch` from its ``AppConfig.ready()``;
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
from collections.abc import Callable, Iterator
from contextlib import contextmanager

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
    batch = getattr(_local, "batch", None)
    if batch is not None:
        for key, values in ids.items():
            batch[key].update(values)
        return
    public_data_changing.send(sender=None, **ids)
    pending = getattr(_local, "pending", None)
    if pending is None:
        pending = _local.pending = {key: set() for key in KEYS}
    for key, values in ids.items():
        pending[key].update(values)
    # One callback per call: a flag per transaction cannot be kept reliably across savepoints.
    transaction.on_commit(_flush)


@contextmanager
def batched() -> Iterator[None]:
    """Gather every :func:`announce` inside the block into one, made when the block ends.

    For bulk writers (a plan import creates thousands of rows whose model signals each
    announce): one ``public_data_changing`` (one new version, one open-data change date) and
    one set of ids after the commit, instead of one per row. Nothing is announced if the block
    raises. Nested blocks join the outermost one.
    """
    if getattr(_local, "batch", None) is not None:
        yield
        return
    _local.batch = {key: set() for key in KEYS}
    try:
        yield
        gathered = _local.batch
    finally:
        _local.batch = None
    announce(**gathered)


def _flush() -> None:
    pending = getattr(_local, "pending", None)
    _local.pending = None
    if pending and any(pending.values()):
        public_data_changed.send(sender=None, **pending)


# --- model signals ---------------------------------------------------------------------------
# Each app hooks its own public models from its AppConfig.ready() with :func:`watch`, so this
# channel (low in the layers) never imports the apps that use it.


def cascaded(instance, kwargs) -> bool:
    """True when this delete is part of a cascade whose origin announces the change itself."""
    origin = kwargs.get("origin")
    return origin is not None and isinstance(origin, Model) and origin is not instance


def watch(model: type[Model], receiver: Callable[..., None]) -> None:
    """Call ``receiver(sender, instance, **kwargs)`` after every save and delete of ``model``.

    The receiver turns the instance into an :func:`announce` call; ``dispatch_uid`` makes a second
    registration (a test reloading apps) harmless.
    """
    uid = f"changes-{model._meta.label}"
    post_save.connect(receiver, sender=model, dispatch_uid=f"{uid}-save")
    post_delete.connect(receiver, sender=model, dispatch_uid=f"{uid}-delete")


def watch_links(through: type[Model], receiver: Callable[..., None]) -> None:
    """Call ``receiver`` when rows of a many-to-many ``through`` table are added or removed."""
    m2m_changed.connect(receiver, sender=through, dispatch_uid=f"changes-{through._meta.label}")
