from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RoutesConfig(AppConfig):
    name = "perspectief.routes"
    label = "routes"
    verbose_name = _("Routes and training")

    def ready(self):
        # Imported here, not at the top: the panels and the inbox's sources use models,
        # which load only once the app registry is ready.
        from . import hooks, inbox, panels

        # What routes adds to a person's pages and data (perspectief.candidates.panels) and
        # to a place's page (perspectief.vacancies.panels).
        panels.register()
        panels.register_place_panels()
        # What waits in a person's inbox (perspectief.notifications.inbox).
        inbox.register()
        # The supporting organisation may message the person (perspectief.conversations).
        hooks.register()
