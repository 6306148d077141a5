"""Users, their memberships of organisations (with a role) and personal API tokens."""

import hashlib
import re
import secrets
import unicodedata
import uuid
from datetime import timedelta
from typing import ClassVar

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from perspectief.core.authz import ROLE_PERMISSIONS, STAFF_ROLES, Role
from perspectief.core.models import BaseModel

from .constants import INVITATION_DAYS, ROLE_ORGANISATION_KINDS, InvitationPurpose
from .query import InvitationQuerySet, MembershipQuerySet, UserManager


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


#: The longest address mail servers accept (RFC 5321 path limit).
EMAIL_MAX_LENGTH = 254
_ADDRESS = re.compile(r"[a-z0-9._%+'-]+@[a-z0-9-]+(\.[a-z0-9-]+)+")
_ALLOWED = frozenset("abcdefghijklmnopqrstuvwxyz0123456789._%+'-@")


def _shown(char: str) -> str:
    """A character as a message can name it: a visible one as itself, the others in words
    (a space, a line break, a zero-width space cannot be seen)."""
    if char == " ":
        return str(_("a space"))
    if char in "\r\n":
        return str(_("a line break"))
    if char.isprintable() and not char.isspace() and unicodedata.category(char)[0] not in "CZ":
        return f"“{char}”"
    return str(_("an invisible character (code %(code)s)") % {"code": f"{ord(char):04X}"})


def normalise_email(raw: str) -> str:
    """An e-mail address as invitations store and compare it: trimmed and in lower case.

    Refused, each with its own message: nothing, more than 254 characters, a character
    other than a–z, digits and ``. _ % + - '`` (spaces, accents, quotes, invisible
    characters, line breaks: the message names it), and anything Django's ``EmailValidator``
    refuses."""
    value = (raw or "").strip()
    if not value:
        raise ValidationError(_("Give an e-mail address."), code="required")
    if len(value) > EMAIL_MAX_LENGTH:
        raise ValidationError(
            _("An e-mail address has at most %(max)d characters; this one has %(n)d.")
            % {"max": EMAIL_MAX_LENGTH, "n": len(value)},
            code="max_length",
        )
    odd = next((ch for ch in value if ch.lower() not in _ALLOWED), None)
    if odd is not None:
        raise ValidationError(
            _(
                "An e-mail address may only contain the letters a–z, digits and . _ %% + - ' "
                "(and one @). This one contains %(char)s."
            )
            % {"char": _shown(odd)},
            code="characters",
        )
    value = value.lower()
    try:
        if not _ADDRESS.fullmatch(value):
            raise ValidationError("pattern")
        EmailValidator()(value)
    except ValidationError:
        raise ValidationError(
            _("This is not an e-mail address. Write it as name@example.nl."), code="invalid"
        ) from None
    return value


class Invitation(BaseModel):
    """An invitation to Perspectief sent to an e-mail address: for an organisation, in a
    role, for a purpose (``constants.InvitationPurpose``; a job seeker's names the person
    in ``subject_uuid``). Only a hash of its token is stored: the token itself is in the
    e-mail's link and nowhere else. It works once, until ``expires_at``, unless revoked."""

    LIFETIME = timedelta(days=INVITATION_DAYS)

    email = models.EmailField(_("email address"), max_length=EMAIL_MAX_LENGTH)
    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="invitations",
    )
    role = models.CharField(_("role"), max_length=30, choices=Role.choices)
    purpose = models.CharField(_("purpose"), max_length=20, choices=InvitationPurpose.choices)
    subject_uuid = models.UUIDField(_("person"), null=True, blank=True, db_index=True)
    invited_by = models.ForeignKey(
        Membership,
        verbose_name=_("invited by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="invitations_sent",
    )
    token_hash = models.CharField(_("token hash"), max_length=64, unique=True, editable=False)
    expires_at = models.DateTimeField(_("expires"))
    used_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    accepted_user = models.ForeignKey(
        User,
        verbose_name=_("account"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    #: When the inviter opened the page the acceptance leads to (the new user's page, the
    #: employer's page, the person's page): until then it waits in their inbox.
    acceptance_seen_at = models.DateTimeField(_("acceptance seen"), null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["organisation", "purpose", "email"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(purpose=InvitationPurpose.JOB_SEEKER, subject_uuid__isnull=False)
                | (~models.Q(purpose=InvitationPurpose.JOB_SEEKER) & models.Q(subject_uuid=None)),
                name="invitation_person_only_for_job_seekers",
                violation_error_message=_("Only a job seeker's invitation names a person."),
            ),
            models.CheckConstraint(
                condition=models.Q(used_at=None) | models.Q(revoked_at=None),
                name="invitation_used_or_revoked",
                violation_error_message=_("An invitation is either accepted or revoked."),
            ),
        ]

    def __str__(self):
        return f"{self.get_purpose_display()} → {self.email}"

    @property
    def state(self) -> str:
        """``used``, ``revoked``, ``expired`` or ``open``."""
        if self.used_at is not None:
            return "used"
        if self.revoked_at is not None:
            return "revoked"
        if self.expires_at <= timezone.now():
            return "expired"
        return "open"

    @staticmethod
    def generate() -> str:
        """A new raw token (43 URL-safe characters: 256 random bits)."""
        return secrets.token_urlsafe(32)
