import logging
import time
from typing import Any


class UTCFormatter(logging.Formatter):
    """Log timestamps in UTC with an explicit Z, as the security log requires."""

    converter = staticmethod(time.gmtime)

    def formatTime(self, record: logging.LogRecord, datefmt: str | None = None) -> str:
        return time.strftime("%Y-%m-%dT%H:%M:%S", self.converter(record.created)) + (
            f".{int(record.msecs):03d}Z"
        )


class OneLineRefusals(logging.Filter):
    """For the log handler: a refused request is one line, never a traceback. Django logs a
    403 with the exception's traceback (the security log already has its line, see
    accounts.middleware.DeniedRequestLogMiddleware), and other 4xx answers and suspicious
    requests (a body too large, a bad host) with one too; 5xx keep their traceback."""

    def filter(self, record: logging.LogRecord) -> bool:
        status = getattr(record, "status_code", None)
        if record.name in ("django.request", "django.security.csrf") and status == 403:
            return False
        if record.name.startswith("django.security.") or (
            record.name == "django.request" and status is not None and status < 500
        ):
            record.exc_info = None
            record.exc_text = None
        return True


_PLAIN = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._:/-@")


def _value(value: object) -> str:
    text = str(value)
    if text and set(text) <= _PLAIN:
        return text
    # Quoted and escaped: a value can never start a new line or fake another field.
    return repr(text)


def kv(event: str, **fields: Any) -> str:
    """Render an event with key=value pairs: ``login_locked account=... ip=...``."""
    parts = [event] + [f"{key}={_value(value)}" for key, value in sorted(fields.items())]
    return " ".join(parts)
