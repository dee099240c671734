"""Public pages for writers: send a voice, see its receipt number once, follow it by number.

- ``new`` (/voices/new/): the form. POST stores the voice once per submission key and
  redirects (PRG) to ``thanks``. No login; works without JavaScript.
- ``thanks`` (/voices/thanks/<key>/): the receipt number, and the secret (照会キー) exactly
  once: between the POST and this page it waits in a short-lived signed, HttpOnly cookie
  limited to this path, deleted when shown (the secret is the writer's own, so it may sit in
  their browser for that minute; a cookie costs no database write, unlike a session).
  /voices/thanks/ without a key is the neutral page a honeypot hit is sent to.
- ``status`` (/voices/status/): receipt number + secret (POST) → the voice's honest status and
  the reply once sent. A wrong number and a wrong secret get the same message, and failed
  look-ups are rate-limited per address.
"""

import json
import logging
import uuid
from functools import wraps

from django.conf import settings
from django.core.exceptions import (
    RequestDataTooBig,
    TooManyFieldsSent,
    TooManyFilesSent,
    ValidationError,
)
from django.http import HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_GET, require_http_methods

from hoshin.voices import abuse
from hoshin.voices.forms.public import PublicVoiceForm, StatusLookupForm
from hoshin.voices.models import (
    Channel,
    CitizenVoice,
    ReplyStage,
    VoiceReply,
    VoiceStatus,
)
from hoshin.voices.selectors.timeline import STATUS_EXPLANATIONS, status_timeline
from hoshin.voices.services.intake import secret_hash, secret_matches
from hoshin.voices.services.submission import voice_submit

logger = logging.getLogger(__name__)

RECEIPT_COOKIE = "hoshin_voice_receipt"  # the secret, until the thanks page has shown it
_RECEIPT_COOKIE_SALT = "hoshin.voices.receipt-cookie"
_RECEIPT_COOKIE_MAX_AGE = 30 * 60


def _crumbs(*extra: tuple[str, str]) -> list[tuple[str, str]]:
    return [(gettext("市民の声"), reverse("voices:published_list")), *extra]


# ---- requests with uploads ----------------------------------------------------------------


def _refuse(request: HttpRequest, status: int) -> HttpResponse:
    limits = abuse.UploadLimits.from_settings()
    return render(
        request,
        "voices/public/request_refused.html",
        {
            "status_code": status,
            "max_file_mb": limits.max_file_bytes // (1024 * 1024),
            "max_total_mb": limits.max_total_bytes // (1024 * 1024),
            "back_url": request.path,
        },
        status=status,
    )


def upload_guarded(view):
    """Check a voice form's size while it is read, then check CSRF and run ``view``.

    The size-checking upload handler has to be in place before anything reads request.POST,
    and the CSRF check reads it, so the check runs here, after the handler is installed
    (the pattern Django's documentation gives for custom upload handlers). Oversized files
    end up in ``request.rejected_uploads`` for the form to report; a request too large to
    be a voice form at all gets a 413 page instead of Django's bare 400.
    """
    protected = csrf_protect(view)

    @csrf_exempt
    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        request.rejected_uploads = []
        if request.method == "POST":
            if abuse.request_too_large(request, abuse.UploadLimits.from_settings()):
                return _refuse(request, 413)
            handler = abuse.upload_guard_install(request)
            try:
                request.POST  # noqa: B018 — read it now, while errors can still be answered
                request.FILES  # noqa: B018
            except (RequestDataTooBig, TooManyFilesSent, TooManyFieldsSent):
                return _refuse(request, 413)
            except MultiPartParserError:
                return _refuse(request, 400)
            request.rejected_uploads = handler.rejected
        return protected(request, *args, **kwargs)

    return wrapper


def form_submit(request: HttpRequest, form, *, by=None, **extra):
    """Store the voice of a valid form; errors from the service go back onto the form."""
    try:
        return voice_submit(**form.voice_fields(), by=by, **extra)
    except ValidationError as error:
        form.add_error(None, error)
        return None


