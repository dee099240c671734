"""Spam and abuse protection of the public voice forms, without any outside service.

- **Honeypot.** The public form has a field (``HONEYPOT_FIELD``) that people never see: it
  is hidden by the stylesheet, out of the tab order and labelled "leave empty" for anyone
  reading the page without styles. Bots that fill every input fill it too. Such a
  submission stores nothing and gets a neutral page that shows no receipt number (see
  ``views.intake``); it counts towards the rate limit, and it is logged.
- **Rate limit per client address**, counted in the database (``hoshin.throttle``: one atomic
  upsert per hit, so every process and server counts together) in one-hour windows:
  ``HOSHIN_PUBLIC_FORM_RATE_LIMIT`` stored submissions (0 switches it off, for a load test
  from one address).
- **Status-page look-ups** (receipt number + secret) count failures per (address, receipt
  number), ``HOSHIN_STATUS_LOOKUP_RATE_LIMIT``, and per receipt number from all addresses
  together, ``HOSHIN_STATUS_LOOKUP_RECEIPT_LIMIT``; and, to stop one address from scanning
  every receipt number, per address, ``HOSHIN_STATUS_LOOKUP_ADDRESS_LIMIT`` (set well above
  what a city office behind one address ever reaches). So one guesser behind a shared address
  blocks only the receipt they guess, never the citizens next to them, and a receipt cannot be
  brute-forced from many addresses. The typed receipt number is counted whether or not it
  exists, so a block says nothing about existence. While a limit holds, **no secret is
  checked, not even the right one**: if the right secret still passed, a blocked guesser could
  go on guessing and recognise success, and the limit would stop nothing. The writer blocked by
  someone else's guessing waits for the hour (the page says so) or calls the office.
- **Client address** is ``REMOTE_ADDR``. Behind a reverse proxy that is the proxy's address,
  so every citizen would share one counter: set ``HOSHIN_TRUST_X_FORWARDED_FOR`` when (and
  only when) the proxy sets ``X-Forwarded-For``; the last entry, appended by the proxy, is
  used, because the entries left of it are whatever the client sent.
- **Size limits.** Text length is checked by the form (a clear message, never a silent
  cut). Attachments are checked while the request is read: a file over
  ``HOSHIN_ATTACHMENT_MAX_BYTES`` (or over ``HOSHIN_ATTACHMENT_MAX_TOTAL_BYTES`` together)
  is skipped without being stored anywhere and reported on the form. A request whose
  declared length exceeds ``HOSHIN_VOICE_REQUEST_MAX_BYTES`` is refused with a 413 page
  before it is read at all.
"""

import logging
from dataclasses import dataclass

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, SkipFile
from django.http import HttpRequest

# One rule for the address every limit counts (sign-in lockouts too); re-exported for voices.
from hoshin.lib.client import client_address
from hoshin.throttle import counters

logger = logging.getLogger(__name__)

HONEYPOT_FIELD = "homepage"
WINDOW_SECONDS = 3600


@dataclass(frozen=True)
class RateLimit:
    """At most ``limit`` counted events per subject (an address …) per hour; 0 is no limit.

    Counted in ``hoshin.throttle`` (the database), shared by every process and server.
    """

    scope: str
    limit: int

    def _name(self, subject: str) -> str:
        return f"voices:{self.scope}:{subject}"

    def exceeded(self, subject: str) -> bool:
        if self.limit <= 0:
            return False
        return counters.hits(self._name(subject)) >= self.limit

    def record(self, subject: str) -> None:
        if self.limit <= 0:
            return
        counters.hit(self._name(subject), seconds=WINDOW_SECONDS)


def submission_rate_limit() -> RateLimit:
    """Stored submissions (and honeypot hits) of the public voice form."""
    return RateLimit("submit", settings.HOSHIN_PUBLIC_FORM_RATE_LIMIT)


