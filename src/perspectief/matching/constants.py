from django.db import models
from django.utils.translation import gettext_lazy as _


class ProposalStatus(models.TextChoices):
    REQUESTED = "requested", _("asked for by the employer")
    PROPOSED = "proposed", _("proposed")
    INTERESTED = "interested", _("employer wants to meet")
    INTRODUCED = "introduced", _("introduced by name")
    INTERVIEW = "interview", _("interview")
    HIRED = "hired", _("hired")
    REJECTED = "rejected", _("not hired")
    NOT_INTERESTED = "not_interested", _("employer not interested")
    NO_ANSWER = "no_answer", _("closed: no answer from the employer")
    WITHDRAWN = "withdrawn", _("withdrawn")


#: Proposals still in play (an employer can respond, an adviser can withdraw).
OPEN_STATUSES = (
    ProposalStatus.REQUESTED,
    ProposalStatus.PROPOSED,
    ProposalStatus.INTERESTED,
    ProposalStatus.INTRODUCED,
    ProposalStatus.INTERVIEW,
)

#: Waiting for the employer's answer: reminded, and closed when it never comes.
AWAITING_EMPLOYER = (ProposalStatus.PROPOSED, ProposalStatus.INTRODUCED)


class RunStatus(models.TextChoices):
    PENDING = "pending", _("waiting")
    RUNNING = "running", _("running")
    DONE = "done", _("done")
    FAILED = "failed", _("failed")


class SuggestionStatus(models.TextChoices):
    """What an adviser did with a batch run's suggestion. Nothing happens until they act."""

    OPEN = "open", _("to review")
    SHORTLISTED = "shortlisted", _("put on the shortlist")
    PROPOSED = "proposed", _("proposed to the employer")
    DISMISSED = "dismissed", _("set aside")


#: How many people a batch run keeps per place: a few per position, within bounds.
RUN_PER_POSITION = 3
RUN_MIN_PER_PLACE = 5
RUN_MAX_PER_PLACE = 150
