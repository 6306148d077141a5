"""What matching shows on lower apps' pages (registered in ``MatchingConfig.ready()``).

A place's page (``vacancies.panels.PLACE_PAGE``) shows its shortlist and the people proposed
for it, to those who may see job seekers: each person only as the ``visible_to`` rules allow,
each read in the access log, the others as a count.
"""

from perspectief.core.authz import Permission
from perspectief.core.contributions import Panel
from perspectief.vacancies.panels import PLACE_PAGE

from .selectors import proposals_visible
from .services import shortlist_visible


def place_shortlist(request, *, vacancy, **_objects):
    """The place's shortlist as the actor may see it."""
    actor = request.actor
    if not actor.has_perm(Permission.VIEW_CANDIDATES):
        return None
    shortlist, hidden = shortlist_visible(actor=actor, vacancy=vacancy)
    return {"vacancy": vacancy, "shortlist": shortlist, "shortlist_hidden": hidden}


def place_proposals(request, *, vacancy, **_objects):
    """The people proposed for the place as the actor may see them."""
    actor = request.actor
    if not actor.has_perm(Permission.VIEW_CANDIDATES):
        return None
    proposals, hidden = proposals_visible(actor=actor, vacancy=vacancy)
    return {"vacancy": vacancy, "proposals": proposals, "proposals_hidden": hidden}


def register_place_panels() -> None:
    PLACE_PAGE.register(
        "matching.shortlist",
        Panel("matching/panels/place_shortlist.html", place_shortlist),
        order=10,
    )
    PLACE_PAGE.register(
        "matching.proposals",
        Panel("matching/panels/place_proposals.html", place_proposals),
        order=20,
    )
