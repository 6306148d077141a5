"""The region's catalogue: services and training that partners offer along a person's route,
with the ESCO skills a training teaches (the bridge from a skill gap to a course) and its
starts. The tables were the ``routes`` app's (``routes_offer``...) until the catalogue became
its own app; migration ``catalogue.0002`` renamed them."""

from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from perspectief.candidates.constants import TargetGroup
from perspectief.core.models import BaseModel

from .constants import Funding, OfferKind, OfferStatus
from .query import OfferQuerySet


class Offer(BaseModel):
    provider = models.ForeignKey(
        "organisations.Organisation",
        verbose_name=_("provider"),
        on_delete=models.PROTECT,
        related_name="offers",
    )
    region = models.ForeignKey(
        "regions.Region", verbose_name=_("region"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=OfferKind.choices)
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    duration_weeks = models.PositiveSmallIntegerField(
        _("duration (weeks)"), null=True, blank=True, validators=[MinValueValidator(1)]
    )
    hours_per_week = models.PositiveSmallIntegerField(_("hours per week"), null=True, blank=True)
    cost = models.DecimalField(
        _("cost per person (€)"), max_digits=9, decimal_places=2, null=True, blank=True
    )
    funding = models.CharField(_("funded by"), max_length=20, choices=Funding.choices)
    postcode = models.ForeignKey(
        "regions.Postcode",
        verbose_name=_("location (postcode)"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    online = models.BooleanField(_("online (no travel)"), default=False)
    contact = models.CharField(_("contact"), max_length=200, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=OfferStatus.choices, default=OfferStatus.ACTIVE
    )

    objects = OfferQuerySet.as_manager()

    #: The audit trail names a target by its model (``app.model``); offers were
    #: ``routes.offer`` before the catalogue became its own app, and keep that name so that
    #: one offer's history reads under one name.
    audit_target_type = "routes.offer"

    class Meta:
        verbose_name = _("offer")
        verbose_name_plural = _("offers")
        ordering = ["title", "id"]
        indexes = [models.Index(fields=["region", "status", "kind"])]

    def __str__(self):
        return self.title

    @property
    def skill_uris(self) -> list[str]:
        return [s.skill.uri for s in self.skills.all()]

    @property
    def group_values(self) -> list[str]:
        return [t.group for t in self.target_groups.all()]


class OfferSkill(models.Model):
    """An ESCO skill the offer teaches."""

    offer = models.ForeignKey(Offer, on_delete=models.CASCADE, related_name="skills")
    skill = models.ForeignKey("taxonomy.Skill", on_delete=models.PROTECT, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["offer", "skill"], name="offer_skill_once")]

    def __str__(self):
        return str(self.skill_id)


class OfferTargetGroup(models.Model):
    offer = models.ForeignKey(Offer, on_delete=models.CASCADE, related_name="target_groups")
    group = models.CharField(_("target group"), max_length=30, choices=TargetGroup.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["offer", "group"], name="offer_target_group_once")
        ]

    def __str__(self):
        return self.group


class OfferEdition(BaseModel):
    """One start of an offer, with its dates and number of seats (empty: no limit)."""

    offer = models.ForeignKey(Offer, on_delete=models.CASCADE, related_name="editions")
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"), null=True, blank=True)
    seats = models.PositiveIntegerField(
        _("seats"), null=True, blank=True, validators=[MinValueValidator(1)]
    )

    class Meta:
        verbose_name = _("start of an offer")
        verbose_name_plural = _("starts of an offer")
        ordering = ["starts_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True)
                | models.Q(ends_on__gte=models.F("starts_on")),
                name="edition_ends_after_start",
            )
        ]

    def __str__(self):
        return f"{self.offer_id} {self.starts_on}"