def receipt_cookie_set(
    response: HttpResponse, received, *, has_email: bool, path: str
) -> HttpResponse:
    """Keep the secret for the page after the redirect (shown once, then deleted)."""
    if received.created:  # an earlier copy of this submission already set it
        value = json.dumps(
            {
                "key": str(received.voice.submission_key),
                "secret": received.secret,
                "email": has_email,
            }
        )
        response.set_signed_cookie(
            RECEIPT_COOKIE,
            value,
            salt=_RECEIPT_COOKIE_SALT,
            max_age=_RECEIPT_COOKIE_MAX_AGE,
            path=path,
            secure=settings.SESSION_COOKIE_SECURE,
            httponly=True,
            samesite="Lax",
        )
    return response


def receipt_cookie_read(request: HttpRequest, key: uuid.UUID) -> dict:
    """What ``receipt_cookie_set`` kept for submission ``key``; {} if nothing (or forged)."""
    raw = request.get_signed_cookie(
        RECEIPT_COOKIE, default=None, salt=_RECEIPT_COOKIE_SALT, max_age=_RECEIPT_COOKIE_MAX_AGE
    )
    try:
        entry = json.loads(raw) if raw else {}
    except ValueError:
        return {}
    return entry if isinstance(entry, dict) and entry.get("key") == str(key) else {}


def receipt_cookie_delete(response: HttpResponse, *, path: str) -> HttpResponse:
    response.delete_cookie(RECEIPT_COOKIE, path=path, samesite="Lax")
    return response


# ---- the form -------------------------------------------------------------------------------


def _already_stored(raw_key: str | None) -> CitizenVoice | None:
    try:
        key = uuid.UUID(raw_key or "")
    except ValueError:
        return None
    return CitizenVoice.objects.filter(submission_key=key).only("submission_key").first()


@never_cache
@require_http_methods(["GET", "POST"])
@upload_guarded
def new(request: HttpRequest) -> HttpResponse:
    """The public form (letter to the mayor, opinion, proposal)."""
    status = 200
    if request.method == "GET":
        form = PublicVoiceForm()
    else:
        address = abuse.client_address(request)
        limit = abuse.submission_rate_limit()
        form = PublicVoiceForm(
            request.POST, request.FILES, rejected_uploads=request.rejected_uploads
        )
        if abuse.honeypot_filled(request.POST):
            abuse.log_honeypot(request)
            limit.record(address)
            return redirect("voices:thanks_neutral")
        stored = _already_stored(request.POST.get("submission_key"))
        if stored is not None:
            # The second click of a double click, or a reload: show what the first one got,
            # even when that first one used up the rate limit.
            return redirect("voices:thanks", key=stored.submission_key)
        if limit.exceeded(address):
            form.is_valid()  # show the writer's text again, with the reason on top
            form.add_error(
                None,
                gettext(
                    "この端末からの送信が短い時間に続いたため、受け付けを一時的に止めています。"
                    "1時間ほどたってから、もう一度送信してください。"
                    "お急ぎの場合は、お手数ですが電話か郵便でお寄せください。"
                ),
            )
            status = 429
        elif form.is_valid():
            received = form_submit(
                request, form, channel=Channel.WEB, received_on=timezone.localdate()
            )
            if received is not None:
                if received.created:
                    limit.record(address)
                return receipt_cookie_set(
                    redirect("voices:thanks", key=received.voice.submission_key),
                    received,
                    has_email=bool(form.cleaned_data.get("email")),
                    path=reverse("voices:thanks_neutral"),
                )
    return render(
        request,
        "voices/public/new.html",
        {
            "form": form,
            "files_lost": bool(request.FILES) and form.is_bound and not form.is_valid(),
            "crumbs": _crumbs((gettext("市民の声を送る"), reverse("voices:new"))),
            "nav_section": "voices",
        },
        status=status,
    )


