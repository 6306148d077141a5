"""API authentication: personal tokens (``Authorization: Bearer <token>``) and the web
session, the latter only once the second factor has been passed."""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions

from .actor import actor_for
from .models import ApiToken, hash_token


class BearerTokenAuthentication(authentication.BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword.lower().encode():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(
                _("Invalid Authorization header: use 'Bearer <token>'.")
            )
        raw = header[1].decode(errors="replace")
        token = (
            ApiToken.objects.select_related("membership__user", "membership__organisation__region")
            .filter(key_hash=hash_token(raw))
            .first()
        )
        if token is None or not token.is_usable:
            raise exceptions.AuthenticationFailed(_("Invalid, expired or revoked token."))
        now = timezone.now()
        if token.last_used_at is None or (now - token.last_used_at).total_seconds() > 60:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        actor = actor_for(token.membership, channel="api")
        request._request.actor = actor
        return (token.membership.user, token)

    def authenticate_header(self, request):
        return self.keyword


class VerifiedSessionAuthentication(authentication.SessionAuthentication):
    """The browser session, with CSRF, and only for a user who may act (second factor
    passed where required, an active membership)."""

    def authenticate(self, request):
        result = super().authenticate(request)
        if result is None:
            return None
        actor = getattr(request._request, "actor", None)
        if actor is None:
            return None
        request._request.actor = actor.__class__(
            user=actor.user, membership=actor.membership, region=actor.region, channel="api"
        )
        return result
