"""The public page cache: server-side copies of public pages, ETag/Last-Modified and 304s.

Every public page is a function of the published data, the address asked for and the code
that renders it. The published data has one version (``PublicState``), replaced inside the
transaction of every change to it (``channel.public_data_changing``), so:

* the ETag is a hash of (release, version, address) and ``Last-Modified`` the time of the last
  change: a browser or proxy revalidating with If-None-Match gets ``304 Not Modified`` after
  one small query (with If-Modified-Since alone, after the cache lookup too);
* the rendered page is kept in the ``pages`` cache under the same hash. A change to public data
  changes the version, so the next request misses and renders afresh: nothing is ever stale
  and nothing needs to be deleted (old entries age out).

"Release" covers what changes a page without changing data: the code and templates on disk
(a deploy) and the settings pages print (city name). The page's language (cookie or Accept-Language) is
part of the key, and every page says ``Vary: Accept-Language, Cookie`` for HTTP caches. With ``FileBasedCache`` the
cache outlives a restart, so a deploy must not serve pages rendered by the previous code.

Only plain 200 pages that are the same for everyone are stored: never a response that sets a
cookie, read the session (or the user), or marks itself private. Responses do not vary by
Accept-Encoding: there is no gzip middleware (if one is added it sits outside this decorator
and weakens the ETag itself).

If-Modified-Since has HTTP's one-second resolution; browsers send If-None-Match as well, which
then decides (RFC 9110 §13.2.2), so two changes within one second are never missed by them.
"""

from __future__ import annotations

import hashlib
import os
from functools import cache, wraps

from django.conf import settings
from django.core.cache import caches
from django.http import HttpResponse
from django.utils.cache import get_conditional_response, patch_cache_control, patch_vary_headers
from django.utils.http import http_date, quote_etag
from django.utils.translation import get_language

from hoshin.changes.models import PublicState

PAGE_CACHE = "pages"
MAX_AGE = 60  # seconds browsers and proxies may reuse a page without asking
_PRIVATE_DIRECTIVES = ("private", "no-store", "no-cache")
# What a deploy changes: the code and templates that render pages, and their translations.
_RELEASE_TREES = (("hoshin", ".py"), ("templates", ".html"), ("locale", ".mo"))


def _scan_release() -> str:
    digest = hashlib.sha1()
    for tree, suffix in _RELEASE_TREES:
        for folder, _dirs, files in os.walk(settings.BASE_DIR / tree):
            for name in sorted(files):
                if name.endswith(suffix):
                    stat = os.stat(os.path.join(folder, name))
                    digest.update(f"{folder}/{name}:{stat.st_size}:{stat.st_mtime_ns};".encode())
    return digest.hexdigest()[:16]


_scan_release_once = cache(_scan_release)


def release() -> str:
    """A fingerprint of the code and templates on disk (rescanned per request in DEBUG)."""
    return _scan_release() if settings.DEBUG else _scan_release_once()


def page_key(request, state: PublicState) -> str:
    """The cache key and ETag of this request's page at this version of the public data."""
    parts = (
        release(),
        str(state.version),
        request.scheme,
        request.get_host(),
        request.get_full_path(),
        get_language() or "",
        settings.HOSHIN_CITY_NAME,
    )
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def _is_personal(request, response) -> bool:
    """True when the response may differ per visitor (cookies, session, user, private)."""
    session = getattr(request, "session", None)
    if session is not None and session.accessed:
        return True  # reading request.user reads the session too
    if request.META.get("CSRF_COOKIE_NEEDS_UPDATE") or response.cookies:
        return True
    vary = response.get("Vary", "").lower()
    if "cookie" in vary or "authorization" in vary:
        return True
    cache_control = response.get("Cache-Control", "").lower()
    return any(directive in cache_control for directive in _PRIVATE_DIRECTIVES)


def _storable(request, response) -> bool:
    return (
        response.status_code == 200
        and not response.streaming  # large downloads stream: keeping them would defeat that
        and len(response.content) <= settings.HOSHIN_PAGE_CACHE_MAX_BYTES
        and not _is_personal(request, response)
    )


def _from_cache(entry) -> HttpResponse:
    content, headers = entry
    return HttpResponse(content, headers=headers)


def _to_cache(response) -> tuple[bytes, dict[str, str]]:
    return response.content, dict(response.items())


def public_version_bump() -> None:
    """Make every cached page and ETag obsolete, inside the caller's transaction.

    For derived data written after the commit of the change it derives from (the search
    index): a page rendered between that commit and the derived write would otherwise be kept
    under the new version.
    """
    PublicState.bump()


def public_page(view):
    """Decorate a public GET view: 304 when the visitor's copy is current, else the cached page.

    Sends ``Cache-Control: public, max-age=60`` and, on 200 pages, ``ETag`` and
    ``Last-Modified``. Other methods pass straight through (views add ``require_safe``).
    """

    @wraps(view)
    def page(request, *args, **kwargs):
        if request.method not in ("GET", "HEAD"):
            return view(request, *args, **kwargs)
        if "authorization" in request.headers:
            # Credentials (an API token) may change the answer: never from, nor into, the
            # shared cache, and not for proxies either.
            response = view(request, *args, **kwargs)
            patch_cache_control(response, private=True)
            return response
        state = PublicState.current()
        if state is None:  # public data never changed since the database was created
            response = view(request, *args, **kwargs)
        else:
            response = _validated_page(view, request, state, args, kwargs)
        patch_cache_control(response, public=True, max_age=MAX_AGE)
        # The language comes from the language cookie or Accept-Language (LocaleMiddleware):
        # a shared cache must keep one copy per both, or an English reader gets a Japanese
        # page. Added after the storable check, which treats a view's own Vary: Cookie as
        # "personal"; here it only mirrors what the key already holds (get_language()).
        patch_vary_headers(response, ("Accept-Language", "Cookie"))
        return response

    return page


def _validated_page(view, request, state: PublicState, args, kwargs):
    key = page_key(request, state)
    validators = {"etag": quote_etag(key[:32]), "last_modified": int(state.changed_at.timestamp())}
    if request.headers.get("If-None-Match"):
        # The ETag is only ever sent with a 200 page, so a match means "still that 200 page":
        # answer before looking for the page at all.
        early = get_conditional_response(request, **validators)
        if early is not None:
            return _with_validators(early, **validators)
    pages = caches[PAGE_CACHE]
    entry = pages.get(key)
    if entry is not None:
        response = _from_cache(entry)
    else:
        response = view(request, *args, **kwargs)
        if not _storable(request, response):
            return response  # no validators either: a 404 or a per-visitor page
        pages.set(key, _to_cache(response))
    # If-Modified-Since alone is checked against the page, so a missing page stays 404.
    response = get_conditional_response(request, response=response, **validators)
    return _with_validators(response, **validators)


def _with_validators(response, *, etag: str, last_modified: int):
    if response.status_code in (200, 304):  # not on a 412
        response.headers["ETag"] = etag
        response.headers["Last-Modified"] = http_date(last_modified)
    return response
