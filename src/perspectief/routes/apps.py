from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RoutesConfig(AppConfig):
    name = "perspectief.routes"
    label = "routes"
    verbose_name = _("Routes and training")
