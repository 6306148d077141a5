from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FundingConfig(AppConfig):
    """ "Waar zit wat": the funding pots a region can draw on, and what they pay for."""

    name = "perspectief.funding"
    label = "funding"
    verbose_name = _("Funding")

    def ready(self):
        # Loaders import the models, which the app registry only allows once it is ready.
        from perspectief.core import reference

        from .loaders import load_pots

        # The national pots ship as reference data (data/funding/potjes.json).
        reference.register(load_pots)
