"""Settings for hoshin, read from environment variables (see README, "Configuration").

With no configuration at all the project runs on an embedded SQLite database in DEBUG mode.
"""

from pathlib import Path

import dj_database_url

from hoshin.lib.env import env_bool, env_int, env_list, env_month_days, env_str

BASE_DIR = Path(__file__).resolve().parent.parent

DEBUG = env_bool("DEBUG", True)
SECRET_KEY = env_str("SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off")
    SECRET_KEY = "insecure-development-key-do-not-use-in-production"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    # Sign-in (issue 10): lockouts (django-axes) and second factors (django-otp).
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "django_tasks",
    "django_tasks_db",
    # hoshin's apps in layer order, lowest first (CONTRIBUTING.md, enforced by `make lint`).
    "hoshin.audit",
    "hoshin.changes",
    "hoshin.queue",
    "hoshin.throttle",
    "hoshin.org",
    "hoshin.accounts",
    "hoshin.plans",
    "hoshin.evaluations",
    "hoshin.voices",
    "hoshin.surveys",
    "hoshin.finance",
    "hoshin.committees",
    "hoshin.portal",
    "hoshin.search",
    "hoshin.opendata",
    "hoshin.reports",
    "hoshin.backoffice",
    "hoshin.api",
    "hoshin.jobs",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # The page's language: the language cookie (set by the header's switch), else
    # Accept-Language, else LANGUAGE_CODE. After sessions, before anything that renders.
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # Which second factor verified this session (request.user.is_verified()).
    "django_otp.middleware.OTPMiddleware",
    # Staff pages and signed-in users' answers: Cache-Control: private, no-store (issue 10).
    "hoshin.lib.middleware.PrivateCacheControlMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # hoshin's gate (after messages: it tells why a session ended): idle expiry, and no staff
    # or admin page before the second factor (hoshin/accounts/middleware.py).
    "hoshin.accounts.middleware.SignInMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",  # CONTENT_SECURITY_POLICY below
    # Last, as django-axes asks: turns a refused sign-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "hoshin.urls"
WSGI_APPLICATION = "hoshin.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            # Formatting filters every app's templates use; lib has no app of its own.
            "libraries": {"formatting": "hoshin.lib.template_filters"},
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "hoshin.portal.context_processors.site",
                "hoshin.backoffice.context_processors.staff_nav",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        env_str("DATABASE_URL", f"sqlite:///{BASE_DIR / 'var' / 'hoshin.sqlite3'}"),
        conn_max_age=env_int("DB_CONN_MAX_AGE", 0),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the portal read while an import writes; IMMEDIATE transactions and a busy
    # timeout make concurrent writers (many citizens submitting at once) wait their turn
    # instead of failing with "database is locked".
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"init_command": "PRAGMA journal_mode=WAL;", "transaction_mode": "IMMEDIATE", "timeout": 30}
    )

# The public page cache (hoshin/changes/page_cache.py) lives in "pages". In memory it is per
# process; set HOSHIN_CACHE_DIR (e.g. var/cache) to share it between gunicorn's workers as
# files. Entries are keyed by the version of the public data, so none is ever stale: the
# timeout and the entry limit only bound the space old versions take.
HOSHIN_CACHE_DIR = env_str("HOSHIN_CACHE_DIR", "")
# Larger responses (a huge plan page, a report) are rendered every time rather than kept.
HOSHIN_PAGE_CACHE_MAX_BYTES = env_int("HOSHIN_PAGE_CACHE_MAX_BYTES", 8 * 1024 * 1024)
_PAGE_CACHE = {
    "TIMEOUT": 24 * 3600,
    "OPTIONS": {"MAX_ENTRIES": env_int("HOSHIN_PAGE_CACHE_ENTRIES", 1000)},
    **(
        {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(BASE_DIR / HOSHIN_CACHE_DIR / "pages"),  # relative to the project
        }
        if HOSHIN_CACHE_DIR
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "pages"}
    ),
}
# The default cache is a table of the database every app server already shares (issue 10):
# several servers see the same entries with no extra server to run on the city's closed network
# (Redis would be one more service to install, patch and back up). hoshin.throttle creates the
# table after every `migrate`. Counting (rate limits) does not use it: see hoshin/throttle.
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "hoshin_cache",
    },
    "pages": _PAGE_CACHE,
}

