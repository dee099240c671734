"""マイタスク: one inbox per person, across every app that registered items with
``hoshin.org.inbox`` (sheets, letters, reply approvals, moderation, surveys …)."""

from dataclasses import dataclass

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from hoshin.org.inbox import InboxItem, inbox_for
from hoshin.org.roles import login_required_staff

SOON_DAYS = 7  # a due date this close is marked "soon"


@dataclass(frozen=True)
class Row:
    item: InboxItem
    label: str  # the kind's label
    days_left: int | None
    age: int | None

    @property
    def overdue(self) -> bool:
        return self.days_left is not None and self.days_left < 0

    @property
    def soon(self) -> bool:
        return self.days_left is not None and 0 <= self.days_left <= SOON_DAYS


@never_cache
@login_required_staff
def inbox(request: HttpRequest) -> HttpResponse:
    """Everything waiting for the signed-in person, most urgent first, with counts per kind."""
    today = timezone.localdate()
    found = inbox_for(user=request.user, today=today)
    kind = request.GET.get("kind", "")
    known = {count.key for count in found.counts}
    kind = kind if kind in known else ""
    labels = {count.key: count.label for count in found.counts}
    rows = [
        Row(item, labels[item.kind], item.days_left(today), item.age(today))
        for item in found.items
        if not kind or item.kind == kind
    ]
    return render(
        request,
        "backoffice/inbox.html",
        {
            "inbox": found,
            "rows": rows,
            "kind": kind,
            "kind_label": labels.get(kind, ""),
            "today": today,
            "crumbs": [(_("マイタスク"), reverse("backoffice:tasks"))],
            "nav_section": "tasks",
        },
    )
