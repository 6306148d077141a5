"""The platform's log lines: one way to write an event, two ways to show it.

Code logs through the standard library (``logging.getLogger(__name__)``) and writes an event
with its fields through :func:`kv`: ``log.info(kv("login_locked", account=..., ip=...))``.
Development and the tests show it as one plain line (:class:`UTCFormatter`,
``login_locked account=... ip=...``); production (``perspectief.conf.production``) shows
every line as one JSON object (:class:`JSONFormatter`) with ``timestamp`` (UTC), ``level``,
``logger``, ``event`` and the event's fields as keys of their own, so log tooling can filter
on them without parsing text.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Mapping, MutableMapping
from datetime import UTC, datetime
from typing import Any

import structlog

#: The keys every JSON line has; an event's field never replaces one of them.
STANDARD_KEYS = frozenset({"timestamp", "level", "logger", "event", "exception"})


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


class KeyValues(str):
    """An event rendered as ``event key=value ...`` that keeps its parts.

    It is the plain line wherever a string is expected (the plain log, ``caplog``, a test's
    ``in``), and :class:`JSONFormatter` takes the event and its fields from it instead of
    parsing the text back.
    """

    event: str
    fields: Mapping[str, object]

    def __new__(cls, event: str, fields: Mapping[str, object]) -> KeyValues:
        parts = [event] + [f"{key}={_value(value)}" for key, value in sorted(fields.items())]
        line = super().__new__(cls, " ".join(parts))
        line.event = event
        line.fields = dict(fields)
        return line


def kv(event: str, **fields: object) -> KeyValues:
    """Render an event with key=value pairs: ``login_locked account=... ip=...``.

    Name fields after what they hold (``user``, ``ip``, ``account``); the names of the JSON
    log's own keys (:data:`STANDARD_KEYS`) are not available to fields.
    """
    return KeyValues(event, fields)


def _json_value(value: object) -> object:
    """A field's value as JSON holds it: numbers, booleans and null as such, else its text
    (as the plain line shows it, without the quoting that the plain line needs)."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    return str(value)


def _timestamp(
    logger: Any, method_name: str, event_dict: MutableMapping[str, Any]
) -> MutableMapping[str, Any]:
    """structlog processor: when the record was made, in UTC to the millisecond, as the plain
    log writes it (``2026-12-06T14:05:00.123Z``)."""
    record = event_dict.get("_record")
    created = record.created if isinstance(record, logging.LogRecord) else time.time()
    moment = datetime.fromtimestamp(created, tz=UTC).isoformat(timespec="milliseconds")
    event_dict["timestamp"] = moment.replace("+00:00", "Z")
    return event_dict


def _expand_key_values(
    logger: Any, method_name: str, event_dict: MutableMapping[str, Any]
) -> MutableMapping[str, Any]:
    """structlog processor: a :func:`kv` line becomes its event and one key per field."""
    record = event_dict.get("_record")
    message = getattr(record, "msg", None)
    if isinstance(message, KeyValues) and not getattr(record, "args", None):
        event_dict["event"] = message.event
        for key, value in message.fields.items():
            if key not in STANDARD_KEYS:
                event_dict[key] = _json_value(value)
    return event_dict


class JSONFormatter(structlog.stdlib.ProcessorFormatter):
    """Production's formatter: each log record as one JSON object on one line.

    Keys: ``timestamp`` (ISO 8601, UTC, with ``Z``), ``level`` (``info``, ``warning``, ...),
    ``logger`` (the logger's name, e.g. ``perspectief.security``), ``event`` (the message, or
    a :func:`kv` line's event), a :func:`kv` line's fields, ``request_id`` on the lines
    logged while a request is served, and ``exception`` (the traceback)
    when there is one. Newlines in values are escaped by JSON, so a value cannot start a
    line of its own. Used by name in ``LOGGING`` (``"()": "perspectief.core.logging.
    JSONFormatter"``).
    """

    def __init__(self) -> None:
        super().__init__(
            foreign_pre_chain=[
                # The request id (perspectief.core.observability) on every line of a request.
                structlog.contextvars.merge_contextvars,
                structlog.stdlib.add_logger_name,
                structlog.stdlib.add_log_level,
                _timestamp,
                _expand_key_values,
            ],
            processors=[
                structlog.stdlib.ProcessorFormatter.remove_processors_meta,
                structlog.processors.format_exc_info,
                structlog.processors.JSONRenderer(),
            ],
        )