# ---- jobs on a queue (issue 10) ----------------------------------------------------------------
# Heavy or slow work (report PDFs, search re-indexing after large imports, e-mails, reminders,
# retention) is queued in the database hoshin already uses (django-tasks with django-tasks-db):
# `manage.py run_worker` runs it. "immediate" runs each task at once in the caller's process
# (no worker needed: a development shortcut, and what most tests use).
_TASK_BACKENDS = {
    "database": "django_tasks_db.DatabaseBackend",
    "immediate": "django_tasks.backends.immediate.ImmediateBackend",
}
TASKS = {"default": {"BACKEND": _TASK_BACKENDS.get(env_str("HOSHIN_TASK_BACKEND", "database"))}}
if TASKS["default"]["BACKEND"] is None:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured("HOSHIN_TASK_BACKEND must be 'database' or 'immediate'")
# A task RUNNING on a worker that has not heart-beaten for this long (killed, machine lost) goes
# back to READY and runs again; workers beat every third of it.
HOSHIN_TASK_STALE_SECONDS = env_int("HOSHIN_TASK_STALE_SECONDS", 120)
# A task that has been started this many times without finishing is marked FAILED instead
# (a job that kills its worker every time must not loop forever).
HOSHIN_TASK_MAX_ATTEMPTS = env_int("HOSHIN_TASK_MAX_ATTEMPTS", 3)
# A public report PDF still being built answers 503 "作成中" with this Retry-After (seconds).
HOSHIN_REPORT_RETRY_AFTER = env_int("HOSHIN_REPORT_RETRY_AFTER", 10)
# Re-index a changed plan on the queue rather than after the commit when it has more actions.
HOSHIN_SEARCH_QUEUE_ACTIONS = env_int("HOSHIN_SEARCH_QUEUE_ACTIONS", 500)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "org.User"
LOGIN_URL = "backoffice:login"
LOGIN_REDIRECT_URL = "backoffice:tasks"  # each role lands on its inbox (issue 11)
LOGOUT_REDIRECT_URL = "portal:home"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# ---- sign-in: lockout, second factor, idle sessions (issue 10)
# The lockout check runs first, before any password is hashed, so a locked storm costs no
# hashing CPU. Failures are counted in the database (django-axes' AccessAttempt), which every
# process and server shares, per account OR per address: a storm from many addresses on one
# account locks the account; one address trying many accounts locks the address. An address
# gets a higher limit because a whole office may sign in through one proxy address.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
HOSHIN_SIGNIN_FAILURE_LIMIT = env_int("HOSHIN_SIGNIN_FAILURE_LIMIT", 10)
HOSHIN_SIGNIN_ADDRESS_FAILURE_LIMIT = env_int("HOSHIN_SIGNIN_ADDRESS_FAILURE_LIMIT", 30)
HOSHIN_SIGNIN_LOCKOUT_MINUTES = env_int("HOSHIN_SIGNIN_LOCKOUT_MINUTES", 30)
HOSHIN_SIGNIN_CONTACT = env_str("HOSHIN_SIGNIN_CONTACT", "システム管理者（情報政策担当）")
AXES_HANDLER = "hoshin.accounts.lockouts.SignInLockoutHandler"
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]
AXES_FAILURE_LIMIT = "hoshin.accounts.lockouts.failure_limit"
AXES_COOLOFF_TIME = "hoshin.accounts.lockouts.cool_off"
# A lockout ends a fixed time after it began: attempts while locked are refused, not counted.
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False
# A success does not wipe the failures: an attacker with an account of their own on the same
# address could otherwise reset the address's count between guesses.
AXES_RESET_ON_SUCCESS = False
AXES_LOCKOUT_CALLABLE = "hoshin.accounts.lockouts.lockout_response"
AXES_CLIENT_IP_CALLABLE = "hoshin.lib.client.client_address"
AXES_DISABLE_ACCESS_LOG = True  # successes go to the audit log (hoshin.accounts.signals)
AXES_VERBOSE = False
# Never stored with a failed attempt (axes keeps the POST data, masked): the code guessed.
AXES_SENSITIVE_PARAMETERS = ["username", "ip_address", "code"]
# Second factor (TOTP + recovery codes): always for the public-hearing office and administrators;
# for every member of staff when this is on.
HOSHIN_OTP_REQUIRED_FOR_ALL = env_bool("HOSHIN_OTP_REQUIRED_FOR_ALL", False)
OTP_TOTP_ISSUER = env_str("HOSHIN_OTP_ISSUER", "hoshin")
# A signed-in session ends after this many minutes without a request (sliding).
HOSHIN_SESSION_IDLE_MINUTES = env_int("HOSHIN_SESSION_IDLE_MINUTES", 30)

