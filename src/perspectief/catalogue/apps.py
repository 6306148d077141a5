from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CatalogueConfig(AppConfig):
    """The region's catalogue of services and training (the wagons of a route). Its models
    came from the ``routes`` app and keep their data (migration ``catalogue.0001``)."""

    name = "perspectief.catalogue"
    label = "catalogue"
    verbose_name = _("Services and training")
