"""Annual-report PDFs are built once, by the queue's worker, ahead of the first request.

A report of a hundred pages takes seconds of CPU. Built in the request, four visitors arriving
together after a publication each built it and held four web workers (issue 10, finding 4).
Now:

- the finished file is kept per version of the public data (``hoshin.changes.downloads``);
- when public data changes, the reports of the plans and years concerned are queued at once
  (:func:`on_public_data_changed`), so the file is usually there before anyone asks;
- the evaluation sheets of a publication are printed too (one job), so visitors get files;
  a sheet PDF missing is printed in the request (one or two pages) and kept;
- a request that finds no file *claims* the build (``hoshin.queue.services.claim``: one
  database row per file and version, so one winner across processes and servers) and queues
  it; every request without the file answers at once with a short 503 page "作成中" carrying
  ``Retry-After`` and a meta refresh, holding no web worker while the PDF is built.

A build whose worker died leaves its claim; the claim may be taken again after
``HOSHIN_TASK_STALE_SECONDS`` and the job itself is re-run by the worker's recovery. Writing the
file is atomic (temporary name, then rename), so a re-run or a concurrent build never leaves a
half-written PDF.
"""

from __future__ import annotations

import datetime
import logging
from pathlib import Path

from django.conf import settings
from django.db.models import Max
from django.dispatch import receiver
from django.utils import timezone

from hoshin.changes import downloads
from hoshin.changes.channel import public_data_changed
from hoshin.evaluations.selectors.public import sheets_published
from hoshin.queue.services import claim

logger = logging.getLogger(__name__)

# A publication touching more plans and years than this queues the first ones; the others are
# built on their first request.
PREBUILD_LIMIT = 20
# A sheet published less than this long ago counts as "just published" (see changed_reports).
RECENT_SECONDS = 3600


def annual_key(plan_id: int, fy: int, day: datetime.date) -> str:
    """The kept file's key: the cover carries the day it was printed."""
    return f"annual-report|{plan_id}|{fy}|{day.isoformat()}"


def sheet_key(action_id: int, fy: int) -> str:
    return f"sheet-report|{action_id}|{fy}"


def claim_key(path: Path) -> str:
    """One claim per file and data version (the folder is the version)."""
    return "build|" + "/".join(path.parts[-2:])


def request_annual(*, plan_id: int, fy: int, day: datetime.date, kept: Path):
    """Queue the build of ``kept`` unless another process already did (single flight); the
    job's result, or None when it was queued before."""
    from hoshin.reports.tasks import build_annual_report

    if claim(claim_key(kept), stale_after=settings.HOSHIN_TASK_STALE_SECONDS):
        return build_annual_report.enqueue(plan_id, fy, day.isoformat())
    return None


def changed_reports(*, plan_ids, sheet_ids) -> list[tuple[int, int]]:
    """(plan, year) of the published reports a change touches: the years of the sheets just
    published, and the latest published year of each changed plan."""
    published = sheets_published()
    # Sheets published just now; a citizen's rating also announces its (long published) sheet,
    # and rebuilding a report for every rating would keep the worker busy for nothing (the
    # first request after it queues the build instead).
    recent = timezone.now() - datetime.timedelta(seconds=RECENT_SECONDS)
    pairs = set(
        published.filter(pk__in=list(sheet_ids), published_at__gte=recent)
        .values_list("cycle__plan_id", "cycle__fy")
        .distinct()
    )
    if plan_ids:
        latest = (
            published.filter(cycle__plan_id__in=list(plan_ids))
            .values("cycle__plan_id")
            .annotate(fy=Max("cycle__fy"))
        )
        pairs |= {(row["cycle__plan_id"], row["fy"]) for row in latest}
    return sorted(pairs)[:PREBUILD_LIMIT]


@receiver(public_data_changed, dispatch_uid="reports-prebuild")
def on_public_data_changed(sender, *, plan_ids=(), sheet_ids=(), **kwargs) -> None:
    """After a committed change, queue the reports it touches (they get a new version).

    Connected after the search index's receiver (INSTALLED_APPS order), which gives the data a
    new version once more: the build reads the version when it runs, so it keeps the file
    under the one visitors will ask for. A failure is logged: a request builds it anyway.
    """
    if not settings.HOSHIN_DOWNLOAD_CACHE_DIR:
        return
    from hoshin.reports.tasks import build_sheet_pdfs

    try:
        day = timezone.localdate()
        for plan_id, fy in changed_reports(plan_ids=plan_ids, sheet_ids=sheet_ids):
            kept = downloads.cache_path(annual_key(plan_id, fy, day))
            if kept is not None and not kept.exists():
                request_annual(plan_id=plan_id, fy=fy, day=day, kept=kept)
        # The one- or two-page sheets of a publication: printed by the worker in one job.
        recent = timezone.now() - datetime.timedelta(seconds=RECENT_SECONDS)
        sheets = sheets_published().filter(
            pk__in=list(sheet_ids), action__isnull=False, published_at__gte=recent
        )
        pairs = [list(pair) for pair in sheets.values_list("action_id", "cycle__fy")]
        if pairs:
            build_sheet_pdfs.enqueue(pairs)
    except Exception:
        logger.exception("queueing annual reports after a change failed")
