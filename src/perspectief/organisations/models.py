"""Participating organisations: gemeenten, UWV offices, employers, schools, intermediaries,
SW companies, the ministry and regional programme offices."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from perspectief.core.models import BaseModel

from .constants import REGIONAL_KINDS, OrganisationKind
from .query import OrganisationQuerySet


class Organisation(BaseModel):
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=OrganisationKind.choices)
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("region"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="organisations",
        help_text=_("Required for municipalities, UWV offices and regional programme offices."),
    )
    municipality = models.ForeignKey(
        "regions.Municipality",
        verbose_name=_("municipality"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="organisations",
        help_text=_("For a gemeente: the municipality it is; for others: where it is based."),
    )
    is_active = models.BooleanField(_("active"), default=True)

    objects = OrganisationQuerySet.as_manager()

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(kind__in=sorted(REGIONAL_KINDS))
                | models.Q(region__isnull=False),
                name="organisation_regional_kind_has_region",
                violation_error_message=_(
                    "A municipality, UWV office or regional programme office belongs to a region."
                ),
            ),
            models.CheckConstraint(
                condition=~models.Q(kind=OrganisationKind.GEMEENTE)
                | models.Q(municipality__isnull=False),
                name="organisation_gemeente_has_municipality",
                violation_error_message=_("A gemeente organisation names its municipality."),
            ),
            models.UniqueConstraint(
                fields=["municipality"],
                condition=models.Q(kind=OrganisationKind.GEMEENTE),
                name="organisation_one_per_gemeente",
                violation_error_message=_("This municipality already has an organisation."),
            ),
        ]

    def __str__(self):
        return self.name
