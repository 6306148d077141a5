import logging
import time


class UTCFormatter(logging.Formatter):
    """Log timestamps in UTC with an explicit Z, as the security log requires."""

    converter = time.gmtime

    def formatTime(self, record, datefmt=None):
        return time.strftime("%Y-%m-%dT%H:%M:%S", self.converter(record.created)) + (
            f".{int(record.msecs):03d}Z"
        )


_PLAIN = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._:/-@")


def _value(value) -> str:
    text = str(value)
    if text and set(text) <= _PLAIN:
        return text
    # Quoted and escaped: a value can never start a new line or fake another field.
    return repr(text)


def kv(event: str, **fields) -> str:
    """Render an event with key=value pairs: ``login_locked account=... ip=...``."""
    parts = [event] + [f"{key}={_value(value)}" for key, value in sorted(fields.items())]
    return " ".join(parts)
