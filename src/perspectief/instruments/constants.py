"""Choices of the instruments app."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

#: The scope of a variation that is not a gemeente: UWV's own practice in the region.
UWV_SCOPE = "UWV"


class VersionStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    PUBLISHED = "published", _("published")
    WITHDRAWN = "withdrawn", _("withdrawn")


class AmountPer(models.TextChoices):
    """What the amount formula computes."""

    YEAR = "year", _("per year")
    MONTH = "month", _("per month")
    ONCE = "once", _("once")
    NONE = "none", _("no amount (a service or a guarantee)")


class Anchor(models.TextChoices):
    """The date a deadline counts from."""

    BEFORE_START = "before_start", _("before the start of work")
    START = "start", _("the start of work")
    TRIAL_END = "trial_end", _("the end of the trial placement")
    DECISION = "decision", _("the decision")
    PERIOD_END = "period_end", _("the end of the period granted")


class Eligibility(models.TextChoices):
    ELIGIBLE = "eligible", _("eligible")
    NOT_ELIGIBLE = "not_eligible", _("not eligible")
    UNKNOWN = "unknown", _("can't tell yet")


class ApplicationStatus(models.TextChoices):
    APPLIED = "aangevraagd", _("applied for")
    GRANTED = "toegekend", _("granted")
    REFUSED = "afgewezen", _("refused")
    RUNNING = "lopend", pgettext_lazy("instrument application", "running")
    ENDED = "beeindigd", _("ended")


#: Which status may follow which (a refused or ended application is closed).
APPLICATION_STEPS: dict[str, tuple[str, ...]] = {
    ApplicationStatus.APPLIED: (ApplicationStatus.GRANTED, ApplicationStatus.REFUSED),
    ApplicationStatus.GRANTED: (ApplicationStatus.RUNNING, ApplicationStatus.ENDED),
    ApplicationStatus.RUNNING: (ApplicationStatus.ENDED,),
    ApplicationStatus.REFUSED: (),
    ApplicationStatus.ENDED: (),
}


class HarmonisationStatus(models.TextChoices):
    """Where the region stands in harmonising one instrument across its gemeenten."""

    NOT_STARTED = "open", _("not started")
    IN_PROGRESS = "in_bespreking", _("under discussion")
    AGREED = "afgesproken", _("agreed")
    HARMONISED = "geharmoniseerd", _("harmonised")
