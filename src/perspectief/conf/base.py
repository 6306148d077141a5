"""Settings shared by every environment. Environment variables are read through
:func:`perspectief.conf.environ.config`, which documents and validates them.

Environment-specific modules (``dev``, ``test``, ``production``) set defaults *before*
importing this module; nothing here hides a secret behind a default.
"""

from __future__ import annotations

from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

from .environ import config, reject_unknown_variables

PACKAGE_DIR = Path(__file__).resolve().parent.parent

# --- core -----------------------------------------------------------------------------------
SECRET_KEY = config(
    "PERSPECTIEF_SECRET_KEY",
    help="Django's secret key (sessions, CSRF, signing). Long and random; required in production.",
)
PSEUDONYM_KEY = config(
    "PERSPECTIEF_PSEUDONYM_KEY",
    help="Key for pseudonymised person ids in the access log and per-employer pseudonyms. "
    "Separate from the secret key so that rotating that key does not change pseudonyms.",
)
BSN_ENCRYPTION_KEYS = config(
    "PERSPECTIEF_BSN_KEYS",
    cast=list,
    help="Comma-separated Fernet keys that encrypt BSNs; the first encrypts, all decrypt. "
    "Create one with `perspectief bsn_key`; to rotate, add the new key in front, run "
    "`perspectief rotate_bsn_keys`, then drop the old keys.",
)
BSN_INDEX_KEY = config(
    "PERSPECTIEF_BSN_INDEX_KEY",
    help="Key of the blind index used to find a person by BSN (create one with "
    "`perspectief bsn_key --index`). To change it, move the old key to "
    "PERSPECTIEF_BSN_INDEX_OLD_KEYS and run `perspectief rotate_bsn_keys`.",
)
BSN_INDEX_OLD_KEYS = config(
    "PERSPECTIEF_BSN_INDEX_OLD_KEYS",
    [],
    cast=list,
    help="Comma-separated former blind-index keys, kept only while `perspectief "
    "rotate_bsn_keys` renews the indexes, so people are still found by BSN meanwhile. Empty "
    "once the rotation reports nothing left.",
)
DEBUG = config("PERSPECTIEF_DEBUG", False, cast=bool, help="Show debug pages. Never in production.")
ALLOWED_HOSTS = config(
    "PERSPECTIEF_ALLOWED_HOSTS",
    ["127.0.0.1", "localhost"],
    cast=list,
    help="Comma-separated host names the platform answers to.",
)
CSRF_TRUSTED_ORIGINS = config(
    "PERSPECTIEF_CSRF_TRUSTED_ORIGINS",
    [],
    cast=list,
    help="Comma-separated origins (https://host) trusted for CSRF behind a proxy.",
)
DATA_DIR = Path(
    config(
        "PERSPECTIEF_DATA_DIR",
        str(Path.cwd() / "var"),
        help="Directory for the embedded SQLite database and uploaded files.",
        doc_default="./var (relative to the working directory)",
    )
)
DEMO_MODE = config(
    "PERSPECTIEF_DEMO_MODE",
    False,
    cast=bool,
    help="Demo environment: shows the current two-factor code of demo accounts on the "
    "login page. Refused in production.",
)
#: Set by the production settings only; the demo and its data generators refuse to run there.
PRODUCTION = False
#: This installation's demo password and second-factor secrets (``perspectief demo``),
#: generated at random on first use; readable by its owner only.
DEMO_ACCOUNTS_FILE = DATA_DIR / "demo-accounts.json"

# --- database ---------------------------------------------------------------------------------
_database_url = config(
    "DATABASE_URL",
    f"sqlite:///{DATA_DIR / 'perspectief.sqlite3'}",
    help="Database URL: sqlite:///path (embedded default) or postgres://user:pass@host:5432/name.",
    doc_default="sqlite:///<PERSPECTIEF_DATA_DIR>/perspectief.sqlite3",
)
if not _database_url.startswith(("sqlite:", "postgres:", "postgresql:", "pgsql:")):
    raise ImproperlyConfigured(
        f"DATABASE_URL {_database_url.split(':')[0]!r}: alleen sqlite en postgres worden "
        "ondersteund / only sqlite and postgres are supported."
    )
