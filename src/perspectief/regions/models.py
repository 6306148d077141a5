"""Arbeidsmarktregio's, gemeenten and PC4 postcodes (CBS and GeoNames reference data)."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from perspectief.core.geo import haversine_km


class Region(models.Model):
    """One of the 35 arbeidsmarktregio's (CBS AM code)."""

    code = models.CharField(_("CBS code"), max_length=4, unique=True)
    name = models.CharField(_("name"), max_length=100)
    centrumgemeente = models.ForeignKey(
        "regions.Municipality",
        verbose_name=_("centrumgemeente"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("The municipality that leads the region; set by the region's administrator."),
    )

    class Meta:
        verbose_name = _("labour-market region")
        verbose_name_plural = _("labour-market regions")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(code__regex=r"^AM[0-9]{2}$"),
                name="region_code_format",
                violation_error_message=_("A region code is AM followed by two digits."),
            )
        ]

    def __str__(self):
        return f"{self.name} ({self.code})"

    def clean(self):
        if self.centrumgemeente_id and self.centrumgemeente.region_id != self.pk:
            raise ValidationError(
                {"centrumgemeente": _("The centrumgemeente must be a municipality of the region.")}
            )


class Municipality(models.Model):
    """A gemeente (CBS GM code) and the region it belongs to."""

    code = models.CharField(_("CBS code"), max_length=6, unique=True)
    name = models.CharField(_("name"), max_length=100)
    province = models.CharField(_("province"), max_length=50)
    region = models.ForeignKey(
        Region, verbose_name=_("region"), on_delete=models.PROTECT, related_name="municipalities"
    )
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)

    class Meta:
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(code__regex=r"^GM[0-9]{4}$"),
                name="municipality_code_format",
                violation_error_message=_("A municipality code is GM followed by four digits."),
            )
        ]

    def __str__(self):
        return self.name


class Postcode(models.Model):
    """A four-digit postcode area with its centroid, gemeente and (through it) region."""

    code = models.CharField(_("postcode (PC4)"), max_length=4, unique=True)
    latitude = models.FloatField(_("latitude"))
    longitude = models.FloatField(_("longitude"))
    place_names = models.CharField(_("places"), max_length=300, blank=True)
    municipality = models.ForeignKey(
        Municipality,
        verbose_name=_("municipality"),
        on_delete=models.PROTECT,
        related_name="postcodes",
    )

    class Meta:
        verbose_name = _("postcode area")
        verbose_name_plural = _("postcode areas")
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(code__regex=r"^[1-9][0-9]{3}$"),
                name="postcode_pc4_format",
                violation_error_message=_("A PC4 postcode is four digits, not starting with 0."),
            )
        ]

    def __str__(self):
        return f"{self.code} {self.place_names}".strip()

    @property
    def point(self) -> tuple[float, float]:
        return (self.latitude, self.longitude)

    def distance_km(self, other: "Postcode") -> float:
        return haversine_km(self.point, other.point)
