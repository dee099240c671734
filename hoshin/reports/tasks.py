"""Queued report jobs: building the annual-report PDF into its kept file."""

import datetime

from django_tasks import task

from hoshin.changes import downloads
from hoshin.queue.services import release
from hoshin.reports import selectors
from hoshin.reports.annual_pdf import annual_report_pdf
from hoshin.reports.builds import annual_key, claim_key, sheet_key
from hoshin.reports.selectors import ReportNotFound
from hoshin.reports.sheet_pdf import sheet_pdf


@task()
def build_annual_report(plan_id: int, fy: int, day: str) -> str:
    """Build the annual report of ``plan_id`` and ``fy`` dated ``day`` into its kept file.

    Keyed by the public-data version current when it runs; does nothing if that file exists
    (a second job for the same file, or a re-run after a lost worker). The file is written to a
    temporary name and renamed, so nobody ever reads half a PDF.
    """
    date = datetime.date.fromisoformat(day)
    kept = downloads.cache_path(annual_key(plan_id, fy, date))
    if kept is None:
        return "no download cache"
    if kept.exists():
        return "kept"
    try:
        annual = selectors.annual_plan_public(plan_id=plan_id, fy=fy)
        target = annual_report_pdf(annual, today=date)
        downloads.keep(target, kept)
    except ReportNotFound:
        release(claim_key(kept))
        return "not published"
    except BaseException:
        release(claim_key(kept))  # the next request may try again at once
        raise
    return "built"


@task()
def build_sheet_pdfs(pairs: list[list[int]]) -> int:
    """Print the published sheets ``[[action_id, fy], …]`` into their kept files (after a
    publication, so that the first visitors are served a file). Skips kept and unpublished
    ones; returns how many it printed."""
    printed = 0
    for action_id, fy in pairs:
        kept = downloads.cache_path(sheet_key(action_id, fy))
        if kept is None or kept.exists():
            continue
        try:
            report = selectors.sheet_report_public(action_id=action_id, fy=fy)
        except ReportNotFound:
            continue
        downloads.keep_bytes(sheet_pdf(report), kept)
        printed += 1
    return printed
