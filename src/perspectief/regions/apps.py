from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegionsConfig(AppConfig):
    name = "perspectief.regions"
    label = "regions"
    verbose_name = _("Regions")

    def ready(self):
        # Loaders import the models, which the app registry only allows once it is ready.
        from perspectief.core import reference

        from .loaders import load_regions

        reference.register(load_regions)
