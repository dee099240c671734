"""Citizens rate a published result on the portal; staff moderate the comments.

Public side (no login, no JavaScript): the form under each published result on the action page
posts to ``rating``. The action page is cached publicly and carries no cookie, so the form has
no CSRF token; instead the view refuses a POST whose ``Origin`` header names another site, and
spam is held off as on the public voice form (``hoshin.voices.abuse``: the honeypot field and
``HOSHIN_PUBLIC_FORM_RATE_LIMIT`` stored ratings per address per hour), by one rating per
browser and result (a signed cookie), by storing a double click once, and by the moderation of
every comment. Nothing here can act for a signed-in user, which
is what CSRF tokens protect. A result that is not published answers 404, like an unknown id.

Staff side: the planning office and the public-hearing office approve or reject comments.
"""

import hashlib
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseForbidden
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from hoshin.evaluations.models import EvaluationSheet
from hoshin.evaluations.selectors.access import sheets_visible_to
from hoshin.lib.fiscal import display_fiscal_year
from hoshin.org.roles import role_required
from hoshin.throttle import counters
from hoshin.voices import abuse
from hoshin.voices.forms.ratings import RatingForm
from hoshin.voices.models import RatingStatus, ResultRating
from hoshin.voices.selectors.ratings import (
    moderation_counts,
    ratings_for_moderation,
)
from hoshin.voices.services.ratings import (
    COMMENT_LIMIT,
    rating_moderate,
    rating_submit,
    sheets_rateable,
    user_can_moderate_ratings,
)

RATED_COOKIE = "hoshin_rated"
RATED_COOKIE_SALT = "hoshin.voices.ratings"
RATED_COOKIE_AGE = 365 * 24 * 3600
RATED_REMEMBERED = 200  # sheet ids kept in the cookie (the newest)
DUPLICATE_SECONDS = 30  # the same rating again from the same address: a double click
PER_PAGE = 50


# ---- abuse guards (shared with the public voice form: hoshin/voices/abuse.py) ---------------


def rating_rate_limit() -> abuse.RateLimit:
    """Stored ratings (and honeypot hits) per address per hour: the public forms' limit,
    counted apart from the voice form so that rating results never uses up a letter."""
    return abuse.RateLimit("rating", settings.HOSHIN_PUBLIC_FORM_RATE_LIMIT)


def _foreign_origin(request: HttpRequest) -> bool:
    """True when the browser says the form was posted from another site."""
    origin = request.headers.get("Origin")
    if not origin or origin == "null":
        return origin == "null"
    if origin in settings.CSRF_TRUSTED_ORIGINS:
        return False
    # Scheme, host and port, as Django's CSRF check does: http://city.example is another origin
    # than https://city.example (a page on the plain-HTTP site could post as the secure one).
    parts = urlsplit(origin)
    own_scheme = "https" if request.is_secure() else "http"
    return (parts.scheme.lower(), parts.netloc.lower()) != (own_scheme, request.get_host().lower())


def _duplicate(request: HttpRequest, sheet_id: int, score: int, comment: str) -> bool:
    """The same rating from the same address moments ago (a double click or a reload)."""
    digest = hashlib.sha256(f"{sheet_id}:{score}:{comment}".encode()).hexdigest()[:32]
    name = f"ratings:recent:{abuse.client_address(request)}:{digest}"
    return not counters.first_in_window(name, seconds=DUPLICATE_SECONDS)


def rated_sheets(request: HttpRequest) -> list[int]:
    """Sheets this browser has rated (from the signed cookie; a tampered cookie counts as none)."""
    value = request.get_signed_cookie(RATED_COOKIE, default="", salt=RATED_COOKIE_SALT)
    return [int(part) for part in value.split(",") if part.isdigit()]


def _remember(response: HttpResponse, rated: list[int], sheet_id: int) -> None:
    ids = [*[pk for pk in rated if pk != sheet_id], sheet_id][-RATED_REMEMBERED:]
    response.set_signed_cookie(
        RATED_COOKIE,
        ",".join(str(pk) for pk in ids),
        salt=RATED_COOKIE_SALT,
        max_age=RATED_COOKIE_AGE,
        httponly=True,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
    )


# ---- public views ----------------------------------------------------------------------------


def _rateable_sheet(sheet_id: int) -> EvaluationSheet:
    try:
        return sheets_rateable().select_related("cycle", "action").get(pk=sheet_id)
    except EvaluationSheet.DoesNotExist:
        raise Http404(_("評価結果が見つかりません。")) from None


def _result_url(sheet: EvaluationSheet) -> str:
    return f"{sheet.action.get_absolute_url()}#result-{sheet.cycle.fy}"


def _thanks(sheet: EvaluationSheet, **flags) -> HttpResponse:
    url = reverse("voices:rating_thanks", args=[sheet.pk])
    return redirect(url + ("?" + urlencode(flags) if flags else ""))


def _form_page(request: HttpRequest, sheet, form: RatingForm, *, status: int = 200):
    return render(
        request,
        "voices/ratings/form_page.html",
        {
            "sheet": sheet,
            "fy_label": display_fiscal_year(sheet.cycle.fy),
            "form": form,
            "prefix": f"rating-{sheet.cycle.fy}",
            "result_url": _result_url(sheet),
            "comment_limit": COMMENT_LIMIT,
            "already": sheet.pk in rated_sheets(request),
            "nav_section": "plans",
        },
        status=status,
    )


