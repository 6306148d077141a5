from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MatchingConfig(AppConfig):
    name = "perspectief.matching"
    label = "matching"
    verbose_name = _("Matching")

    def ready(self):
        # Panels and hooks import the models, which the app registry allows only once ready.
        from . import hooks, panels

        hooks.register()
        panels.register_place_panels()
