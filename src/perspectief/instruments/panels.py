"""What instrument applications add to a person's page (``candidates.panels.PERSON_PAGE``):
the person's hires the actor may see, each with its applications and a link to record one.
Registered in ``InstrumentsConfig.ready()``; the person's page logged reading the person.
"""

from __future__ import annotations

from collections import Counter

from perspectief.candidates.models import Candidate
from perspectief.candidates.panels import PERSON_PAGE
from perspectief.core.authz import Permission
from perspectief.core.contributions import Panel

from .query import applications_visible_to
from .selectors.applications import hires_of


def hire_applications_panel(request, *, candidate: Candidate, level: str) -> dict | None:
    """The hires of the person with the number of instrument applications on each."""
    actor = request.actor
    if not actor.has_perm(Permission.RECORD_APPLICATIONS):
        return None
    hires = hires_of(actor, candidate)
    if not hires:
        return None
    counted = Counter(
        str(proposal or outside)
        for proposal, outside in applications_visible_to(actor)
        .filter(candidate=candidate)
        .values_list("proposal__uuid", "outside_hire__uuid")
    )
    return {"hires": [(hire, counted.get(str(hire.uuid), 0)) for hire in hires]}


def register() -> None:
    PERSON_PAGE.register(
        "instruments.applications",
        Panel("instruments/panels/person_applications.html", hire_applications_panel),
        order=120,
    )
