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


class Pillar(models.TextChoices):
    """The four pillars of Perspectief op Werk a lesson is about."""

    SUPPLY = "aanbod", _("supply (people looking for work)")
    DEMAND = "vraag", _("demand (employers)")
    ROUTE = "route", _("route to work")
    TRAINING = "scholing", _("training")


class ReactionKind(models.TextChoices):
    """What another professional adds to a lesson."""

    ALSO_TRIED = "ook_geprobeerd", _("we tried this too")
    QUESTION = "vraag", _("question")
    ADDITION = "aanvulling", _("addition")


#: The lesson's free texts, in the order the form shows them: the personal-data check reads
#: each, and the search looks in each.
TEXT_FIELDS = (
    "title",
    "tried",
    "for_whom",
    "place",
    "result",
    "worked",
    "failed",
    "conditions",
)
#: At most this many characters in each long text (the search and the check stay cheap).
TEXT_MAX_LENGTH = 5000
