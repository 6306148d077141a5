"""DRF permission classes. Every API view lists exactly one of these; the default
(:class:`DenyAll`) refuses everything, so a forgotten declaration fails closed."""

from __future__ import annotations

from rest_framework import permissions

from perspectief.core.policies import PUBLIC, SIGNED_IN, deny


def get_actor(request):
    return getattr(request._request, "actor", None)


class DenyAll(permissions.BasePermission):
    access_policy = "deny"

    def has_permission(self, request, view):
        return False


class Public(permissions.BasePermission):
    access_policy = PUBLIC

    def has_permission(self, request, view):
        return True


class _Requires(permissions.BasePermission):
    permission: str | None = None

    def has_permission(self, request, view):
        if request.user is None:
            return False  # DRF answers 401 with the authenticate header
        actor = get_actor(request)
        if actor is None:
            deny(request._request, "no_active_membership", self.permission)
        if self.permission is not None and not actor.has_perm(self.permission):
            deny(request._request, "missing_permission", self.permission)
        return True


def Requires(permission: str | None):
    """``permission_classes = [Requires(Permission.VIEW_ACCESS_LOG)]``; ``None``: any actor."""
    return type(
        f"Requires_{permission or 'actor'}".replace(".", "_"),
        (_Requires,),
        {"permission": permission, "access_policy": permission or SIGNED_IN},
    )


class _RequiresAny(permissions.BasePermission):
    allowed: tuple[str, ...] = ()

    def has_permission(self, request, view):
        if request.user is None:
            return False  # DRF answers 401 with the authenticate header
        actor = get_actor(request)
        if actor is None:
            deny(request._request, "no_active_membership", "|".join(self.allowed))
        if not any(actor.has_perm(p) for p in self.allowed):
            deny(request._request, "missing_permission", "|".join(self.allowed))
        return True


def RequiresAny(*allowed: str):
    """``permission_classes = [RequiresAny(Permission.A, Permission.B)]``: an actor holding
    at least one of them (what each then sees is the queryset's ``visible_to``)."""
    assert allowed
    return type(
        "RequiresAny_" + "_".join(allowed).replace(".", "_"),
        (_RequiresAny,),
        {"allowed": tuple(allowed), "access_policy": "|".join(allowed)},
    )
