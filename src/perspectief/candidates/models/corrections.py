"""Corrections of the profile proposed by the person themself ("Mijn gegevens"), accepted
or declined by a klantmanager of an organisation that serves them."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from perspectief.core.models import BaseModel

from ..constants import CorrectionField, CorrectionStatus
from .people import Candidate


class ProfileCorrection(BaseModel):
    """One proposed change of one field. Values are kept as text in a fixed form per field
    (a postcode's PC4, a date as ISO, a choice's code, occupations' ESCO URIs separated by
    spaces): ``current_value`` as the field was when the person proposed the change, so the
    klantmanager sees what the person saw."""

    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="corrections")
    field = models.CharField(_("field"), max_length=20, choices=CorrectionField.choices)
    proposed_value = models.TextField(_("proposed value"), blank=True)
    current_value = models.TextField(_("value when proposed"), blank=True)
    reason = models.TextField(_("explanation of the person"), blank=True)
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=CorrectionStatus.choices,
        default=CorrectionStatus.PROPOSED,
    )
    proposed_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("proposed by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_by = models.ForeignKey(
        "accounts.User",
        verbose_name=_("decided by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_for = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("decided for"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_at = models.DateTimeField(_("decided on"), null=True, blank=True)
    decline_reason = models.TextField(_("why it was not accepted"), blank=True)

    #: The values in words, set by ``selectors.corrections`` for a page.
    proposed_words: str
    current_words: str
    now_words: str

    class Meta:
        verbose_name = _("profile correction")
        verbose_name_plural = _("profile corrections")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "created_at"], name="correction_open_order")]
        constraints = [
            # One open proposal per field: a new one replaces it (services.corrections).
            models.UniqueConstraint(
                fields=["candidate", "field"],
                condition=models.Q(status="proposed"),
                name="correction_one_open_per_field",
            )
        ]

    def __str__(self):
        return f"{self.get_field_display()} ({self.get_status_display()})"
