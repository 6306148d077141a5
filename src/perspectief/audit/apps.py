from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "perspectief.audit"
    label = "audit"
    verbose_name = _("Audit")

    def ready(self):
        # Bind the Celery app to these settings (shared tasks find it, eager mode applies)
        # and give every task an access-log scope.
        from perspectief.celery import app  # noqa: F401

        from . import celery_signals  # noqa: F401
