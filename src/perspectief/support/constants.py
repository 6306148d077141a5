from django.db import models
from django.utils.translation import gettext_lazy as _


class QuestionnaireKind(models.TextChoices):
    """The support team's quarterly progress collection, or a region's reflection round."""

    PROGRESS = "voortgang", _("quarterly progress")
    REFLECTION = "reflectie", _("reflection")


class QuestionnaireStatus(models.TextChoices):
    DRAFT = "concept", _("draft")
    PUBLISHED = "gepubliceerd", _("published")


class QuestionKind(models.TextChoices):
    """How a question is answered: written, a number typed in, or a figure the platform
    fills in (marked as such and not editable)."""

    TEXT = "tekst", _("written answer")
    NUMBER = "getal", _("number")
    FIGURE = "platform", _("figure from the platform")


class QuestionTag(models.TextChoices):
    """Questions whose answers the team reads across regions."""

    NONE = "", _("none")
    BOTTLENECKS = "knelpunten", _("bottlenecks")
    GOOD_EXAMPLES = "goede_voorbeelden", _("good examples")


class Figure(models.TextChoices):
    """The platform's figures a questionnaire can ask for, each with the definition the
    monitoring uses everywhere (matches are hires recorded in the platform)."""

    MATCHES = "matches", _("matches (placements) in the quarter")
    IN_VIEW = "in_view", _("people in view in the quarter")
    DURABLE = "durable", _("durable placements (6 months) in the quarter")
    AMBITION = "ambition", _("plan ambition: extra matches a year")
    SPEND = "spend", _("spend on the plan's activities in the quarter (€)")


class ResponseStatus(models.TextChoices):
    DRAFT = "concept", _("draft")
    SUBMITTED = "ingediend", _("submitted")


class Pillar(models.TextChoices):
    """The pillars of Perspectief op Werk a support request is about."""

    SUPPLY = "aanbod", _("supply (job seekers)")
    DEMAND = "vraag", _("demand (employers)")
    ROUTE = "route", _("route to work")
    TRAINING = "scholing", _("training")
    OTHER = "anders", _("other")


class RequestStatus(models.TextChoices):
    OPEN = "open", _("open")
    ANSWERED = "beantwoord", _("answered")


class ReminderStage(models.TextChoices):
    """When a region is told about a questionnaire: at publication, a week before the
    deadline, and once overdue. Each at most once per region."""

    PUBLISHED = "gepubliceerd", _("published")
    BEFORE = "herinnering", _("before the deadline")
    OVERDUE = "verlopen", _("overdue")


#: Days before the deadline the reminder goes out.
REMIND_DAYS = 7
