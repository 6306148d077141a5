"""One log line per request (perspectief.core.observability): the route's name, the status,
the duration and the request id; never the path's values or the query string."""

import contextlib
import json
import logging
import os
import subprocess
import sys

import pytest

from perspectief.core.logging import JSONFormatter

from .test_logging import PRODUCTION_ENV

BSN = "111222333"


@contextlib.contextmanager
def lines_of(name: str):
    """The lines of one logger while the block runs, each formatted as production does when
    it is logged (the request id comes from the context at that moment)."""
    lines: list[dict] = []

    class Keep(logging.Handler):
        def emit(self, record):
            lines.append(json.loads(JSONFormatter().format(record)))

    handler = Keep()
    logger = logging.getLogger(name)
    logger.addHandler(handler)
    try:
        yield lambda: list(lines)
    finally:
        logger.removeHandler(handler)


@pytest.fixture
def request_lines():
    with lines_of("perspectief.requests") as lines:
        yield lines


def test_a_request_is_one_line_with_route_status_and_request_id_and_no_query(client, request_lines):
    response = client.get(
        f"/health?bsn={BSN}&q=Jan+de+Vries", HTTP_X_REQUEST_ID="proxy-id-0123456789"
    )
    assert response.status_code == 200
    assert response["X-Request-ID"] == "proxy-id-0123456789"
    (line,) = request_lines()
    assert line["event"] == "request"
    assert line["logger"] == "perspectief.requests"
    assert (line["method"], line["route"], line["status"]) == ("GET", "health", 200)
    assert line["request_id"] == "proxy-id-0123456789"
    assert isinstance(line["duration_ms"], float)
    text = json.dumps(line)
    assert BSN not in text and "Vries" not in text and "?" not in text


def test_a_path_with_a_uuid_is_logged_by_its_pattern_name(client, request_lines):
    client.get("/api/v1/candidates/6f1c2b9e-3a4d-4e5f-8a7b-9c0d1e2f3a4b")
    (line,) = request_lines()
    assert line["route"] == "api:candidate-detail"
    assert line["status"] == 401
    assert "6f1c2b9e" not in json.dumps(line)


def test_an_unsafe_request_id_is_replaced_by_a_new_one(client, request_lines):
    response = client.get("/health", HTTP_X_REQUEST_ID=f"bsn {BSN}\nfake=1")
    (line,) = request_lines()
    assert BSN not in response["X-Request-ID"]
    assert line["request_id"] == response["X-Request-ID"]
    assert len(line["request_id"]) == 32  # a fresh uuid4, hex


def test_every_line_logged_while_serving_carries_the_request_id(client, request_lines):
    """A refused request gets a line from Django too (after the middleware answered): it
    carries the same request id; a line logged after the request does not."""
    with lines_of("django.request") as django_lines:
        client.get("/api/v1/access-log", HTTP_X_REQUEST_ID="same-id-for-all-lines")
        logging.getLogger("django.request").warning("after the request")
    (request_line,) = request_lines()
    assert request_line["request_id"] == "same-id-for-all-lines"
    refusal, after = django_lines()
    assert refusal["event"] == "Unauthorized: /api/v1/access-log"
    assert refusal["request_id"] == "same-id-for-all-lines"
    assert "request_id" not in after


REQUEST_IN_PRODUCTION = """
import django
django.setup()
from django.test import Client
Client().get("/health?bsn=111222333", HTTP_HOST="perspectief.example.nl",
             HTTP_X_REQUEST_ID="from-the-proxy-42")
"""


@pytest.mark.parametrize("log_format", ["json", "console"])
def test_production_logs_a_request_as_one_json_line_unless_told_console(log_format):
    env = {k: v for k, v in os.environ.items() if not k.startswith("PERSPECTIEF_")}
    env.update(PRODUCTION_ENV)
    if log_format == "console":
        env["PERSPECTIEF_LOG_FORMAT"] = "console"
    result = subprocess.run(
        [sys.executable, "-c", REQUEST_IN_PRODUCTION],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    (text,) = [t for t in result.stderr.splitlines() if "perspectief.requests" in t]
    assert BSN not in result.stderr
    if log_format == "console":
        assert text.endswith(
            "INFO perspectief.requests request duration_ms="
            + text.split("duration_ms=")[1].split()[0]
            + " method=GET request_id=from-the-proxy-42 route=health status=200"
        )
        return
    line = json.loads(text)
    assert {k: line[k] for k in ("event", "route", "status", "method", "request_id")} == {
        "event": "request",
        "route": "health",
        "status": 200,
        "method": "GET",
        "request_id": "from-the-proxy-42",
    }