LANGUAGE_CODE = env_str("LANGUAGE_CODE", "ja")
LANGUAGES = [("ja", "日本語"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Tokyo"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "var" / "static"
STATICFILES_DIRS = [BASE_DIR / "static"]
# In DEBUG (the demo, the tests) files are served straight from static/; production runs
# collectstatic (scripts/setup.sh does) and serves var/static with compressed, hashed names.
WHITENOISE_USE_FINDERS = DEBUG
WHITENOISE_AUTOREFRESH = DEBUG
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(BASE_DIR / "var" / "media")))
MEDIA_URL = "media/"

# Uploaded plan files are kept for the preview/confirm step of the back-office import.
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
PLAN_IMPORT_MAX_BYTES = env_int("PLAN_IMPORT_MAX_BYTES", 20 * 1024 * 1024)
# The largest sheet workbook (XLSX/JSON) the bulk upload and import_sheets accept.
SHEET_UPLOAD_MAX_BYTES = env_int("SHEET_UPLOAD_MAX_BYTES", 20 * 1024 * 1024)
# ---- bounded parsers (issue 10)
# Every uploaded CSV/XLSX/JSON/text (plan import, sheet workbook) is checked against these
# before it is parsed (hoshin.lib.spreadsheets.ReadLimits): a crafted file is refused in a scan.
HOSHIN_UPLOAD_MAX_ROWS = env_int("HOSHIN_UPLOAD_MAX_ROWS", 20_000)
HOSHIN_UPLOAD_MAX_COLUMNS = env_int("HOSHIN_UPLOAD_MAX_COLUMNS", 500)
HOSHIN_UPLOAD_MAX_CELLS = env_int("HOSHIN_UPLOAD_MAX_CELLS", 200_000)
HOSHIN_UPLOAD_MAX_DEPTH = env_int("HOSHIN_UPLOAD_MAX_DEPTH", 64)
HOSHIN_XLSX_MAX_UNCOMPRESSED_BYTES = env_int("HOSHIN_XLSX_MAX_UNCOMPRESSED_BYTES", 50 * 1024 * 1024)
HOSHIN_XLSX_MAX_MEMBERS = env_int("HOSHIN_XLSX_MAX_MEMBERS", 1_000)
HOSHIN_XLSX_MAX_RATIO = env_int("HOSHIN_XLSX_MAX_RATIO", 100)

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
# A mail server that hangs must not hold a web worker (acknowledgements are sent in requests).
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 10)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "hoshin@localhost")

