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
    REGION = "region", _("regional programme office")


#: Kinds that act for one labour-market region and must name it.
REGIONAL_KINDS = frozenset(
    {OrganisationKind.GEMEENTE, OrganisationKind.UWV, OrganisationKind.REGION}
)
