from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RoutesConfig(AppConfig):
    name = "perspectief.routes"
    label = "routes"
    verbose_name = _("Routes and training")

    def ready(self):
        # Panels import the models, which the app registry allows only once ready.
        from . import panels

        panels.register_place_panels()
