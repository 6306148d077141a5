from django.db import models
from django.utils.translation import gettext_lazy as _


class ImportStatus(models.TextChoices):
    PENDING = "pending", _("waiting")
    RUNNING = "running", _("running")
    #: The worker stopped (killed, or an error outside the file): resumable.
    INTERRUPTED = "interrupted", _("interrupted")
    DONE = "done", _("done")
    FAILED = "failed", _("failed")


class ImportKind(models.TextChoices):
    """The kinds of import (``ImportJob.kind``); each is registered by its app
    (:mod:`perspectief.imports.kinds`)."""

    CANDIDATES = "candidates", _("job seekers")
    PLACES = "places", _("places")
