from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "perspectief.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        # Imported here, not at the top: the metrics read settings, loaded once apps are ready.
        from . import lookups, metrics  # noqa: F401 (lookups: registers ``any_of``)

        # Task durations and outcomes, in the workers and for tasks run in-process.
        metrics.connect_task_signals()
