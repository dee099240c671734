"""Bearer-token authentication for the staff endpoints.

Only ``Authorization: Bearer <token>`` authenticates them: a browser session never does, so
the token endpoints need no CSRF protection and a logged-in page cannot be tricked into
writing through the API (a cross-site request cannot set that header).
"""

from django.http import HttpRequest
from ninja.security import HttpBearer

from hoshin.api.selectors import api_token_authenticate


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str):
        """The ApiToken (``request.auth``) for an active token, else None (→ 401)."""
        found = api_token_authenticate(secret=token.strip())
        if found is not None:
            # Services and selectors take a user; the token stands for its owner.
            request.user = found.user
        return found
