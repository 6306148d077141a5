from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FundingConfig(AppConfig):
    """ "Waar zit wat": the funding pots a region can draw on, and what they pay for."""

    name = "perspectief.funding"
    label = "funding"
    verbose_name = _("Funding")
