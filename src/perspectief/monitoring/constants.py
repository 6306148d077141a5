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
