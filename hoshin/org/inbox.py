"""The staff inbox (マイタスク): what is waiting for one person, whichever app it comes from.

Sheets, letters, reply approvals, comment moderation and surveys live in apps above ``org``,
and the page that lists them (``hoshin.backoffice``) sits above those apps. So the apps register
a *provider* here from their ``AppConfig.ready()`` and the page asks this module: an app added
later (the committee app) adds its items without anyone editing the inbox.

A provider is a function ``(*, user, today) -> iterable of InboxItem``. It must return only
items ``user`` may act on, read through its app's own visibility selectors and the predicates
of ``hoshin.org.roles``: the inbox trusts it and shows what it returns.
"""

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.utils.functional import Promise


@dataclass(frozen=True)
class InboxItem:
    """One thing waiting for the user: what, why them, since when, by when, and where to do it."""

    kind: str  # the provider's kind key (counts at the top of the page)
    title: str  # what: a sheet's subject, a letter's receipt number and subject …
    reason: str  # why it waits for this person (the step that is theirs)
    url: str  # the page where the action is done
    due: datetime.date | None = None
    since: datetime.date | None = None  # waiting since (its age when it has no due date)
    context: str = ""  # a short line under the title: plan and year, department …
    state: str = ""  # the item's current state in its own words (a staff status label)

    def days_left(self, today: datetime.date) -> int | None:
        """Days until the due date (negative when overdue); None without a due date."""
        return None if self.due is None else (self.due - today).days

    def age(self, today: datetime.date) -> int | None:
        """Days it has been waiting; None when the provider does not know."""
        return None if self.since is None else (today - self.since).days


InboxProvider = Callable[..., Iterable[InboxItem]]


@dataclass(frozen=True)
class InboxKind:
    key: str
    label: str | Promise
    provider: InboxProvider


_KINDS: dict[str, InboxKind] = {}


def register_inbox_provider(key: str, label: str | Promise, provider: InboxProvider) -> None:
    """List ``provider``'s items in every inbox under ``label`` (a key registered again is
    replaced). Kinds are counted in registration order."""
    _KINDS[key] = InboxKind(key, label, provider)


def registered_inbox_kinds() -> list[InboxKind]:
    return list(_KINDS.values())


@dataclass
class KindCount:
    key: str
    label: str
    count: int
    overdue: int


@dataclass
class Inbox:
    items: list[InboxItem] = field(default_factory=list)
    counts: list[KindCount] = field(default_factory=list)  # kinds with at least one item

    @property
    def total(self) -> int:
        return len(self.items)

    @property
    def overdue(self) -> int:
        return sum(count.overdue for count in self.counts)


def urgency_key(item: InboxItem, today: datetime.date) -> tuple:
    """Overdue first (the most overdue first), then due soonest, then undated by age (oldest
    first); the title breaks ties so the order never depends on the providers' order."""
    far = datetime.date.max
    # Overdue dates are earlier than today's, so one ascending due date puts them first.
    return (item.due is None, item.due or far, item.since or far, item.title)


def inbox_for(*, user, today: datetime.date) -> Inbox:
    """Every registered provider's items for ``user``, most urgent first, with counts per kind."""
    inbox = Inbox()
    if not user.is_authenticated:
        return inbox
    for kind in _KINDS.values():
        items = list(kind.provider(user=user, today=today))
        if not items:
            continue
        overdue = sum(1 for item in items if item.due is not None and item.due < today)
        inbox.counts.append(KindCount(kind.key, str(kind.label), len(items), overdue))
        inbox.items.extend(items)
    inbox.items.sort(key=lambda item: urgency_key(item, today))
    return inbox
