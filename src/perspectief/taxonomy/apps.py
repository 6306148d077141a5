from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TaxonomyConfig(AppConfig):
    name = "perspectief.taxonomy"
    label = "taxonomy"
    verbose_name = _("Taxonomy")

    def ready(self):
        # Loaders import the models, which the app registry only allows once it is ready.
        from perspectief.core import reference

        from .classifications import load_education_levels, load_sectors
        from .loaders import load_esco

        reference.register(load_esco, load_education_levels, load_sectors)
