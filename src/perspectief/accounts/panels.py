"""What accounts shows on lower apps' pages (registered in ``AccountsConfig.ready()``).

The account owner of an employer (``organisations.panels.EMPLOYER_OWNER``) may hand it over to
a colleague or partner of the region: choosing whom needs the region's memberships.
"""

from perspectief.core.contributions import Panel
from perspectief.organisations.panels import EMPLOYER_OWNER

from .selectors import handover_candidates


def employer_handover(request, *, account, **_objects):
    """The hand-over form, when there is someone to hand over to."""
    colleagues = list(handover_candidates(actor=request.actor, account=account))
    if not colleagues:
        return None
    return {"account": account, "colleagues": colleagues}


def register_employer_panels() -> None:
    EMPLOYER_OWNER.register(
        "accounts.handover", Panel("accounts/panels/employer_handover.html", employer_handover)
    )
