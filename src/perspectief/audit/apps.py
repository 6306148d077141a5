from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "perspectief.audit"
    label = "audit"
    verbose_name = _("Audit")

    def ready(self):
        # Bind the Celery app to these settings (shared tasks find it, eager mode applies)
        # and give every task an access-log scope. Imported here, not at the top: the
        # Celery app and the checks may only load once the app registry is ready.
        from perspectief.celery import app  # noqa: F401

        from . import celery_signals, checks  # noqa: F401

        # After every migrate (run as the owner): the application's role gets its rights on
        # the tables the migrations made, and only SELECT/INSERT on the access log. The
        # roles module reads the access log's model, so it loads once the registry is ready.
        from .roles import grant_app_role_after_migrate

        post_migrate.connect(grant_app_role_after_migrate, sender=self)
