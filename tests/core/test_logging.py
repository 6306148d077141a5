"""Log lines: plain in development and the tests, one JSON object per line in production,
with the event's fields as keys of their own (perspectief.core.logging)."""

import json
import logging
import os
import subprocess
import sys

from perspectief.core.logging import JSONFormatter, UTCFormatter, kv

PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "perspectief.conf.production",
    "PERSPECTIEF_SECRET_KEY": "k9#Fq2!zL0pW7vX4rT1yU8nB3mC6sD5aE0gH2jK4lQ7wR9tYzZ8xX",
    "PERSPECTIEF_PSEUDONYM_KEY": "pS3dK9fL2mQ8wE4rT7yU1iO6pA5sD0fG",
    "PERSPECTIEF_BSN_KEYS": "cHJvZHVjdGlvbi1saWtlLWtleS1mb3ItdGVzdHMtMDE=",
    "PERSPECTIEF_BSN_INDEX_KEY": "iX7cV2bN9mQ4wE1rT8yU3iO6pA0sD5fGh",
    "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/perspectief",
    "PERSPECTIEF_ALLOWED_HOSTS": "perspectief.example.nl",
    "PERSPECTIEF_CELERY_BROKER_URL": "redis://127.0.0.1:6379/0",
    "PERSPECTIEF_CACHE_URL": "redis://127.0.0.1:6379/1",
    "PERSPECTIEF_BASE_URL": "https://perspectief.example.nl",
}

# Run under the production settings: a security event, a message with arguments, and an
# error with its traceback, each through the loggers the platform configures.
LOG_THREE_LINES = """
import django, logging
django.setup()
from perspectief.core.logging import kv
logging.getLogger("perspectief.security").warning(
    kv("login_locked", scope="account", account="a1b2", ip="192.0.2.7", attempts=5)
)
logging.getLogger("perspectief.matching").info("run %s finished", 42)
try:
    raise ValueError("broken")
except ValueError:
    logging.getLogger("django.request").exception("Internal Server Error: /places/")
"""


def _record(message, *args, level=logging.INFO, exc_info=None) -> logging.LogRecord:
    return logging.LogRecord(
        "perspectief.security", level, __file__, 1, message, args, exc_info=exc_info
    )


def test_a_kv_line_is_its_plain_text_everywhere_a_string_is_expected():
    line = kv("login_failed", account="jan de vries", ip="192.0.2.7", user=3)
    assert line == "login_failed account='jan de vries' ip=192.0.2.7 user=3"
    assert "ip=192.0.2.7" in line
    assert line.event == "login_failed"
    assert dict(line.fields) == {"account": "jan de vries", "ip": "192.0.2.7", "user": 3}
    plain = UTCFormatter("%(asctime)s %(levelname)s %(name)s %(message)s").format(_record(line))
    assert plain.endswith("Z INFO perspectief.security " + line)


def test_the_json_formatter_gives_the_event_and_its_fields_as_keys():
    text = JSONFormatter().format(
        _record(kv("login_failed", account="a\nfake_line=1", ip="192.0.2.7", user=3))
    )
    assert "\n" not in text  # a value cannot start a line of its own
    line = json.loads(text)
    assert line["event"] == "login_failed"
    assert line["level"] == "info"
    assert line["logger"] == "perspectief.security"
    assert line["timestamp"].endswith("Z")
    assert (line["account"], line["ip"], line["user"]) == ("a\nfake_line=1", "192.0.2.7", 3)


def test_a_field_never_replaces_a_standard_key_and_odd_values_become_text():
    line = json.loads(JSONFormatter().format(_record(kv("odd", level="fake", when=object))))
    assert line["level"] == "info"
    assert line["when"] == str(object)


def test_production_writes_every_log_line_as_one_json_object():
    env = {k: v for k, v in os.environ.items() if not k.startswith("PERSPECTIEF_")}
    env.update(PRODUCTION_ENV)
    result = subprocess.run(
        [sys.executable, "-c", LOG_THREE_LINES],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    lines = [json.loads(text) for text in result.stderr.splitlines()]
    assert len(lines) == 3, result.stderr
    for line in lines:
        assert {"timestamp", "level", "logger", "event"} <= line.keys()
        assert line["timestamp"].endswith("Z")
    security, matching, error = lines
    assert security == {
        "event": "login_locked",
        "logger": "perspectief.security",
        "level": "warning",
        "timestamp": security["timestamp"],
        "scope": "account",
        "account": "a1b2",
        "ip": "192.0.2.7",
        "attempts": 5,
    }
    assert (matching["event"], matching["level"]) == ("run 42 finished", "info")
    assert error["level"] == "error"
    assert error["logger"] == "django.request"
    assert "ValueError: broken" in error["exception"]
