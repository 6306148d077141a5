from django.db import models
from django.utils.translation import gettext_lazy as _


class Outcome(models.TextChoices):
    """How a lesson's initiative turned out. Failures and stops are lessons of the same
    weight as successes (the final evaluation's fifth lesson)."""

    WORKED = "gelukt", _("worked")
    PARTLY = "deels", _("partly worked")
    FAILED = "mislukt", _("failed")
    STOPPED = "gestopt", _("stopped")
    RUNNING = "lopend", _("still running")


class Visibility(models.TextChoices):
    """Whether other regions see a lesson: a region keeps it internal until it is ready."""

    INTERNAL = "intern", _("internal to the region")
    SHARED = "gedeeld", _("shared with all regions")
