from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MatchingConfig(AppConfig):
    name = "perspectief.matching"
    label = "matching"
    verbose_name = _("Matching")

    def ready(self):
        # Imported here, not at the top: the panels use models, which load only once the
        # app registry is ready.
        from . import panels

        # What matching adds to a person's pages and data (perspectief.candidates.panels).
        panels.register()
