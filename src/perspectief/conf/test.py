"""Settings for the test suite (SQLite unless DATABASE_URL points at PostgreSQL)."""

import os

os.environ.setdefault("PERSPECTIEF_SECRET_KEY", "test-only-not-secret-" + "x" * 40)
os.environ.setdefault(
    "PERSPECTIEF_BSN_KEYS",
    "dGVzdC1vbmx5LWJzbi1rZXktbm90LXNlY3JldC0wMDA=",
)
os.environ.setdefault("PERSPECTIEF_BSN_INDEX_KEY", "test-only-bsn-index-key")
os.environ.setdefault("PERSPECTIEF_PSEUDONYM_KEY", "test-only-pseudonym-key")
os.environ.setdefault("PERSPECTIEF_CELERY_EAGER", "true")
os.environ.setdefault("PERSPECTIEF_DEMO_MODE", "false")

from .base import *  # noqa: F403
from .base import DATA_DIR, finalise

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.InMemoryStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# One of each per pytest-xdist worker ("gw0", "gw1", ...), so parallel workers never share a file.
_WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")
STATIC_ROOT = DATA_DIR / f"test-static{_WORKER}"
DEMO_ACCOUNTS_FILE = DATA_DIR / f"test-demo-accounts{_WORKER}.json"

finalise()
