"""Sign-in throttling with django-axes: how failures are counted and what a locked client sees.

django-axes keeps every failed sign-in in its ``AccessAttempt`` table, in the database all
processes and servers share, and its ``AxesStandaloneBackend`` (first in
``AUTHENTICATION_BACKENDS``) refuses a locked client before the next backend hashes a password.
hoshin counts failures per account OR per address (``AXES_LOCKOUT_PARAMETERS``):

- an account is locked after ``HOSHIN_SIGNIN_FAILURE_LIMIT`` failures, from any addresses;
- an address is locked after ``HOSHIN_SIGNIN_ADDRESS_FAILURE_LIMIT`` failures, for any accounts
  (higher, because a whole office may come through one proxy address);

for ``HOSHIN_SIGNIN_LOCKOUT_MINUTES`` after the failure that reached the limit. Failed
second-factor codes count as failures of the account too (``second_factor.py``).

A locked client gets the same page and status (429) whether the account exists or not.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from axes.handlers.database import AxesDatabaseHandler
from axes.handlers.proxy import AxesProxyHandler
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Max, Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone


def failure_limit(request: HttpRequest | None, credentials: dict | None) -> int:
    """``AXES_FAILURE_LIMIT``: failures of one account before it is locked."""
    return max(1, settings.HOSHIN_SIGNIN_FAILURE_LIMIT)


def cool_off(request: HttpRequest | None = None) -> timedelta:
    """``AXES_COOLOFF_TIME``: how long a lockout lasts."""
    return timedelta(minutes=settings.HOSHIN_SIGNIN_LOCKOUT_MINUTES)


class SignInLockoutHandler(AxesDatabaseHandler):
    """axes' database handler with a limit per address of its own.

    axes compares ONE number of failures with ONE limit (the account's). The number returned
    here is the account's failures, or the account limit itself once the address has reached
    its own limit, so that either lock holds.
    """

    def get_failures(self, request, credentials: dict | None = None) -> int:
        by_account, by_address = (
            attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
            for attempts in self.get_user_attempts(request, credentials)
        )
        limit = failure_limit(request, credentials)
        if by_address >= max(1, settings.HOSHIN_SIGNIN_ADDRESS_FAILURE_LIMIT):
            return max(by_account, limit)
        return by_account


def is_locked_out(request: HttpRequest, *, username: str) -> bool:
    """True while ``username`` or the request's address is locked (the second-factor step)."""
    return not AxesProxyHandler.is_allowed(request, {"username": username})


def lockout_response(
    request: HttpRequest, original_response=None, credentials: dict | None = None
) -> HttpResponse:
    """``AXES_LOCKOUT_CALLABLE``: the lockout page, the same for known and unknown accounts."""
    return render(
        request,
        "accounts/locked_out.html",
        {
            "minutes": settings.HOSHIN_SIGNIN_LOCKOUT_MINUTES,
            "contact": settings.HOSHIN_SIGNIN_CONTACT,
        },
        status=429,
    )


@dataclass(frozen=True)
class Lockout:
    """A locked account (``username``) or address (``address``), as the unlock page lists it."""

    kind: str  # "account" or "address"
    value: str
    failures: int
    last_failure: datetime
    until: datetime


def current_lockouts() -> list[Lockout]:
    """Accounts and addresses locked now, most recent first."""
    since = timezone.now() - cool_off()
    recent = AccessAttempt.objects.filter(attempt_time__gte=since)
    found = []
    for kind, field, limit in (
        ("account", "username", failure_limit(None, None)),
        ("address", "ip_address", max(1, settings.HOSHIN_SIGNIN_ADDRESS_FAILURE_LIMIT)),
    ):
        rows = (
            recent.exclude(**{f"{field}__isnull": True})
            .values(field)
            .annotate(failures=Sum("failures_since_start"), last=Max("attempt_time"))
            .filter(failures__gte=limit)
        )
        found += [
            Lockout(kind, row[field], row["failures"], row["last"], row["last"] + cool_off())
            for row in rows
        ]
    return sorted(found, key=lambda lockout: lockout.last_failure, reverse=True)