DATABASES = {
    "default": dj_database_url.parse(_database_url, conn_max_age=60, conn_health_checks=True)
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    if DATABASES["default"]["NAME"] not in ("", ":memory:"):
        Path(DATABASES["default"]["NAME"]).parent.mkdir(parents=True, exist_ok=True)
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "init_command": "PRAGMA foreign_keys=ON; PRAGMA journal_mode=WAL;",
        "transaction_mode": "IMMEDIATE",
    }
DATABASE_JIT = config(
    "PERSPECTIEF_DATABASE_JIT",
    False,
    cast=bool,
    help="PostgreSQL: let the server compile queries just in time (its jit setting). Off by "
    "default: the platform's queries are short, and with a national population the estimated "
    "cost of the visibility subqueries made PostgreSQL spend about 0.7 s compiling queries that "
    "then ran in under a millisecond (docs/performance.md).",
)
if not DATABASES["default"]["ENGINE"].endswith("sqlite3") and not DATABASE_JIT:
    _options = DATABASES["default"].setdefault("OPTIONS", {})
    # libpq's startup options: the session's own setting, whatever the server's default.
    _options["options"] = f"{_options.get('options', '')} -c jit=off".strip()
DATABASE_APP_ROLE = config(
    "PERSPECTIEF_DATABASE_APP_ROLE",
    "",
    help="PostgreSQL: the application's own database role. When set, `perspectief migrate` "
    "(run as the owner of the tables) grants it the normal rights on every table and only "
    "SELECT and INSERT on the access log; see docs/configuration.md, 'Database roles'.",
)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- applications -----------------------------------------------------------------------------
INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "perspectief.core",
    "perspectief.regions",
    "perspectief.taxonomy",
    "perspectief.organisations",
    "perspectief.accounts",
    "perspectief.notifications",
    "perspectief.audit",
    "perspectief.imports",
    "perspectief.candidates",
    "perspectief.vacancies",
    "perspectief.conversations",
    "perspectief.matching",
    "perspectief.catalogue",
    "perspectief.funding",
    "perspectief.routes",
    "perspectief.instruments",
    "perspectief.monitoring",
    "perspectief.lessons",
    "perspectief.support",
    "perspectief.api",
    "perspectief.demo",
]

MIDDLEWARE = [
    # First: a request id, one log line and the metrics per request (its duration covers
    # every other middleware, and it sees the final status).
    "perspectief.core.observability.ObservabilityMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "perspectief.core.csp.ContentSecurityPolicyMiddleware",
    "perspectief.accounts.middleware.DeniedRequestLogMiddleware",
    "perspectief.api.middleware.RequestSizeLimitMiddleware",
    "perspectief.api.middleware.RejectNullCharactersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "perspectief.audit.middleware.AccessLogMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "perspectief.accounts.middleware.ActorMiddleware",
    "perspectief.notifications.freshness.InboxFreshnessMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "perspectief.core.params.BadParameterMiddleware",
    "perspectief.api.middleware.ApiContractMiddleware",
]
#: A failed CSRF check on an API URL answers problem+json, like every other API error.
CSRF_FAILURE_VIEW = "perspectief.api.views.csrf_failure"

ROOT_URLCONF = "perspectief.urls"
WSGI_APPLICATION = "perspectief.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [PACKAGE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "perspectief.accounts.context_processors.navigation",
                "perspectief.notifications.context_processors.demo_mail",
            ],
        },
    },
]

# --- accounts and security -------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_FAILURE_LIMIT = config(
    "PERSPECTIEF_LOGIN_FAILURE_LIMIT",
    5,
    cast=int,
    help="Failed logins per account (and 4x that per IP address) before login is locked.",
)
TRUSTED_PROXY_COUNT = config(
    "PERSPECTIEF_TRUSTED_PROXY_COUNT",
    0,
    cast=int,
    help="Number of reverse proxies in front of the platform that append to "
    "X-Forwarded-For; the client address for login throttling is taken behind them.",
)
PASSWORD_RESET_TIMEOUT = 24 * 60 * 60  # one-time password links live one day
LOGIN_LOCKOUT_SECONDS = config(
    "PERSPECTIEF_LOGIN_LOCKOUT_SECONDS",
    15 * 60,
    cast=int,
    help="How long a login lock lasts, and the window in which failures are counted.",
)
SIGNIN_CHECKS_AT_ONCE = config(
    "PERSPECTIEF_SIGNIN_CHECKS_AT_ONCE",
    2,
    cast=int,
    help="Password checks at once over all web processes sharing the cache (at least 1); "
    "more sign-ins wait up to 3 s, then are asked to try again (503). See docs/deployment.md.",
)
OTP_TOTP_ISSUER = "Perspectief"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 8 * 60 * 60
CSRF_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
#: Sent on every answer (perspectief.core.csp): only the platform's own scripts, styles,
#: images and requests; no inline code, no plugins, no framing, forms post only to itself.
CONTENT_SECURITY_POLICY = {
    "default-src": ["'self'"],
    "script-src": ["'self'"],
    "style-src": ["'self'"],
    "img-src": ["'self'", "data:"],
    "font-src": ["'self'"],
    "connect-src": ["'self'"],
    "object-src": ["'none'"],
    "base-uri": ["'none'"],
    "form-action": ["'self'"],
    "frame-ancestors": ["'none'"],
}

