"""Declared access policies for every route.

Each Django view is wrapped by exactly one of :func:`public`, :func:`signed_in` or
:func:`requires`; each DRF view lists :class:`perspectief.api.permissions.Requires`.
The authorisation-matrix test walks the URL resolver and fails for a view without one.
The permissions themselves are in :mod:`perspectief.core.authz`.
"""

from __future__ import annotations

import functools
import logging

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

from perspectief.core.logging import kv

security_log = logging.getLogger("perspectief.security")

PUBLIC = "public"
SIGNED_IN = "signed_in"


def log_denied(request, reason: str, permission: str | None = None) -> None:
    """One line in the security log for a refused request (once per request)."""
    if getattr(request, "_denial_logged", False):
        return
    request._denial_logged = True
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


def deny(request, reason: str, permission: str | None = None) -> None:
    """Log a denied authorisation in the security log and refuse with 403."""
    log_denied(request, reason, permission)
    raise PermissionDenied(reason)


def _mark(view, policy):
    view.access_policy = policy
    return view


def public(view):
    """Anyone, signed in or not (login page, public forms)."""
    return _mark(view, PUBLIC)


def signed_in(view):
    """Any signed-in user who has passed the second factor and acts in a membership."""
    return requires(None)(view)


def requires(permission: str | None):
    def decorator(view):
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
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
