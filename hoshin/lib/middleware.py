"""Project-wide response headers that no single view should have to remember."""

from django.conf import settings

# Pages whose answers are about one person or one staff member's rights: never kept by a
# browser's back/forward cache on a shared office PC, nor by a proxy.
PRIVATE_PREFIXES = ("/staff/", "/admin/", "/api/v1/staff")
PRIVATE_CACHE_CONTROL = "private, no-store"


class PrivateCacheControlMiddleware:
    """``Cache-Control: private, no-store`` on staff pages and on anything a signed-in user gets.

    Public pages keep their own caching (``hoshin.changes.page_cache``) for everyone else. The
    session is only looked at when the request carries a session cookie, so anonymous public
    pages are not marked ``Vary: Cookie`` by this check.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if self._private(request):
            response["Cache-Control"] = PRIVATE_CACHE_CONTROL
            response.headers.pop("Expires", None)
        return response

    @staticmethod
    def _private(request) -> bool:
        if request.path_info.startswith(PRIVATE_PREFIXES):
            return True
        if settings.SESSION_COOKIE_NAME not in request.COOKIES:
            return False
        user = getattr(request, "user", None)
        return bool(user is not None and user.is_authenticated)
