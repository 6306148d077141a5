"""Small helpers for validated query parameters (no silent ignoring of bad filters)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from rest_framework import exceptions

from perspectief.core.ids import parse_uuid


def choice_param(request, name: str, choices) -> str | None:
    value = request.query_params.get(name)
    if value in (None, ""):
        return None
    allowed = [str(c) for c in choices]
    if value not in allowed:
        raise exceptions.ValidationError(
            {
                name: [
                    _("Unknown value %(value)s; choose from: %(choices)s.")
                    % {"value": value, "choices": ", ".join(allowed)}
                ]
            }
        )
    return value


def existing_param(request, name: str, queryset, field: str):
    """The object named by a query parameter, or a 400 naming the parameter."""
    value = request.query_params.get(name)
    if value in (None, ""):
        return None
    obj = queryset.filter(**{field: value.upper() if field == "code" else value}).first()
    if obj is None:
        raise exceptions.ValidationError({name: [_("Unknown value %(value)s.") % {"value": value}]})
    return obj


def search_param(request, name: str = "search", *, min_length: int = 2) -> str | None:
    value = (request.query_params.get(name) or "").strip()
    if not value:
        return None
    if len(value) < min_length:
        raise exceptions.ValidationError(
            {name: [_("Search for at least %(n)d characters.") % {"n": min_length}]}
        )
    return value[:100]


def uuid_param(request, name: str, queryset):
    """The object whose UUID a query parameter names, or a 400 naming the parameter."""
    value = request.query_params.get(name)
    if not value:
        return None
    parsed = parse_uuid(value)
    found = queryset.filter(uuid=parsed).first() if parsed else None
    if found is None:
        raise exceptions.ValidationError({name: [_("Unknown value %(value)s.") % {"value": value}]})
    return found


def int_param(request, name: str, low: int, high: int) -> int | None:
    value = request.query_params.get(name)
    if value in (None, ""):
        return None
    try:
        number = int(value)
    except ValueError:
        number = None
    if number is None or not low <= number <= high:
        raise exceptions.ValidationError(
            {
                name: [
                    _("Give a whole number from %(low)d to %(high)d.") % {"low": low, "high": high}
                ]
            }
        )
    return number