HOSHIN_CITY_NAME = env_str("HOSHIN_CITY_NAME", "")
# Open data: the licence every dataset is published under, and the credit line to cite.
HOSHIN_OPEN_DATA_LICENSE = {
    "name": env_str(
        "HOSHIN_OPEN_DATA_LICENSE_NAME", "クリエイティブ・コモンズ 表示 4.0 国際（CC BY 4.0）"
    ),
    "url": env_str(
        "HOSHIN_OPEN_DATA_LICENSE_URL", "https://creativecommons.org/licenses/by/4.0/deed.ja"
    ),
}
HOSHIN_OPEN_DATA_ATTRIBUTION = env_str("HOSHIN_OPEN_DATA_ATTRIBUTION", "")
# Finished open-data files, one folder per version of the public data ("" turns this off).
HOSHIN_DOWNLOAD_CACHE_DIR = env_str(
    "HOSHIN_DOWNLOAD_CACHE_DIR", str(BASE_DIR / "var" / "cache" / "downloads")
)

# Citizens' voices: reply-by date in office days, spam limits of the public forms, retention.
HOSHIN_REPLY_BUSINESS_DAYS = env_int("HOSHIN_REPLY_BUSINESS_DAYS", 10)
# Days the office is closed every year besides weekends and national holidays (hoshin.lib.
# business_days): the year-end closure set by the city's ordinance, 29 December – 3 January in
# most cities. As MM-DD,MM-DD,… (empty: none).
HOSHIN_CLOSED_DAYS = env_month_days(
    "HOSHIN_CLOSED_DAYS", ((12, 29), (12, 30), (12, 31), (1, 1), (1, 2), (1, 3))
)
HOSHIN_PUBLIC_FORM_RATE_LIMIT = env_int(
    "HOSHIN_PUBLIC_FORM_RATE_LIMIT", 10
)  # per address per hour; 0 = off
HOSHIN_PERSONAL_DATA_RETENTION_YEARS = env_int("HOSHIN_PERSONAL_DATA_RETENTION_YEARS", 5)
# Failed status-page look-ups (receipt number + secret) per address and receipt number per hour;
# 0 = off (the other two status-page limits are in the issue-10 block below).
HOSHIN_STATUS_LOOKUP_RATE_LIMIT = env_int("HOSHIN_STATUS_LOOKUP_RATE_LIMIT", 10)
# The client address for rate limits is REMOTE_ADDR. Behind a reverse proxy every request
# comes from the proxy: set this only when the proxy itself sets X-Forwarded-For (the last
# entry, the one the proxy appended, is used; entries further left are client-supplied).
HOSHIN_TRUST_X_FORWARDED_FOR = env_bool("HOSHIN_TRUST_X_FORWARDED_FOR", False)
# Attachments to a voice (JPEG, PNG, PDF; checked by content, not by name).
HOSHIN_ATTACHMENT_MAX_BYTES = env_int("HOSHIN_ATTACHMENT_MAX_BYTES", 10 * 1024 * 1024)
HOSHIN_ATTACHMENT_MAX_TOTAL_BYTES = env_int("HOSHIN_ATTACHMENT_MAX_TOTAL_BYTES", 20 * 1024 * 1024)
HOSHIN_ATTACHMENT_MAX_FILES = env_int("HOSHIN_ATTACHMENT_MAX_FILES", 5)
# A voice form request larger than this is refused with 413 before it is read; smaller
# oversized files are skipped while reading and reported on the form.
HOSHIN_VOICE_REQUEST_MAX_BYTES = env_int("HOSHIN_VOICE_REQUEST_MAX_BYTES", 64 * 1024 * 1024)
# Where staff reach the site; links in e-mails are built on it.
HOSHIN_BASE_URL = env_str("HOSHIN_BASE_URL", "http://127.0.0.1:8000")
# Reminder e-mails: sheets due within this many days (and overdue ones) are listed; the
# worker (manage.py run_scheduler) sends them once a day at this hour (0–23, TIME_ZONE).
HOSHIN_REMINDER_DAYS_BEFORE = env_int("HOSHIN_REMINDER_DAYS_BEFORE", 3)
HOSHIN_REMINDER_HOUR = env_int("HOSHIN_REMINDER_HOUR", 8)

