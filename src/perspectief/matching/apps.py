from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MatchingConfig(AppConfig):
    name = "perspectief.matching"
    label = "matching"
    verbose_name = _("Matching")

    def ready(self):
        # Imported here, not at the top: panels and hooks use models, which load only once
        # the app registry is ready.
        from . import hooks, inbox, metrics, panels

        # What matching adds to a person's pages and data (perspectief.candidates.panels),
        # to a place's page (perspectief.vacancies.panels) and its hires (vacancies.hooks).
        panels.register()
        panels.register_place_panels()
        hooks.register()
        # What waits for advisers, employers and job seekers (notifications.inbox).
        inbox.register()
        # Runs by status and the places they matched, for Prometheus (core.metrics).
        metrics.register()
