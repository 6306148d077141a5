"""The person's consent for a purpose beyond the legal task (double opt-in)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from perspectief.core.models import BaseModel

from .. import consent_statements
from ..constants import ConsentMethod, ConsentScope
from ..query import ConsentQuerySet
from .people import Candidate


class Consent(BaseModel):
    """The person's consent for a purpose beyond the legal task, with double opt-in: the
    person consents and the klantmanager agrees before it takes effect."""

    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="consents")
    scope = models.CharField(_("scope"), max_length=30, choices=ConsentScope.choices)
    employer = models.ForeignKey(
        "organisations.EmployerAccount",
        verbose_name=_("employer"),
        null=True,
        blank=True,
        # Dated evidence of consent outlives nothing by accident: an employer with
        # consents on record cannot simply be deleted.
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Only for an introduction: the one employer the person agreed to meet."),
    )
    statement_version = models.CharField(
        _("statement version"),
        max_length=20,
        help_text=_("The version of the consent text the person was shown (consent_statements)."),
    )
    method = models.CharField(
        _("how consent was given"), max_length=12, choices=ConsentMethod.choices
    )
    granted_at = models.DateTimeField(_("given on"))
    recorded_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("recorded by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recorded_for = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("recorded for"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    approved_at = models.DateTimeField(_("agreed by klantmanager on"), null=True, blank=True)
    approved_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("agreed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    revoked_at = models.DateTimeField(_("withdrawn on"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("withdrawn by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    objects = ConsentQuerySet.as_manager()

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        ordering = ["-granted_at"]
        indexes = [
            # Who has an active regional profile (the person list counts the region's
            # shared profiles on every view): found in this small index, not by reading
            # every consent (a national population has a million of them).
            models.Index(
                fields=["candidate"],
                name="consent_active_profile",
                condition=models.Q(
                    scope=ConsentScope.REGIONAL_PROFILE,
                    approved_at__isnull=False,
                    revoked_at__isnull=True,
                ),
            ),
        ]
        constraints = [
            # An introduction names exactly one employer; other scopes name none.
            models.CheckConstraint(
                condition=(
                    models.Q(scope=ConsentScope.INTRODUCTION, employer__isnull=False)
                    | (~models.Q(scope=ConsentScope.INTRODUCTION) & models.Q(employer__isnull=True))
                ),
                name="consent_employer_only_for_introduction",
            ),
            # Every consent says which text the person saw and how they gave it.
            models.CheckConstraint(
                condition=~models.Q(statement_version="") & ~models.Q(method=""),
                name="consent_statement_and_method_recorded",
            ),
        ]

    def __str__(self):
        return f"{self.get_scope_display()} ({self.granted_at:%Y-%m-%d})"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None and self.approved_at is not None

    @property
    def statement(self):
        """The text the person was shown, as kept with the application."""
        try:
            return consent_statements.get(self.scope, self.statement_version)
        except consent_statements.UnknownStatement:
            return None
