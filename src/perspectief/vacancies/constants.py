from django.db import models
from django.utils.translation import gettext_lazy as _


class PlaceType(models.TextChoices):
    JOB = "job", _("regular job")
    BBL = "leerwerkplek", _("learning-working place (BBL)")
    BASISBAAN = "basisbaan", _("basisbaan")
    ADJUSTED = "aangepaste_plek", _("adjusted place")
    TRIAL = "proefplaats", _("trial placement")
    INTERNSHIP = "stage", _("internship")


class Contract(models.TextChoices):
    PERMANENT = "vast", _("permanent")
    TEMPORARY = "tijdelijk", _("temporary")
    ON_CALL = "oproep", _("on call")
    AGENCY = "uitzend", _("through an agency")
    NONE = "geen", _("no employment contract (trial, internship)")


class VacancyStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    OPEN = "open", _("open")
    FILLED = "filled", _("filled")
    CLOSED = "closed", _("closed")


class OutsideReason(models.TextChoices):
    """Why places were filled without a hire recorded in the platform."""

    EMPLOYER = "werkgever", _("the employer recruited the person itself")
    AGENCY = "uitzendbureau", _("through an employment agency or another intermediary")
    INTERNAL = "intern", _("an internal move at the employer")
    OTHER = "anders", _("other (see the explanation)")
    #: Only the data migration of issue #14 sets this: a count that used to be typed.
    TYPED = "getypt", _("taken over from a typed count, before the fill came from hires")


#: The reasons a person can choose (the typed count is history, not a choice).
OUTSIDE_REASONS = [(v, label) for v, label in OutsideReason.choices if v != OutsideReason.TYPED]


class RequestStatus(models.TextChoices):
    NEW = "new", _("new")
    IN_PROGRESS = "in_progress", _("in progress")
    DONE = "done", _("done")


class CohortStage(models.TextChoices):
    """Where a person in a bulk request's cohort stands in the preparation."""

    WORK_READY = "werkfit", _("becoming work-ready")
    TRAINING = "scholing", _("in training")
    READY = "klaar", _("ready to start")
    STARTED = "gestart", _("started work")
    DROPPED = "uitgevallen", _("dropped out")


#: Stages that count as "being prepared" for the planning of training and coaching.
PREPARING = (CohortStage.WORK_READY, CohortStage.TRAINING)
