"""Settings for running the platform: e-mail, logs and metrics. Part of the shared settings
(``perspectief.conf.base`` imports everything here), kept apart so that each settings module
stays readable; environment variables are read and documented through
:func:`perspectief.conf.environ.config` as everywhere else.
"""

from __future__ import annotations

import ipaddress
from typing import Any

from django.core.exceptions import ImproperlyConfigured

from .environ import config

# --- e-mail -----------------------------------------------------------------------------------
#: Links in e-mail need the address people reach the platform at.
BASE_URL = config(
    "PERSPECTIEF_BASE_URL",
    "http://127.0.0.1:8000",
    help="The address people open the platform at (https://host), used for links in e-mail.",
)
EMAIL_BACKEND = config(
    "PERSPECTIEF_EMAIL_BACKEND",
    "smtp",
    help="How e-mail leaves the platform: smtp (production), files (every message an .eml "
    "file in <data dir>/mail/, shown on the demo's page 'Verzonden e-mail'), or console.",
    choices=("smtp", "files", "console"),
)
EMAIL_BACKEND = {
    "smtp": "django.core.mail.backends.smtp.EmailBackend",
    "files": "perspectief.notifications.backends.EmlDirectoryBackend",
    "console": "django.core.mail.backends.console.EmailBackend",
}[EMAIL_BACKEND]
EMAIL_HOST = config("PERSPECTIEF_EMAIL_HOST", "localhost", help="SMTP server.")
EMAIL_PORT = config("PERSPECTIEF_EMAIL_PORT", 25, cast=int, help="SMTP port (587 with STARTTLS).")
EMAIL_HOST_USER = config("PERSPECTIEF_EMAIL_USER", "", help="SMTP user name (empty: none).")
EMAIL_HOST_PASSWORD = config("PERSPECTIEF_EMAIL_PASSWORD", "", help="SMTP password (empty: none).")
EMAIL_USE_TLS = config(
    "PERSPECTIEF_EMAIL_STARTTLS", False, cast=bool, help="Use STARTTLS (usually port 587)."
)
EMAIL_USE_SSL = config(
    "PERSPECTIEF_EMAIL_SSL", False, cast=bool, help="Use implicit TLS (usually port 465)."
)
EMAIL_TIMEOUT = config(
    "PERSPECTIEF_EMAIL_TIMEOUT", 20, cast=int, help="Seconds to wait for the SMTP server."
)
DEFAULT_FROM_EMAIL = config(
    "PERSPECTIEF_EMAIL_FROM",
    "Perspectief <noreply@perspectief.localhost>",
    help="Sender of the platform's e-mail.",
)
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- logging ----------------------------------------------------------------------------------
LOG_LEVEL = config(
    "PERSPECTIEF_LOG_LEVEL",
    "INFO",
    help="Application log level.",
    choices=("DEBUG", "INFO", "WARNING", "ERROR"),
)
LOG_FORMAT = config(
    "PERSPECTIEF_LOG_FORMAT",
    "console",
    help="How log lines look: json (one JSON object per line, for log tooling; the default "
    "in production) or console (one plain line, the default elsewhere).",
    choices=("json", "console"),
    doc_default="console (json under perspectief.conf.production)",
)
#: One handler on standard error. ``PERSPECTIEF_LOG_FORMAT`` picks the formatter: plain lines
#: ("console"; development and the tests) or one JSON object per line ("json"; production,
#: see perspectief.core.logging.JSONFormatter). Every request is one line on
#: ``perspectief.requests`` (perspectief.core.observability), with the request id that every
#: line logged while serving it carries too.
LOGGING: dict[str, Any] = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "plain": {
            "format": "%(asctime)s %(levelname)s %(name)s %(message)s",
            "()": "perspectief.core.logging.UTCFormatter",
        },
        "json": {"()": "perspectief.core.logging.JSONFormatter"},
    },
    "filters": {"one_line_refusals": {"()": "perspectief.core.logging.OneLineRefusals"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "json" if LOG_FORMAT == "json" else "plain",
            "filters": ["one_line_refusals"],
        }
    },
    "root": {"handlers": ["console"], "level": "WARNING"},
    "loggers": {
        "perspectief": {"level": LOG_LEVEL},
        # Denied authorisations, login locks and privilege changes (UTC, never secrets).
        "perspectief.security": {"level": "INFO"},
    },
}

# --- metrics ------------------------------------------------------------------------------------
METRICS_ALLOWED_IPS = config(
    "PERSPECTIEF_METRICS_ALLOWED_IPS",
    ["127.0.0.1", "::1"],
    cast=list,
    help="Comma-separated addresses or networks (10.0.0.0/24) that may read /metrics (the "
    "Prometheus format). The address is the client's as the login throttling sees it (behind "
    "PERSPECTIEF_TRUSTED_PROXY_COUNT proxies). Others get a 404, unless they send the token.",
)
for _network in METRICS_ALLOWED_IPS:
    try:
        ipaddress.ip_network(_network, strict=False)
    except ValueError:
        raise ImproperlyConfigured(
            f"PERSPECTIEF_METRICS_ALLOWED_IPS: {_network!r} is geen IP-adres of netwerk / "
            "is not an IP address or network."
        ) from None
METRICS_TOKEN = config(
    "PERSPECTIEF_METRICS_TOKEN",
    "",
    help="A long random token that lets a scraper read /metrics from any address with "
    "'Authorization: Bearer <token>' (empty: only the allowed addresses may).",
)
WORKER_METRICS_ADDRESS = config(
    "PERSPECTIEF_WORKER_METRICS_ADDRESS",
    "",
    help="host:port on which a Celery worker serves its task metrics for Prometheus "
    "(e.g. 0.0.0.0:9808; empty: off). Needs PROMETHEUS_MULTIPROC_DIR; see docs/deployment.md.",
)
