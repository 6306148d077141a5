from django.db import models
from django.utils.translation import gettext_lazy as _


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    ACTIVE = "active", _("in force")
    CLOSED = "closed", _("closed")


class ActivityKind(models.TextChoices):
    """What a region spends its plan on (the proeftuinen of Perspectief op Werk)."""

    BASISBANEN = "basisbanen", _("basic jobs (basisbanen)")
    PRACTICE = "praktijkleren", _("practical learning (praktijkleren)")
    STATUSHOUDERS = "statushouders", _("refugees with a residence permit (statushouders)")
    SMALL_JOBS = "kleine_banen", _("combining small jobs across employers")
    WORK_READY = "werkfit", _("work-readiness (werkfit)")
    TRAINING = "scholing", _("retraining and further training")
    WSP = "wsp", _("employer service point (WSP)")
    COACHING = "jobcoaching", _("job coaching and support at work")
    OTHER = "anders", _("other")


class ActivityStatus(models.TextChoices):
    PLANNED = "planned", _("planned")
    RUNNING = "running", _("running")
    DONE = "done", _("done")
    STOPPED = "stopped", _("stopped")


class AmbitionDimension(models.TextChoices):
    TARGET_GROUP = "target_group", _("target group")
    SECTOR = "sector", _("sector")


class ActivityResult(models.TextChoices):
    """How an activity turned out, in the plan managers' own judgement (a qualitative
    result next to the numbers; the lessons app has its own outcome of a lesson)."""

    RUNNING = "loopt", _("still running")
    SUCCEEDED = "gelukt", _("succeeded")
    PARTLY = "deels", _("partly succeeded")
    FAILED = "mislukt", _("did not succeed")
    STOPPED = "gestopt", _("stopped")


class BorgingStatus(models.TextChoices):
    """Whether what should last after the programme has been arranged (borging)."""

    PLANNED = "gepland", _("planned")
    ARRANGED = "geregeld", _("arranged")
    FAILED = "niet_gelukt", _("not arranged")


#: The longest period an action plan may cover (a multi-year plan of up to five years).
MAX_PLAN_YEARS = 5