CANDIDATE_RECONFIRM_DAYS = config(
    "PERSPECTIEF_RECONFIRM_DAYS",
    90,
    cast=int,
    help="Days after which a job seeker's availability must be reconfirmed; until then the "
    "person is left out of matching.",
)

IMPORT_REJECTIONS_DAYS = config(
    "PERSPECTIEF_IMPORT_REJECTIONS_DAYS",
    90,
    cast=int,
    help="Days an import's rejected rows are kept to be corrected; then they are deleted (they "
    "may hold people's data), the import's counts stay.",
)

IMPORT_LEASE_SECONDS = config(
    "PERSPECTIEF_IMPORT_LEASE_SECONDS",
    600,
    cast=int,
    help="Seconds a running import may go without a sign of life (one per batch of 1,000 "
    "rows) before it counts as interrupted: its worker died, and it can be resumed.",
)

WSP_RESPONSE_DAYS = config(
    "PERSPECTIEF_WSP_RESPONSE_DAYS",
    2,
    cast=int,
    help="Working days within which the Werkgeversservicepunt makes first contact after an "
    "employer's request; later requests stand out as overdue in the queue.",
)

PROPOSAL_REMIND_DAYS = config(
    "PERSPECTIEF_PROPOSAL_REMIND_DAYS",
    10,
    cast=int,
    help="Days after which an employer who has not answered a proposal is reminded (shown on "
    "its page and to the advisers).",
)

PROPOSAL_CLOSE_DAYS = config(
    "PERSPECTIEF_PROPOSAL_CLOSE_DAYS",
    60,
    cast=int,
    help="Days after which a proposal the employer never answered is closed, so the person "
    "is free for other places.",
)

HANDOFF_ACCEPT_DAYS = config(
    "PERSPECTIEF_HANDOFF_ACCEPT_DAYS",
    5,
    cast=int,
    help="Days within which an organisation answers a step of a route handed to it; later, "
    "the hand-off is stuck and shows on the region's doorbraak list.",
)

ROUTE_STEP_ACCESS_DAYS = config(
    "PERSPECTIEF_ROUTE_STEP_ACCESS_DAYS",
    30,
    cast=int,
    help="Days after its step ended that an organisation a step was handed to still sees "
    "the person's route (to finish its own records); then access ends.",
)

CHECK_IN_GRACE_DAYS = config(
    "PERSPECTIEF_CHECK_IN_GRACE_DAYS",
    14,
    cast=int,
    help="Days around a check-in's due date: it can be held from this many days before, and "
    "counts as missed (signalled to the jobcoach and the klantmanager) this many days after.",
)

DISCLOSURE_MIN_CELL = config(
    "PERSPECTIEF_DISCLOSURE_MIN_CELL",
    5,
    cast=int,
    help="Smallest count shown in aggregates for those who may not see the people behind "
    "them (the ministry; tables narrowed below a region); smaller counts show as 'x'.",
)

DISCLOSURE_SETTLE_DAYS = config(
    "PERSPECTIEF_DISCLOSURE_SETTLE_DAYS",
    31,
    cast=int,
    help="Days after a quarter's end before its numbers below region level, and the "
    "ministry's, are published (and then kept as published): records dated back into the "
    "quarter, such as a hire's start of work, mostly arrive by then.",
)

