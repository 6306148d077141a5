"""Declared access policies for every route.

Each Django view is wrapped by exactly one of :func:`public`, :func:`signed_in` or
:func:`requires`; each DRF view lists :class:`perspectief.api.permissions.Requires`.
The authorisation-matrix test walks the URL resolver and fails for a view without one.
The permissions themselves are in :mod:`perspectief.core.authz`.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from typing import Any, NoReturn, Protocol, cast

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponseBase

from perspectief.core.logging import kv

security_log = logging.getLogger("perspectief.security")

PUBLIC = "public"
SIGNED_IN = "signed_in"

#: A Django view: a function, or a class-based view's ``as_view()``.
View = Callable[..., HttpResponseBase]


class PolicyView(Protocol):
    """A view that declares its access policy (the authorisation matrix reads it)."""

    access_policy: str

    def __call__(self, request: HttpRequest, /, *args: Any, **kwargs: Any) -> HttpResponseBase: ...


def log_denied(request: HttpRequest, reason: str, permission: str | None = None) -> None:
    """One line in the security log for a refused request (once per request)."""
    if getattr(request, "_denial_logged", False):
        return
    request._denial_logged = True  # type: ignore[attr-defined]  # a mark on this request only
    actor = getattr(request, "actor", None)
    security_log.warning(
        kv(
            "authorisation_denied",
            path=request.path,
            method=request.method,
            user=getattr(getattr(request, "user", None), "pk", None),
            role=getattr(actor, "role", None),
            organisation=getattr(getattr(actor, "organisation", None), "pk", None),
            permission=permission,
            reason=reason,
        )
    )


def deny(request: HttpRequest, reason: str, permission: str | None = None) -> NoReturn:
    """Log a denied authorisation in the security log and refuse with 403."""
    log_denied(request, reason, permission)
    raise PermissionDenied(reason)


def _mark(view: View, policy: str) -> PolicyView:
    marked = cast(PolicyView, view)
    marked.access_policy = policy
    return marked


def public(view: View) -> PolicyView:
    """Anyone, signed in or not (login page, public forms)."""
    return _mark(view, PUBLIC)


def signed_in(view: View) -> PolicyView:
    """Any signed-in user who has passed the second factor and acts in a membership."""
    return requires(None)(view)


def requires(permission: str | None) -> Callable[[View], PolicyView]:
    def decorator(view: View) -> PolicyView:
        @functools.wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path(), settings.LOGIN_URL)
            actor = getattr(request, "actor", None)
            if actor is None:
                deny(request, "no_active_membership", permission)
            if permission is not None and not actor.has_perm(permission):
                deny(request, "missing_permission", permission)
            return view(request, *args, **kwargs)

        return _mark(wrapper, permission or SIGNED_IN)

    return decorator
