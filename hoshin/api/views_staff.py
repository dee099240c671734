"""Back-office pages for a member of staff's own API tokens (/staff/api-tokens/).

The secret of a new token is shown once, in the response to the form that created it, and
never again (it is not stored, not put in the session and the page is not cached).
"""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from hoshin.api.forms import TokenCreateForm
from hoshin.api.selectors import api_tokens_of
from hoshin.api.services import ApiTokenError, api_token_create, api_token_revoke
from hoshin.org.roles import login_required_staff


def _page(request: HttpRequest, form: TokenCreateForm, *, new=None, status: int = 200):
    return render(
        request,
        "api/tokens.html",
        {
            "form": form,
            "tokens": api_tokens_of(user=request.user),
            "new": new,
            "docs_url": reverse("api:docs"),
            "crumbs": [(_("APIトークン"), reverse("api_tokens:index"))],
            "nav_section": "api_tokens",
        },
        status=status,
    )


@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
@login_required_staff
def token_index(request: HttpRequest) -> HttpResponse:
    """The user's tokens and a form to create one; after creating, its secret (once)."""
    if request.method != "POST":
        return _page(request, TokenCreateForm())
    form = TokenCreateForm(request.POST)
    if not form.is_valid():
        return _page(request, form, status=400)
    try:
        new = api_token_create(user=request.user, name=form.cleaned_data["name"])
    except ApiTokenError as exc:
        form.add_error("name", str(exc))
        return _page(request, form, status=400)
    return _page(request, TokenCreateForm(), new=new, status=201)


@require_POST
@login_required_staff
def token_revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    """Revoke one of the user's own tokens (another person's token id is 404)."""
    token = api_tokens_of(user=request.user).filter(pk=token_id).first()
    if token is None:
        raise Http404
    try:
        api_token_revoke(token=token, by=request.user)
    except ApiTokenError as exc:  # pragma: no cover - the lookup above is the user's own
        messages.error(request, str(exc))
        return redirect("api_tokens:index")
    messages.success(request, _("トークン「%(name)s」を失効させました。") % {"name": token.name})
    return redirect("api_tokens:index")
