"""Production: PostgreSQL, Redis, no defaults for secrets, DEBUG off, HTTPS only.

Required: PERSPECTIEF_SECRET_KEY, PERSPECTIEF_PSEUDONYM_KEY, DATABASE_URL (postgres://),
PERSPECTIEF_ALLOWED_HOSTS, PERSPECTIEF_CELERY_BROKER_URL, PERSPECTIEF_CACHE_URL (redis://),
PERSPECTIEF_BASE_URL (https://, for the links in e-mail); SMTP through PERSPECTIEF_EMAIL_*.
See docs/configuration.md.
"""

import copy
import os

from django.core.exceptions import ImproperlyConfigured

for _required in (
    "PERSPECTIEF_SECRET_KEY",
    "PERSPECTIEF_PSEUDONYM_KEY",
    "PERSPECTIEF_BSN_KEYS",
    "PERSPECTIEF_BSN_INDEX_KEY",
    "DATABASE_URL",
    "PERSPECTIEF_ALLOWED_HOSTS",
    "PERSPECTIEF_CELERY_BROKER_URL",
    "PERSPECTIEF_CACHE_URL",
    "PERSPECTIEF_BASE_URL",
):
    if not os.environ.get(_required):
        raise ImproperlyConfigured(
            f"{_required} is verplicht in productie / is required in production "
            "(see docs/configuration.md)."
        )

# Production logs one JSON object per line unless told otherwise.
os.environ.setdefault("PERSPECTIEF_LOG_FORMAT", "json")

from .base import *  # noqa: E402,F403
from .base import (  # noqa: E402
    ALLOWED_HOSTS,
    BASE_URL,
    BSN_ENCRYPTION_KEYS,
    BSN_INDEX_KEY,
    CACHES,
    DATABASES,
    DEBUG,
    DEMO_MODE,
    EMAIL_BACKEND,
    LOGGING,
    LOGIN_FAILURE_LIMIT,
    PSEUDONYM_KEY,
    SECRET_KEY,
    finalise,
)
from .validation import validate_production  # noqa: E402

validate_production(
    debug=DEBUG,
    demo_mode=DEMO_MODE,
    secret_key=SECRET_KEY,
    database_engine=DATABASES["default"]["ENGINE"],
    bsn_keys=BSN_ENCRYPTION_KEYS,
    other_keys={
        "PERSPECTIEF_PSEUDONYM_KEY": PSEUDONYM_KEY,
        "PERSPECTIEF_BSN_INDEX_KEY": BSN_INDEX_KEY,
    },
    cache_backend=CACHES["default"]["BACKEND"],
    allowed_hosts=ALLOWED_HOSTS,
    login_failure_limit=LOGIN_FAILURE_LIMIT,
    base_url=BASE_URL,
    email_backend=EMAIL_BACKEND,
)

PRODUCTION = True  # the demo refuses to run (perspectief.demo.credentials)
SECURE_SSL_REDIRECT = True
# The load balancer probes, and Prometheus scrapes on the internal network, over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^health$", r"^ready$", r"^metrics$"]
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
CELERY_TASK_ALWAYS_EAGER = False
# Structured logs (PERSPECTIEF_LOG_FORMAT, json here by default): every line one JSON object
# (timestamp, level, logger, event and the event's fields), for the log tooling of the
# hosting party; see docs/configuration.md. Celery workers log through it too
# (perspectief.celery), with Celery's own lines at INFO.
LOGGING = copy.deepcopy(LOGGING)
LOGGING["loggers"]["celery"] = {"level": "INFO"}

finalise()
