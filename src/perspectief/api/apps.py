from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "perspectief.api"
    label = "api"
    verbose_name = _("API")

    def ready(self):
        # Registers the OpenAPI extensions; they import DRF's settings, so only once the
        # app registry is ready.
        from . import schema  # noqa: F401
