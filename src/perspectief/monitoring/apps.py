from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MonitoringConfig(AppConfig):
    name = "perspectief.monitoring"
    label = "monitoring"
    verbose_name = _("Action plans and monitoring")

    def ready(self):
        # The pages monitoring adds to belong to lower apps, whose views import models: only
        # once the app registry is ready.
        from perspectief.matching.views.runs import RUNS_PAGE

        from . import hooks, inbox
        from .panels import RUNS_MATCHES

        RUNS_PAGE.register("monitoring.matches", RUNS_MATCHES)
        # The plan activities a funding pot pays (perspectief.funding.commitments).
        hooks.register()
        # Items of what lasts after an ended plan, to be checked (notifications.inbox).
        inbox.register()
