from django.apps import AppConfig


class ImportsConfig(AppConfig):
    """Imports of files (CSV/XLSX): the runner, the job and its progress, the rejected rows
    and column mappings. The kinds of import (job seekers, places) are registered by the
    apps whose rows they are (``<app>/importers.py``, in their ``ready()``)."""

    name = "perspectief.imports"
    label = "imports"

    def ready(self):
        # Imported here, not at the top: the models load only once the app registry is ready.
        from . import inbox, metrics

        inbox.register()  # the outcome of an import waits for who started it
        metrics.register()  # rows imported and rejected, for Prometheus (core.metrics)
