from django.db import models
from django.utils.translation import gettext_lazy as _


class OfferKind(models.TextChoices):
    """What the region's partners offer along a route (the wagons of the train)."""

    WORK_READY = "werkfit", _("work-readiness programme (werkfit)")
    DUTCH = "nt2", _("Dutch language course (NT2)")
    MBO_COURSE = "mbo", _("MBO course or certificate")
    BBL = "bbl", _("BBL place (learning while working)")
    PRACTICE = "praktijkleren", _("practical learning (praktijkleren)")
    TRIAL = "proefplaatsing", _("trial placement (proefplaatsing)")
    JOB_COACHING = "jobcoaching", _("job coaching")
    WORKPLACE = "werkplekaanpassing", _("workplace adjustment")


#: Kinds that teach skills (and so can close a skill gap).
TRAINING_KINDS = (OfferKind.DUTCH, OfferKind.MBO_COURSE, OfferKind.BBL, OfferKind.PRACTICE)

#: Kinds that must name the skills they teach, so that they can be found for a skill gap.
SKILL_KINDS = (OfferKind.MBO_COURSE, OfferKind.BBL, OfferKind.PRACTICE)


class Funding(models.TextChoices):
    PARTICIPATIEWET = "participatiewet", _("gemeente (Participatiewet)")
    UWV = "uwv", _("UWV")
    REGION = "regio", _("the region's action plan budget")
    SLIM = "slim", _("SLIM subsidy (employer)")
    EMPLOYER = "werkgever", _("the employer")
    SCHOOL = "school", _("the school (regular funding)")
    OTHER = "anders", _("other")


class OfferStatus(models.TextChoices):
    ACTIVE = "active", _("offered")
    ARCHIVED = "archived", _("no longer offered")