# ---- audit log (issue 10)
# Key of the audit trail's hash chain (HMAC-SHA-256; docs/audit-log.md). Empty: plain SHA-256,
# which anyone who can write to the database can recompute after editing a row. Set it in
# production, keep it outside the database and its backups, and never change it: entries
# hashed with another key no longer verify.
HOSHIN_AUDIT_HMAC_KEY = env_str("HOSHIN_AUDIT_HMAC_KEY", "")
# Rows per page of the administrators' audit log (/staff/audit/).
HOSHIN_AUDIT_PAGE_SIZE = env_int("HOSHIN_AUDIT_PAGE_SIZE", 50)

SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", not DEBUG)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", not DEBUG)

# ---- hardening and several app servers (issue 10)
# Status-page look-ups (hoshin/voices/abuse.py): failures per receipt number from all addresses
# together, and per address over all receipt numbers (set far above what a city office behind
# one address reaches: it only stops one address from scanning every receipt). 0 = off.
HOSHIN_STATUS_LOOKUP_RECEIPT_LIMIT = env_int("HOSHIN_STATUS_LOOKUP_RECEIPT_LIMIT", 30)
HOSHIN_STATUS_LOOKUP_ADDRESS_LIMIT = env_int("HOSHIN_STATUS_LOOKUP_ADDRESS_LIMIT", 200)
# HTTPS (docs/deploy.md, "Settings for production"). TLS ends at the city's reverse proxy: name
# the header it sets (X-Forwarded-Proto: https) so Django knows a request was secure; set it
# ONLY when the proxy overwrites that header, or a client could claim HTTPS over plain HTTP.
_PROXY_SSL_HEADER = env_str("HOSHIN_PROXY_SSL_HEADER", "")
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_" + _PROXY_SSL_HEADER.strip().upper().replace("-", "_"), "https")
    if _PROXY_SSL_HEADER.strip()
    else None
)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
# Uploaded files (voice attachments, plan files): "filesystem" keeps them under MEDIA_ROOT (with
# several servers, a shared mount such as NFS); "s3" in an S3-compatible object store through
# django-storages, which needs boto3 (the optional extra in docs/deploy.md) — imported only then.
HOSHIN_MEDIA_STORAGE = env_str("HOSHIN_MEDIA_STORAGE", "filesystem")
if HOSHIN_MEDIA_STORAGE == "s3":
    _MEDIA_STORAGE = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": env_str("HOSHIN_S3_BUCKET", ""),
            "endpoint_url": env_str("HOSHIN_S3_ENDPOINT_URL", "") or None,
            "region_name": env_str("HOSHIN_S3_REGION", "") or None,
            "access_key": env_str("HOSHIN_S3_ACCESS_KEY", "") or None,
            "secret_key": env_str("HOSHIN_S3_SECRET_KEY", "") or None,
            "location": env_str("HOSHIN_S3_PREFIX", ""),
            # Personal data: never public, never overwritten, links expire.
            "default_acl": "private",
            "querystring_auth": True,
            "file_overwrite": False,
        },
    }
elif HOSHIN_MEDIA_STORAGE == "filesystem":
    _MEDIA_STORAGE = {"BACKEND": "django.core.files.storage.FileSystemStorage"}
else:
    from django.core.exceptions import ImproperlyConfigured

    raise ImproperlyConfigured(
        f"HOSHIN_MEDIA_STORAGE must be filesystem or s3, got {HOSHIN_MEDIA_STORAGE!r}"
    )
STORAGES = {
    "default": _MEDIA_STORAGE,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# Content-Security-Policy (django-csp 4): nothing from elsewhere, no inline script or style
# (templates have none: scripts and styles are static files), never framed, forms post only here.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
    # django-axes logs every failed sign-in as a warning: a storm would flood the log. The
    # audit log records them (hoshin/accounts/signals.py); axes' own errors still show.
    "loggers": {"axes": {"level": "ERROR"}},
}
