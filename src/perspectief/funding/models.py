"""The funding pots a region can draw on ("Waar zit wat", #17 part 5) and their
application periods.

A pot belongs to a region, or to every region (``region`` empty: a national pot, shipped as
reference data without amounts). What is *committed* to a pot is never typed: it is the sum
of the route steps and plan activities that say this pot pays them (see
:mod:`perspectief.funding.commitments`)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from perspectief.core.models import BaseModel

from .constants import PotKind
from .query import PotQuerySet


class FundingPot(BaseModel):
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("region"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Empty: a national pot every region can draw on."),
    )
    #: A stable key for the shipped national pots (``SBB_PRAKTIJKLEREN``); empty for a
    #: region's own pots.
    code = models.CharField(_("code"), max_length=40, blank=True)
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=PotKind.choices)
    purpose = models.TextField(_("purpose"), blank=True)
    who_may_apply = models.TextField(_("who may apply"), blank=True)
    conditions_text = models.TextField(_("conditions"), blank=True)
    #: The conditions that can be decided, as ``core.rules`` conditions over
    #: :data:`perspectief.funding.facts.VOCABULARY`: a list, each with its ``text``.
    rules = models.JSONField(_("rules"), default=list, blank=True)
    amount_available = models.DecimalField(
        _("amount available (€)"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    sources = models.JSONField(_("sources"), default=list, blank=True)
    verified = models.BooleanField(_("verified"), default=False)
    verify_note = models.TextField(_("what is not confirmed"), blank=True)
    contact = models.CharField(_("contact"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        "accounts.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    objects = PotQuerySet.as_manager()

    class Meta:
        verbose_name = _("funding pot")
        verbose_name_plural = _("funding pots")
        ordering = ["kind", "name", "id"]
        indexes = [models.Index(fields=["region", "kind"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount_available__gte=0) | models.Q(amount_available=None),
                name="fundingpot_amount_not_negative",
            ),
            models.UniqueConstraint(
                fields=["code"],
                condition=~models.Q(code=""),
                name="fundingpot_code_unique",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def national(self) -> bool:
        return self.region_id is None


class ApplicationPeriod(models.Model):
    """A period in which one can apply to the pot (a pot may have several, or none: then
    one can apply all year)."""

    pot = models.ForeignKey(FundingPot, on_delete=models.CASCADE, related_name="periods")
    opens_on = models.DateField(_("from"))
    closes_on = models.DateField(_("until"), null=True, blank=True)

    class Meta:
        verbose_name = _("application period")
        verbose_name_plural = _("application periods")
        ordering = ["pot", "opens_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closes_on__gte=models.F("opens_on")) | models.Q(closes_on=None),
                name="applicationperiod_end_after_start",
            )
        ]

    def __str__(self):
        return f"{self.opens_on} – {self.closes_on or '…'}"

    def is_open(self, on) -> bool:
        return self.opens_on <= on and (self.closes_on is None or on <= self.closes_on)
