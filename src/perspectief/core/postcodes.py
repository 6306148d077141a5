"""Dutch postcodes as people type them: ``1234 AB``, ``1234AB`` or ``1234``.

The platform places people and places in a PC4 area (the four digits; the letters are not
stored). This module only reads what was typed; finding the area is up to the caller, which
passes a look-up (``regions/selectors.py`` asks the database, an import's resolver a cache
of all areas), so the web forms, the API and the imports refuse the same values with the
same words.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import TypeVar

from django.utils.translation import gettext_lazy as _

from .refusals import refusal

POSTCODE_RE = re.compile(r"^\s*([1-9][0-9]{3})\s*([A-Za-z]{2})?\s*$")

Area = TypeVar("Area")


def pc4(value: str | None) -> str | None:
    """The four digits of a typed postcode; None for an empty value. Anything else is
    refused (``ValueError``, translated when read)."""
    if not value or not value.strip():
        return None
    match = POSTCODE_RE.match(value)
    if not match:
        raise refusal(_("invalid postcode {value!r} (use 1234 AB)"), value=value)
    return match[1]


def unknown(code: str) -> ValueError:
    """The refusal of a well-formed postcode that is no known PC4 area."""
    return refusal(_("unknown postcode {code}"), code=code)


def find(value: str | None, lookup: Callable[[str], Area | None]) -> Area | None:
    """The PC4 area of a typed postcode, found with ``lookup(pc4)``; None for an empty value,
    a refusal for a malformed or unknown one."""
    code = pc4(value)
    if code is None:
        return None
    found = lookup(code)
    if found is None:
        raise unknown(code)
    return found