@csrf_exempt  # see the module docstring: no session to protect, Origin is checked instead
@never_cache
@require_http_methods(["GET", "HEAD", "POST"])
def rating(request: HttpRequest, sheet_id: int) -> HttpResponse:
    """GET: the form on its own page; POST: store a rating of a published result."""
    if request.method == "POST" and _foreign_origin(request):
        return HttpResponseForbidden(_("別のサイトから送信されたため受け付けませんでした。"))
    sheet = _rateable_sheet(sheet_id)
    if request.method != "POST":
        return _form_page(request, sheet, RatingForm())
    limit, address = rating_rate_limit(), abuse.client_address(request)
    if limit.exceeded(address):
        return render(
            request,
            "voices/ratings/limited.html",
            {"result_url": _result_url(sheet), "nav_section": "plans"},
            status=429,
        )
    if abuse.honeypot_filled(request.POST):
        limit.record(address)
        abuse.log_honeypot(request)
        return _thanks(sheet)  # a bot filled the hidden field: say thanks, store nothing
    rated = rated_sheets(request)
    if sheet.pk in rated:
        return _thanks(sheet, already=1)
    form = RatingForm(request.POST)
    if not form.is_valid():
        return _form_page(request, sheet, form, status=400)
    score, comment = form.cleaned_data["score"], form.cleaned_data["comment"]
    if _duplicate(request, sheet.pk, score, comment):
        return _thanks(sheet, comment=1) if comment else _thanks(sheet)
    try:
        rating_submit(sheet_id=sheet.pk, score=score, comment=comment)
    except EvaluationSheet.DoesNotExist:  # withdrawn from publication meanwhile
        raise Http404(_("評価結果が見つかりません。")) from None
    except ValidationError as exc:
        for name, errors in exc.message_dict.items():
            for error in errors:
                form.add_error(name if name in form.fields else None, error)
        return _form_page(request, sheet, form, status=400)
    limit.record(address)
    response = _thanks(sheet, comment=1) if comment else _thanks(sheet)
    _remember(response, rated, sheet.pk)
    return response


@never_cache
@require_safe
def rating_thanks(request: HttpRequest, sheet_id: int) -> HttpResponse:
    """After a rating: thanks, what happens to the comment, and the way back to the result."""
    sheet = _rateable_sheet(sheet_id)
    return render(
        request,
        "voices/ratings/thanks.html",
        {
            "sheet": sheet,
            "fy_label": display_fiscal_year(sheet.cycle.fy),
            "result_url": _result_url(sheet),
            "with_comment": request.GET.get("comment") == "1",
            "already": request.GET.get("already") == "1",
            "nav_section": "plans",
        },
    )


# ---- staff: moderation -----------------------------------------------------------------------


# Planning office, public-hearing office or administrator; other staff get 403.
moderator_required = role_required(
    user_can_moderate_ratings, holders=gettext_lazy("企画担当・広聴担当とシステム管理者")
)


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


@never_cache
@require_safe
@moderator_required
def moderation(request: HttpRequest) -> HttpResponse:
    """Comments on published results by moderation state (pending first), with their sheet."""
    status = request.GET.get("status", RatingStatus.PENDING)
    if status not in RatingStatus.values:
        status = RatingStatus.PENDING
    sheet_id = _int(request.GET.get("sheet"))
    sheet = (
        EvaluationSheet.objects.select_related("cycle__plan", "action", "node")
        .filter(pk=sheet_id)
        .first()
        if sheet_id
        else None
    )
    page = Paginator(
        ratings_for_moderation(status=status, sheet_id=sheet.pk if sheet else None), PER_PAGE
    ).get_page(request.GET.get("page"))
    # The public-hearing office may not open staff sheets: link each comment to the staff sheet
    # only where the moderator may open it, and to the public action page otherwise.
    on_page = {rating.sheet_id for rating in page.object_list}
    openable = set(
        sheets_visible_to(user=request.user).filter(pk__in=on_page).values_list("pk", flat=True)
    )
    for rating in page.object_list:
        rating.staff_sheet_visible = rating.sheet_id in openable
    counts = moderation_counts()
    base = {"sheet": sheet.pk} if sheet else {}
    tabs = [
        (
            s.value,
            s.label,
            counts[s.value],
            reverse("voices_staff:ratings") + "?" + urlencode({**base, "status": s.value}),
        )
        for s in RatingStatus
    ]
    return render(
        request,
        "voices/ratings/moderation.html",
        {
            "status": status,
            "status_label": RatingStatus(status).label,
            "tabs": tabs,
            "page": page,
            "sheet": sheet,
            "page_query": urlencode({**base, "status": status}),
            "next": request.get_full_path(),
            "crumbs": [(_("評価結果へのコメントの確認"), reverse("voices_staff:ratings"))],
            "nav_section": "voices",
        },
    )


@require_POST
@moderator_required
def moderate(request: HttpRequest, rating_id: int) -> HttpResponse:
    """Approve or reject one comment, then go back to the list the moderator was on."""
    rating = get_object_or_404(ResultRating, pk=rating_id)
    decision = request.POST.get("decision", "")
    try:
        rating_moderate(rating=rating, decision=decision, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("コメントを「%(status)s」にしました。") % {"status": RatingStatus(decision).label},
        )
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = reverse("voices_staff:ratings")
    return redirect(target)
