from django.db import models
from django.utils.translation import gettext_lazy as _


class PotKind(models.TextChoices):
    """The kinds of money a region can draw on ("Waar zit wat")."""

    POW = "pow", _("PoW budget of the region")
    REINTEGRATION = "reintegratie", _("municipal re-integration budget (Participatiewet)")
    UWV_TRAINING = "uwv_scholing", _("UWV training budget")
    MOBILITY = "mobiliteit", _("regional mobility budget")
    PRACTICAL_LEARNING = "praktijkleren", _("SBB/RVO practical learning (praktijkleren)")
    SECTOR_FUND = "sectorfonds", _("sector training fund (O&O)")
    ESF = "esf", _("ESF+")
    OTHER = "anders", _("other")


class Answer(models.TextChoices):
    """Can this pot pay for this course for this person?"""

    YES = "yes", _("yes")
    NO = "no", _("no")
    UNKNOWN = "unknown", _("can't tell yet")


#: The most euros a pot may hold or a step or activity may take (a sanity bound, not a
#: policy; it fits the amount columns).
MAX_AMOUNT = 10**10