@dataclass(frozen=True)
class StatusLookupLimits:
    """Failed status-page look-ups: see the module docstring for the three counters."""

    per_address_and_receipt: RateLimit
    per_receipt: RateLimit
    per_address: RateLimit

    @classmethod
    def from_settings(cls) -> "StatusLookupLimits":
        return cls(
            RateLimit("status", settings.HOSHIN_STATUS_LOOKUP_RATE_LIMIT),
            RateLimit("status-receipt", settings.HOSHIN_STATUS_LOOKUP_RECEIPT_LIMIT),
            RateLimit("status-address", settings.HOSHIN_STATUS_LOOKUP_ADDRESS_LIMIT),
        )

    def blocked(self, *, address: str, receipt: str) -> str:
        """ "" when a look-up may be checked; else which limit holds: "receipt" or "address"."""
        if self.per_address_and_receipt.exceeded(f"{address}|{receipt}"):
            return "receipt"
        if self.per_receipt.exceeded(receipt):
            return "receipt"
        if self.per_address.exceeded(address):
            return "address"
        return ""

    def record_failure(self, *, address: str, receipt: str) -> None:
        self.per_address_and_receipt.record(f"{address}|{receipt}")
        self.per_receipt.record(receipt)
        self.per_address.record(address)


def honeypot_filled(data) -> bool:
    """True when the field people never see has a value: a bot filled in the form."""
    return bool((data.get(HONEYPOT_FIELD) or "").strip())


def log_honeypot(request: HttpRequest) -> None:
    logger.info("voices: honeypot filled, nothing stored (address %s)", client_address(request))


# ---- size limits ------------------------------------------------------------------------


@dataclass(frozen=True)
class UploadLimits:
    max_file_bytes: int
    max_total_bytes: int
    max_files: int
    max_request_bytes: int

    @classmethod
    def from_settings(cls) -> "UploadLimits":
        return cls(
            max_file_bytes=settings.HOSHIN_ATTACHMENT_MAX_BYTES,
            max_total_bytes=settings.HOSHIN_ATTACHMENT_MAX_TOTAL_BYTES,
            max_files=settings.HOSHIN_ATTACHMENT_MAX_FILES,
            max_request_bytes=settings.HOSHIN_VOICE_REQUEST_MAX_BYTES,
        )


@dataclass
class RejectedUpload:
    name: str
    reason: str  # "file": over the per-file limit; "total": over the limit for all files


def declared_length(request: HttpRequest) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


def request_too_large(request: HttpRequest, limits: UploadLimits) -> bool:
    """True when the request says it is larger than any acceptable voice form."""
    return limits.max_request_bytes > 0 and declared_length(request) > limits.max_request_bytes


class LimitedUploadHandler(FileUploadHandler):
    """Skips each uploaded file as soon as it passes the size limits, and remembers it.

    It runs before Django's own handlers: a skipped file is never written to memory or to a
    temporary file, the rest of the request is still read, and the form reports the file by
    name instead of the whole request failing.
    """

    def __init__(self, request=None, *, limits: UploadLimits):
        super().__init__(request)
        self.limits = limits
        self.rejected: list[RejectedUpload] = []
        self.total = 0
        self._size = 0
        self._name = ""
        self._skipping = False

    def new_file(self, field_name, file_name, *args, **kwargs):
        super().new_file(field_name, file_name, *args, **kwargs)
        self._size = 0
        self._name = file_name or ""
        self._skipping = False

    def receive_data_chunk(self, raw_data, start):
        self._size += len(raw_data)
        reason = ""
        if self._size > self.limits.max_file_bytes:
            reason = "file"
        elif self.total + self._size > self.limits.max_total_bytes:
            reason = "total"
        if reason:
            self.rejected.append(RejectedUpload(name=self._name, reason=reason))
            raise SkipFile
        return raw_data  # pass the chunk on to Django's memory/temporary-file handler

    def file_complete(self, file_size):
        self.total += self._size
        return None  # the next handler builds the uploaded file


def upload_guard_install(request: HttpRequest) -> LimitedUploadHandler:
    """Put the size-checking upload handler first; call before request.POST is read."""
    handler = LimitedUploadHandler(request, limits=UploadLimits.from_settings())
    request.upload_handlers.insert(0, handler)
    return handler
