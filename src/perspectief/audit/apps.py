from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class AuditConfig(AppConfig):
    name = "perspectief.audit"
    label = "audit"
    verbose_name = _("Audit")

    def ready(self):
        # Bind the Celery app to these settings (shared tasks find it, eager mode applies)
        # and give every task an access-log scope.
        from perspectief.celery import app  # noqa: F401

        from . import celery_signals, checks  # noqa: F401

        # After every migrate (run as the owner): the application's role gets its rights on
        # the tables the migrations made, and only SELECT/INSERT on the access log.
        post_migrate.connect(grant_app_role_after_migrate, sender=self)


def grant_app_role_after_migrate(sender, using, **kwargs):
    from django.conf import settings
    from django.db import connections

    from .roles import grant_app_role

    role = getattr(settings, "DATABASE_APP_ROLE", "")
    if role and connections[using].vendor == "postgresql":
        grant_app_role(connections[using], role)
