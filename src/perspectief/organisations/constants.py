from django.db import models
from django.utils.translation import gettext_lazy as _


class OrganisationKind(models.TextChoices):
    GEMEENTE = "gemeente", _("municipality (gemeente)")
    UWV = "uwv", _("UWV office")
    EMPLOYER = "employer", _("employer")
    SCHOOL = "school", _("school (MBO)")
    INTERMEDIARY = "intermediary", _("private intermediary")
    SW_BEDRIJF = "sw_bedrijf", _("SW company (sociaal werkbedrijf)")
    MINISTRY = "ministry", _("ministry")
    PROGRAMME = "programme", _("national programme team")
    REGION = "region", _("regional programme office")


#: Kinds that act for one labour-market region and must name it.
REGIONAL_KINDS = frozenset(
    {OrganisationKind.GEMEENTE, OrganisationKind.UWV, OrganisationKind.REGION}
)


class EmployerSize(models.TextChoices):
    MICRO = "1-9", _("1-9 employees")
    SMALL = "10-49", _("10-49 employees")
    MEDIUM = "50-249", _("50-249 employees")
    LARGE = "250+", _("250 or more employees")


class AccountEventKind(models.TextChoices):
    REGISTERED = "registered", _("registered")
    CLAIMED = "claimed", _("became account owner")
    HANDED_OVER = "handed_over", _("handed over")
    RELEASED = "released", _("released ownership")
    CONTACT = "contact", _("contact moment")
