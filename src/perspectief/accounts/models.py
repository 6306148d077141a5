"""Users, their memberships of organisations (with a role) and personal API tokens."""

import hashlib
import secrets
import uuid
from typing import ClassVar

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from perspectief.core.authz import ROLE_PERMISSIONS, STAFF_ROLES, Role
from perspectief.core.models import BaseModel

from .constants import ROLE_ORGANISATION_KINDS
from .query import MembershipQuerySet, UserManager


class User(AbstractUser):
    """A person who signs in. Authorisation comes from memberships, never from is_staff."""

    uuid = models.UUIDField(_("UUID"), unique=True, editable=False, default=uuid.uuid4)

    objects: ClassVar[UserManager] = UserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["username"]

    @property
    def needs_second_factor(self) -> bool:
        """Staff roles must use two-factor authentication; so must anyone who enabled it."""
        if self.memberships.active().filter(role__in=sorted(STAFF_ROLES)).exists():
            return True
        # The reverse relation of django_otp's TOTPDevice (a library without type information).
        return self.totpdevice_set.filter(confirmed=True).exists()  # type: ignore[attr-defined]


class Membership(BaseModel):
    """A user acting for an organisation in a role."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="memberships",
    )
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    is_active = models.BooleanField(_("active"), default=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["organisation__name", "role"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "organisation", "role"],
                condition=models.Q(is_active=True),
                name="membership_unique_active_role",
                violation_error_message=_("This user already has this role here."),
            )
        ]

    def __str__(self):
        return f"{self.get_role_display()} — {self.organisation}"

    @property
    def permissions(self) -> frozenset[str]:
        if not (self.is_active and self.organisation.is_active):
            return frozenset()
        return ROLE_PERMISSIONS[self.role]

    def clean(self):
        allowed = ROLE_ORGANISATION_KINDS.get(self.role, frozenset())
        if self.organisation_id and self.organisation.kind not in allowed:
            raise ValidationError(
                {
                    "role": _("The role %(role)s cannot be held in a %(kind)s.")
                    % {
                        "role": self.get_role_display(),
                        "kind": self.organisation.get_kind_display(),
                    }
                }
            )


def hash_token(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


class ApiToken(BaseModel):
    """A personal API token for a system integration; only its hash is stored."""

    PREFIX_LENGTH = 8

    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(_("prefix"), max_length=PREFIX_LENGTH)
    key_hash = models.CharField(_("key hash"), max_length=64, unique=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"

    @staticmethod
    def generate() -> str:
        return "psp_" + secrets.token_urlsafe(32)

    @property
    def is_usable(self) -> bool:
        now = timezone.now()
        return (
            self.revoked_at is None
            and (self.expires_at is None or self.expires_at > now)
            and self.membership.is_active
            and self.membership.organisation.is_active
            and self.membership.user.is_active
        )
