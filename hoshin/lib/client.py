"""The client's address, as every limit counts it (sign-in lockouts, public-form rate limits).

It is ``REMOTE_ADDR``. Behind a reverse proxy that is the proxy's address, so with
``HOSHIN_TRUST_X_FORWARDED_FOR`` on, the last ``X-Forwarded-For`` entry is used instead: the one
the proxy itself appended. Entries further left are whatever the client sent and are ignored, so
a client cannot pick its own address to escape a limit.
"""

from django.conf import settings
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str:
    """The address a limit counts for (see the module docstring about proxies)."""
    if settings.HOSHIN_TRUST_X_FORWARDED_FOR:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        entries = [entry.strip() for entry in forwarded.split(",") if entry.strip()]
        if entries:
            return entries[-1]
    return request.META.get("REMOTE_ADDR", "") or "unknown"
