"""The sent-mail log (every message, its state and attempts) and each person's choice of
how often to be e-mailed about each kind of work."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from perspectief.core.models import BaseModel

from .constants import Frequency, Kind, Status
from .query import MessageQuerySet


class Message(BaseModel):
    """One e-mail: to a user about a kind of work, or to an address (an invitation).

    The body says *that* something waits, with a link; it names nobody. A message is
    created in the transaction of the action that causes it and handed to the mail server
    after that transaction commits, so a failing mail server never undoes the action, and a
    message that could not be sent stays here to be tried again."""

    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recipient"),
        on_delete=models.CASCADE,
        related_name="messages",
        null=True,
        blank=True,
    )
    to_address = models.EmailField(_("address"), max_length=254)
    organisation = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("organisation"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The organisation the recipient works for, or that sent the invitation."),
    )
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("text"))
    url = models.CharField(_("link"), max_length=500, blank=True)
    sealed_link = models.TextField(
        _("secret link (encrypted)"),
        blank=True,
        help_text=_(
            "An invitation's one-time link, encrypted until the message is sent and then "
            "erased: the log never holds a usable link."
        ),
    )
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.CharField(_("last error"), max_length=300, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    digest = models.ForeignKey(
        "self",
        verbose_name=_("sent in overview"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="parts",
    )

    objects = MessageQuerySet.as_manager()

    class Meta:
        verbose_name = _("e-mail message")
        verbose_name_plural = _("e-mail messages")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["status", "created_at"]),
            models.Index(fields=["recipient", "status"]),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} → {self.to_address} ({self.get_status_display()})"


class Preference(models.Model):
    """How often a user wants an e-mail about one kind (no row: the kind's default)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="mail_preferences"
    )
    kind = models.CharField(_("kind"), max_length=30, choices=Kind.choices)
    frequency = models.CharField(_("e-mail"), max_length=10, choices=Frequency.choices)

    class Meta:
        verbose_name = _("e-mail preference")
        verbose_name_plural = _("e-mail preferences")
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="mail_preference_unique_kind")
        ]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.kind} = {self.frequency}"
