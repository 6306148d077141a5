import logging
import time


class UTCFormatter(logging.Formatter):
    """Log timestamps in UTC with an explicit Z, as the security log requires."""

    converter = time.gmtime

    def formatTime(self, record, datefmt=None):
        return time.strftime("%Y-%m-%dT%H:%M:%S", self.converter(record.created)) + (
            f".{int(record.msecs):03d}Z"
        )


def kv(event: str, **fields) -> str:
    """Render an event with key=value pairs: ``login_locked username=... ip=...``."""
    parts = [event] + [f"{key}={value}" for key, value in sorted(fields.items())]
    return " ".join(parts)