EMPLOYER_SEARCHES_PER_HOUR = config(
    "PERSPECTIEF_EMPLOYER_SEARCHES_PER_HOUR",
    30,
    cast=int,
    help="Searches of anonymous profiles one employer (all its users together) may do per "
    "hour; more are refused and logged.",
)

EMPLOYER_PROFILES_PER_DAY = config(
    "PERSPECTIEF_EMPLOYER_PROFILES_PER_DAY",
    200,
    cast=int,
    help="Anonymous profiles one employer may be shown per day in searches and exports.",
)

#: The largest request body the platform reads (bytes): the largest upload (an import file of
#: 50 MB) and the form around it. A larger one is refused with 413 on its declared length,
#: before any of it is read (a reverse proxy should refuse it earlier: docs/deployment.md).
MAX_REQUEST_BYTES = config(
    "PERSPECTIEF_MAX_REQUEST_BYTES",
    64 * 1024 * 1024,
    cast=int,
    help="Largest request body in bytes (default 64 MiB); larger ones are refused unread.",
)

# --- cache -------------------------------------------------------------------------------------
_cache_url = config(
    "PERSPECTIEF_CACHE_URL",
    "locmem://",
    help="Cache for login throttling and rate limits: locmem:// (one process) or "
    "redis://host:6379/1 (required when several processes serve the platform).",
)
if _cache_url.startswith("redis://"):
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": _cache_url,
        }
    }
elif _cache_url == "locmem://":
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
else:
    raise ImproperlyConfigured(
        f"PERSPECTIEF_CACHE_URL={_cache_url!r}: gebruik locmem:// of redis://... / "
        "use locmem:// or redis://..."
    )

