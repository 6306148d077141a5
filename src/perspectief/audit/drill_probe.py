"""The platform started on a restored database, for the restore drill (drill.py).

Run as ``python -m perspectief.audit.drill_probe OUT.json`` with DATABASE_URL pointed at the
restored database. It sets Django up as the platform does, reads the database's state (rows
per table, digests, migrations) before anything can write to it, runs the system checks,
sends ``GET /health`` and ``GET`` of the sign-in page through the real WSGI application
(over HTTPS, to an allowed host) and writes what it found to OUT.json.
"""

import json
import sys
from io import BytesIO
from pathlib import Path
from wsgiref.util import setup_testing_defaults

import django
from django.conf import settings
from django.core import checks
from django.core.wsgi import get_wsgi_application
from django.db import connection
from django.urls import reverse


def _host() -> str:
    for host in settings.ALLOWED_HOSTS:
        if host != "*":
            return host.lstrip(".")
    return "localhost"


def wsgi_get(application, path: str) -> int:
    """The status code of ``GET path`` through ``application``, as a browser sends it."""
    environ: dict = {}
    setup_testing_defaults(environ)
    host = _host()
    environ.update(
        {
            "PATH_INFO": path,
            "HTTP_HOST": host,
            "SERVER_NAME": host,
            "SERVER_PORT": "443",
            "HTTPS": "on",
            "REMOTE_ADDR": "127.0.0.1",
            "wsgi.url_scheme": "https",
            "wsgi.input": BytesIO(),
        }
    )
    if settings.SECURE_PROXY_SSL_HEADER:
        header, value = settings.SECURE_PROXY_SSL_HEADER
        environ[header] = value
    statuses: list[str] = []

    def start_response(status, headers, exc_info=None):
        statuses.append(status)
        return lambda data: None

    body = application(environ, start_response)
    try:
        for _chunk in body:
            pass
    finally:
        if hasattr(body, "close"):
            body.close()
    return int(statuses[0].split()[0])


def probe() -> dict:
    # After django.setup() only: the models' module needs the app registry.
    from perspectief.audit.backup import database_state  # noqa: PLC0415

    found: dict = {"database": connection.settings_dict["NAME"]}
    found["state"] = database_state("default")
    found["check_errors"] = [
        str(message)
        for message in checks.run_checks(databases=["default"])
        if message.level >= checks.ERROR and not message.is_silenced()
    ]
    application = get_wsgi_application()
    found["requests"] = {
        path: wsgi_get(application, path) for path in ("/health", reverse("accounts:login"))
    }
    return found


def main(out: str) -> None:
    django.setup()
    Path(out).write_text(json.dumps(probe()))


if __name__ == "__main__":
    main(sys.argv[1])
