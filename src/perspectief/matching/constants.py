from django.db import models
from django.utils.translation import gettext_lazy as _


class ProposalStatus(models.TextChoices):
    REQUESTED = "requested", _("asked for by the employer")
    PROPOSED = "proposed", _("proposed")
    INTERESTED = "interested", _("employer wants to meet")
    NOT_INTERESTED = "not_interested", _("employer not interested")
    WITHDRAWN = "withdrawn", _("withdrawn")


#: Proposals still in play (an employer can respond, an adviser can withdraw).
OPEN_STATUSES = (ProposalStatus.REQUESTED, ProposalStatus.PROPOSED, ProposalStatus.INTERESTED)
