"""Reading a page's query parameters (``?quarter=2026-3&page=2``) in one way.

A value that cannot be read is answered with a 400 page that names the parameter and says
what is wrong, in the reader's language — never a server error, never a silent default
that shows other numbers than were asked for. An absent or empty parameter takes the
page's default. Parameters a page does not know are ignored (links from elsewhere may carry
them). The API has its own (problem+json) answers.

Views call these helpers after their permission check, so that a user without access gets
403, not a hint about the parameters.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from datetime import date
from typing import Any, TypeVar, overload

from django import forms
from django.core.exceptions import BadRequest
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import render
from django.utils.translation import gettext as _

T = TypeVar("T")
F = TypeVar("F", bound=forms.Form)

#: Page numbers beyond this are not a list anyone pages through.
MAX_PAGE = 100_000


class BadParameter(BadRequest):
    """A query parameter that cannot be read. ``messages`` are shown on the 400 page;
    ``back`` (address, link text): where to go instead, for a value in the path itself,
    which the page's own address without the query would only repeat."""

    def __init__(
        self, messages: Iterable[str] | str, *, back: tuple[str, str] | None = None
    ) -> None:
        self.messages = [messages] if isinstance(messages, str) else [str(m) for m in messages]
        self.back = back
        super().__init__("; ".join(self.messages))


def _raw(request: HttpRequest, name: str) -> str:
    return (request.GET.get(name) or "").strip()


def _wrong(name: str, value: str, what: str) -> BadParameter:
    shown = value if len(value) <= 40 else value[:40] + "…"
    return BadParameter(
        _("The value “%(value)s” of “%(name)s” cannot be used: %(what)s")
        % {"value": shown, "name": name, "what": what}
    )


@overload
def integer(
    request: HttpRequest,
    name: str,
    *,
    default: int,
    minimum: int | None = None,
    maximum: int | None = None,
) -> int: ...


@overload
def integer(
    request: HttpRequest,
    name: str,
    *,
    default: None = None,
    minimum: int | None = None,
    maximum: int | None = None,
) -> int | None: ...


def integer(
    request: HttpRequest,
    name: str,
    *,
    default: int | None = None,
    minimum: int | None = None,
    maximum: int | None = None,
) -> int | None:
    """A whole number (within bounds, when given)."""
    raw = _raw(request, name)
    if not raw:
        return default
    if not re.fullmatch(r"-?[0-9]{1,12}", raw):
        raise _wrong(name, raw, _("it is not a whole number."))
    value = int(raw)
    if minimum is not None and value < minimum:
        raise _wrong(name, raw, _("it is less than %(n)s.") % {"n": minimum})
    if maximum is not None and value > maximum:
        raise _wrong(name, raw, _("it is more than %(n)s.") % {"n": maximum})
    return value


def choice(request: HttpRequest, name: str, choices: Iterable[str], *, default: str = "") -> str:
    """One of the given values."""
    raw = _raw(request, name)
    if not raw:
        return default
    allowed = [str(c) for c in choices]
    if raw not in allowed:
        raise _wrong(name, raw, _("choose one of %(values)s.") % {"values": ", ".join(allowed)})
    return raw


def flag(request: HttpRequest, name: str) -> bool:
    """``1`` (on) or ``0`` (off); absent is off."""
    return choice(request, name, ["0", "1"], default="0") == "1"


def iso_date(request: HttpRequest, name: str, *, default: date | None = None) -> date | None:
    """A date as YYYY-MM-DD."""
    raw = _raw(request, name)
    if not raw:
        return default
    try:
        if not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", raw):
            raise ValueError(raw)
        return date.fromisoformat(raw)
    except ValueError:
        raise _wrong(name, raw, _("it is not a date as YYYY-MM-DD.")) from None


def page(
    request: HttpRequest,
    items: QuerySet[Any, T] | Sequence[T],
    per_page: int,
    *,
    name: str = "page",
) -> Page[T]:
    """The asked page of a list. A number past the end shows the last page (the list may
    have become shorter since the link was made); anything but a number from 1 is a 400."""
    number = integer(request, name, default=1, minimum=1, maximum=MAX_PAGE)
    paginator = Paginator(items, per_page)
    return paginator.page(min(number, paginator.num_pages))


def form(request: HttpRequest, form_class: Callable[..., F], **kwargs: Any) -> F:
    """A filter form bound to the query (unbound without one). A value the form refuses
    is a 400 naming the field by its label, with the form's own message."""
    bound = form_class(request.GET or None, **kwargs)
    if bound.is_bound and not bound.is_valid():
        messages = []
        for field, errors in bound.errors.items():
            label = bound.fields[field].label if field in bound.fields else None
            for error in errors:
                messages.append(f"{label}: {error}" if label else str(error))
        raise BadParameter(messages)
    return bound


def bad_request_response(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """The 400 page: what could not be used, and a way back to the page without it."""
    problems = exception.messages if isinstance(exception, BadParameter) else []
    back = exception.back if isinstance(exception, BadParameter) else None
    return render(request, "400.html", {"problems": problems, "back": back}, status=400)


class BadParameterMiddleware:
    """Answers a page's :class:`BadParameter` with the 400 page, also with DEBUG on, and
    without a traceback in the log (a typed-in address is not a fault of the platform)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, BadParameter) and not request.path.startswith("/api/"):
            return bad_request_response(request, exception)
        return None