@never_cache
@require_GET
def thanks(request: HttpRequest, key: uuid.UUID | None = None) -> HttpResponse:
    """The receipt number after sending, and the secret the first time this page is shown."""
    voice = None
    if key is not None:
        voice = CitizenVoice.objects.filter(submission_key=key).first()
    entry = receipt_cookie_read(request, key) if voice is not None else {}
    response = render(
        request,
        "voices/public/thanks.html",
        {
            "voice": voice,
            "secret": entry.get("secret", ""),
            "email_sent": entry.get("email", False),
            "crumbs": _crumbs((gettext("送信しました"), request.path)),
            "nav_section": "voices",
        },
    )
    if entry:
        receipt_cookie_delete(response, path=reverse("voices:thanks_neutral"))
    return response


# ---- the status page ----------------------------------------------------------------------


def _status_context(voice: CitizenVoice) -> dict:
    """What the writer may see: status, public notes, dates, the sent reply. Nothing else."""
    reply = (
        VoiceReply.objects.filter(voice=voice, stage=ReplyStage.SENT)
        .only("body", "sent_at")
        .first()
    )
    show_department = voice.status in (
        VoiceStatus.ASSIGNED,
        VoiceStatus.ANSWERING,
        VoiceStatus.ANSWERED,
    )
    return {
        "voice": voice,
        "explanation": STATUS_EXPLANATIONS.get(voice.status, ""),
        "show_reason": voice.status in (VoiceStatus.CLOSED, VoiceStatus.FORWARDED),
        "department": voice.lead_department if show_department else None,
        "events": status_timeline(voice=voice),
        "reply": reply,
        "reply_sent_on": timezone.localdate(reply.sent_at) if reply and reply.sent_at else None,
    }


_BLOCKED_MESSAGES = {
    "receipt": lambda: gettext(
        "この受付番号の照会に続けて失敗したため、照会を一時的に止めています。"
        "1時間ほどたってから、もう一度お試しください。お急ぎの場合は担当窓口へお問い合わせください。"
    ),
    "address": lambda: gettext(
        "照会に続けて失敗したため、この端末からの照会を一時的に止めています。"
        "1時間ほどたってから、もう一度お試しください。"
    ),
}


@never_cache
@require_http_methods(["GET", "POST"])
def status(request: HttpRequest) -> HttpResponse:
    """Look a voice up by receipt number and secret; the same answer for any mismatch."""
    context = {
        "crumbs": _crumbs((gettext("対応状況の確認"), reverse("voices:status"))),
        "nav_section": "voices",
    }
    if request.method == "GET":
        return render(request, "voices/public/status.html", {**context, "form": StatusLookupForm()})
    form = StatusLookupForm(request.POST)
    if form.is_valid():
        fy, number = form.cleaned_data["receipt_number"]
        secret = form.cleaned_data["secret"]
        # Limits are counted on the number as typed, whether or not it exists (abuse.py).
        address, receipt = abuse.client_address(request), f"{fy}-{number}"
        limits = abuse.StatusLookupLimits.from_settings()
        blocked = limits.blocked(address=address, receipt=receipt)
        if blocked:
            # No secret is checked while limited, not even the right one (abuse.py: otherwise
            # the limit would be a brute-force oracle).
            form.add_error(None, _BLOCKED_MESSAGES[blocked]())
            return render(
                request, "voices/public/status.html", {**context, "form": form}, status=429
            )
        voice = (
            CitizenVoice.objects.filter(fy=fy, number=number)
            .select_related("lead_department")
            .first()
        )
        if voice is not None and secret_matches(voice=voice, secret=secret):
            return render(
                request, "voices/public/status_detail.html", {**context, **_status_context(voice)}
            )
        if voice is None:
            secret_hash(secret)  # the same work as a real comparison: no timing difference
        limits.record_failure(address=address, receipt=receipt)
        form.add_error(
            None,
            gettext(
                "受付番号か照会キーが違います。受付のときの画面か、受付確認のメールに"
                "書かれている受付番号と照会キーを確かめてください（照会キーの大文字と小文字、"
                "全角と半角、空白やハイフンは区別しません）。"
            ),
        )
    return render(request, "voices/public/status.html", {**context, "form": form})
