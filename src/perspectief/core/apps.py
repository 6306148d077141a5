from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "perspectief.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self):
        # Bind the Celery app to these settings so that shared tasks find it.
        from perspectief.celery import app  # noqa: F401
