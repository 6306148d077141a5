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