# --- internationalisation ---------------------------------------------------------------------
LANGUAGE_CODE = "nl"
LANGUAGES = [("nl", _("Dutch")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
USE_I18N = True
TIME_ZONE = "Europe/Amsterdam"
USE_TZ = True

# --- static files -----------------------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
STATICFILES_DIRS = [PACKAGE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
WHITENOISE_USE_FINDERS = True

# --- API --------------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "perspectief.accounts.authentication.BearerTokenAuthentication",
        "perspectief.accounts.authentication.VerifiedSessionAuthentication",
    ],
    # Fail closed: a view that forgets to declare its permission is refused for everyone.
    "DEFAULT_PERMISSION_CLASSES": ["perspectief.api.permissions.DenyAll"],
    "DEFAULT_PAGINATION_CLASS": "perspectief.api.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "perspectief.api.problems.exception_handler",
    "DEFAULT_PARSER_CLASSES": [
        "perspectief.api.parsing.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "UNAUTHENTICATED_USER": None,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Perspectief API",
    "DESCRIPTION": (
        "API of Perspectief, the platform on which Dutch labour-market regions run "
        "Perspectief op Werk. Errors are application/problem+json (RFC 9457). "
        "Authenticate with a personal API token: `Authorization: Bearer <token>`. "
        "Reference data: CBS (CC BY 4.0), © GeoNames (CC BY 4.0). This service uses the ESCO "
        "classification of the European Commission."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SCHEMA_PATH_PREFIX": "/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "SERVE_PERMISSIONS": ["perspectief.api.permissions.Public"],
    "ENUM_NAME_OVERRIDES": {
        "JourneyStatusEnum": "perspectief.candidates.constants.JourneyStatus",
        "VacancyStatusEnum": "perspectief.vacancies.constants.VacancyStatus",
        "ProposalStatusEnum": "perspectief.matching.constants.ProposalStatus",
        "OfferKindEnum": "perspectief.catalogue.constants.OfferKind",
        "StepKindEnum": "perspectief.routes.constants.StepKind",
        "StepStatusEnum": "perspectief.routes.constants.StepStatus",
        "PlanStatusEnum": "perspectief.routes.constants.PlanStatus",
        "PhysicalLoadEnum": "perspectief.taxonomy.constants.PhysicalLoad",
        "SupportEnum": "perspectief.taxonomy.constants.Support",
        "LessonOutcomeEnum": "perspectief.lessons.constants.Outcome",
        "OutcomeEnum": "perspectief.routes.constants.CheckInOutcome",
        "SupportQuestionKindEnum": "perspectief.support.constants.QuestionKind",
        "SupportFigureEnum": "perspectief.support.constants.Figure",
        "SupportQuestionTagEnum": "perspectief.support.constants.QuestionTag",
        "SupportPillarEnum": "perspectief.support.constants.Pillar",
        "SupportRequestStatusEnum": "perspectief.support.constants.RequestStatus",
        "SupportResponseStatusEnum": "perspectief.support.constants.ResponseStatus",
        "SupportRegionStateEnum": "perspectief.support.selectors.progress.STATES",
    },
    "SERVE_AUTHENTICATION": [],
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        # Every operation declares its problem+json answers (400, 401, 403, 404, 413).
        "perspectief.api.schema.declare_problems",
    ],
}

# --- background work --------------------------------------------------------------------------
CELERY_BROKER_URL = config(
    "PERSPECTIEF_CELERY_BROKER_URL",
    "redis://127.0.0.1:6379/0",
    help="Celery broker (Redis). Workers on several machines share it.",
)
CELERY_TASK_ALWAYS_EAGER = config(
    "PERSPECTIEF_CELERY_EAGER",
    False,
    cast=bool,
    help="Run background tasks in-process (the embedded default); false in production.",
)
MATCHING_RUN_CHUNK = config(
    "PERSPECTIEF_MATCHING_RUN_CHUNK",
    200,
    cast=int,
    help="Places per part of a matching run: each part is one task, so several workers "
    "share a run (docs/deployment.md).",
)
MATCHING_RUN_RESUME_AFTER = config(
    "PERSPECTIEF_MATCHING_RUN_RESUME_AFTER",
    600,
    cast=int,
    help="Seconds without progress after which a matching run's parts not done are queued "
    "again (the broker lost them, e.g. Redis restarted without persistence); checked every "
    "minute (matching.resume_runs). Also how long a worker's claim on a part lasts without a "
    "sign of life: a part a dead worker held is ranked again after it.",
)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_TASK_ACKS_LATE = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_BACKEND = None
CELERY_TIMEZONE = TIME_ZONE
#: Periodic work, run by ``celery -A perspectief.celery beat`` next to the workers.
CELERY_BEAT_SCHEDULE = {
    "remind-proposals": {"task": "matching.remind_proposals", "schedule": 24 * 60 * 60},
    "fail-stale-runs": {"task": "matching.fail_stale_runs", "schedule": 60 * 60},
    # Parts of a run the broker lost (Redis restarted) are queued again; doing one twice
    # stores it once.
    "resume-runs": {"task": "matching.resume_runs", "schedule": 60},
    "purge-import-rejections": {"task": "candidates.purge_rejections", "schedule": 24 * 60 * 60},
    # Imports whose worker died are marked interrupted; uploads older than a day are dropped.
    "watch-imports": {"task": "candidates.watch_imports", "schedule": 5 * 60},
    # Mail that could not be handed to the mail server is tried again; overviews go daily.
    "retry-mail": {"task": "notifications.retry_waiting", "schedule": 10 * 60},
    "mail-digests": {"task": "notifications.send_digests", "schedule": 24 * 60 * 60},
    # Each of these tells once per event (recorded), so running them more often is safe.
    "overdue-requests": {"task": "vacancies.overdue_requests", "schedule": 60 * 60},
    "routes-due-work": {"task": "routes.notify_due_work", "schedule": 24 * 60 * 60},
    "purge-invitations": {"task": "accounts.purge_invitations", "schedule": 24 * 60 * 60},
    "ask-reconfirmation": {"task": "candidates.ask_reconfirmation", "schedule": 24 * 60 * 60},
    # Deadlines of instrument applications (an LKV doelgroepverklaring) 14 days ahead.
    "instrument-deadlines": {"task": "instruments.remind_deadlines", "schedule": 24 * 60 * 60},
    # What should last after an ended action plan and is still "planned": asked once.
    "borging-check": {"task": "monitoring.check_borging", "schedule": 24 * 60 * 60},
    # The progress questionnaire: a week before its deadline and once overdue, each once.
    "questionnaire-reminders": {
        "task": "support.remind_questionnaires",
        "schedule": 24 * 60 * 60,
    },
}

# --- e-mail, logging, metrics: perspectief.conf.operations --------------------------------
from .operations import *  # noqa: E402,F403


def finalise() -> None:
    """Called at the end of each environment module: fail on unknown PERSPECTIEF_* variables."""
    reject_unknown_variables()
