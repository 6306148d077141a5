"""Reads of the regions' reference data."""

from __future__ import annotations

from perspectief.core import postcodes

from .models import Postcode


def _area(code: str) -> Postcode | None:
    return Postcode.objects.select_related("municipality__region").filter(code=code).first()


def postcode(value: str | None) -> Postcode | None:
    """The PC4 area of a postcode as typed (``1234 AB``, ``1234AB`` or ``1234``; the letters
    are not stored); None for an empty value, a refusal (``ValueError``) for a malformed or
    unknown one. See :mod:`perspectief.core.postcodes`."""
    return postcodes.find(value, _area)


def all_postcodes() -> dict[str, Postcode]:
    """Every PC4 area by its code (4,086 rows), for reading many postcodes at once."""
    return {p.code: p for p in Postcode.objects.select_related("municipality__region")}
