"""Identifiers typed or posted by clients."""

import uuid
from typing import Any


def parse_uuid(value: Any) -> uuid.UUID | None:
    """The UUID in a form value, or None for anything else (so that a tampered value is
    "not found", never a server error)."""
    try:
        return uuid.UUID(str(value))
    except (TypeError, ValueError, AttributeError):
        return None
