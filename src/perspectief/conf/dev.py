"""The embedded default: SQLite, tasks run eagerly, demo mode on. Used by `make demo`.

DEBUG is off, as anywhere people look at the platform: the demo shows the error pages its
users would see, not Django's debug pages (which list the site's URL patterns and
settings). A developer who wants them sets PERSPECTIEF_DEBUG=true. Static files are served
by WhiteNoise from the apps' static directories, with or without DEBUG."""

import os

os.environ.setdefault("PERSPECTIEF_SECRET_KEY", "dev-only-not-secret-" + "x" * 40)
os.environ.setdefault(
    "PERSPECTIEF_BSN_KEYS",
    "ZGV2LW9ubHktYnNuLWtleS1ub3Qtc2VjcmV0LTAwMDA=",
)
os.environ.setdefault("PERSPECTIEF_BSN_INDEX_KEY", "dev-only-bsn-index-key")
os.environ.setdefault("PERSPECTIEF_PSEUDONYM_KEY", "dev-only-pseudonym-key")
os.environ.setdefault("PERSPECTIEF_CELERY_EAGER", "true")
os.environ.setdefault("PERSPECTIEF_DEMO_MODE", "true")
os.environ.setdefault("PERSPECTIEF_EMAIL_BACKEND", "files")

from .base import *  # noqa: F403
from .base import finalise

finalise()
