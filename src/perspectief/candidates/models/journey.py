"""The person's journey: every dated change of ``Candidate.status``, with its cause."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from ..constants import JourneyStatus, TransitionCause
from .people import Candidate


class JourneyTransition(models.Model):
    """One dated step of a person along the journey, with its cause: the monitoring counts
    transitions, so every change of ``Candidate.status`` writes one
    (``services.journey.journey_move``)."""

    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="journey")
    from_status = models.CharField(_("from"), max_length=15, choices=JourneyStatus.choices)
    to_status = models.CharField(_("to"), max_length=15, choices=JourneyStatus.choices)
    occurred_on = models.DateField(_("date"), db_index=True)
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    cause = models.CharField(_("cause"), max_length=10, choices=TransitionCause.choices)
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    reference = models.CharField(
        _("reference"),
        max_length=64,
        blank=True,
        help_text=_("The step, hire or support plan the transition follows from."),
    )
    actor = models.ForeignKey(
        "accounts.User",
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("organisation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("journey transition")
        verbose_name_plural = _("journey transitions")
        ordering = ["occurred_on", "recorded_at", "id"]
        indexes = [models.Index(fields=["to_status", "occurred_on"])]

    def __str__(self):
        return f"{self.from_status} → {self.to_status} ({self.occurred_on})"
