from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class StepKind(models.TextChoices):
    """A wagon of a person's route: a service or training from the catalogue, or the work
    around them that needs no offer."""

    INTAKE = "intake", _("intake and diagnosis")
    WORK_READY = "werkfit", _("work-readiness programme (werkfit)")
    DUTCH = "nt2", _("Dutch language course (NT2)")
    MBO_COURSE = "mbo", _("MBO course or certificate")
    BBL = "bbl", _("BBL place (learning while working)")
    PRACTICE = "praktijkleren", _("practical learning (praktijkleren)")
    TRIAL = "proefplaatsing", _("trial placement (proefplaatsing)")
    MATCHING = "bemiddeling", _("matching to a job (bemiddeling)")
    JOB_COACHING = "jobcoaching", _("job coaching")
    WORKPLACE = "werkplekaanpassing", _("workplace adjustment")
    OTHER = "anders", _("other")


#: Steps in which a person learns: started, the person is *in scholing*.
TRAINING_STEPS = frozenset({StepKind.DUTCH, StepKind.MBO_COURSE, StepKind.BBL, StepKind.PRACTICE})

#: Steps after which a person is ready for placement (*bemiddelbaar*), once completed; a
#: started matching step means the same.
READY_STEPS = frozenset({*TRAINING_STEPS, StepKind.TRIAL})


class StepStatus(models.TextChoices):
    PLANNED = "planned", _("planned")
    STARTED = "started", _("started")
    COMPLETED = "completed", pgettext_lazy("step of a route", "completed")
    STOPPED = "stopped", _("stopped")


OPEN_STEPS = (StepStatus.PLANNED, StepStatus.STARTED)


class HandOff(models.TextChoices):
    """A step owned by another organisation than the one that plans the route is a hand-off:
    it waits for that organisation to accept it."""

    NONE = "", _("own step")
    PENDING = "pending", _("waiting for acceptance")
    ACCEPTED = "accepted", _("accepted")
    DECLINED = "declined", _("declined")


class PlanStatus(models.TextChoices):
    ACTIVE = "active", _("support running")
    DURABLE = "durable", _("durably placed")
    DROPPED_OUT = "dropped_out", _("dropped out")


class CheckInOutcome(models.TextChoices):
    GOING_WELL = "well", _("going well")
    CONCERNS = "concerns", _("some concerns")
    AT_RISK = "at_risk", _("risk of drop-out")


class CheckInChannel(models.TextChoices):
    """How a check-in was held: at the workplace or in a conversation in person, or at a
    distance (coaching by phone, video or message)."""

    IN_PERSON = "in_person", _("in person")
    PHONE = "phone", _("by phone")
    VIDEO = "video", _("by video call")
    MESSAGE = "message", _("by message (chat, app or e-mail)")


#: Months after the start of work at which the jobcoach checks in with person and employer.
CHECK_IN_MONTHS = (1, 3, 6, 12)

#: Months in work after which a placement counts as durable.
DURABLE_MONTHS = 6


class ConfirmationSource(models.TextChoices):
    """Who confirmed that the person still works there (someone who knows)."""

    JOBCOACH = "jobcoach", _("the jobcoach (saw the person at work)")
    EMPLOYER = "employer", _("the employer")
    PERSON = "person", _("the person")


class ConfirmationMethod(models.TextChoices):
    """How the confirmation was given."""

    VISIT = "visit", _("at the workplace")
    IN_PERSON = "in_person", _("in a conversation in person")
    PHONE = "phone", _("by phone")
    WRITING = "writing", _("in writing (letter or e-mail)")
    DOCUMENT = "document", _("a document (payslip, contract extension)")


# --- what waits, and telling people (issue #16) -------------------------------------------

#: A check-in shows in the supporter's inbox this many days before it is due.
CHECK_IN_NOTICE_DAYS = 7

#: The daily job e-mails about a check-in that became missed at most this many days ago;
#: older missed check-ins (before the job ran for the first time) stay in the inbox only,
#: so that the first run does not send a mail for every check-in ever missed.
MISSED_NOTICE_DAYS = 14

#: At most this many items of one kind per person in the inbox; beyond it one item says
#: how many more wait, with a link to the list they are on.
INBOX_LIMIT = 100
