"""Reads about places that more than one feature needs: the hires recorded against a place,
and which people on a place (in its cohort, proposed, on its shortlist) the actor may see."""

from __future__ import annotations

from perspectief.candidates.models import Candidate
from perspectief.core.authz import Actor

from ..hooks import PLACE_HIRES, Hire
from ..models import Vacancy


def hires(vacancy: Vacancy) -> list[Hire]:
    """The hires recorded against the place: the platform's share of its fill (kept by the
    apps registered at :data:`~perspectief.vacancies.hooks.PLACE_HIRES`)."""
    return [hire for source in PLACE_HIRES for hire in source(vacancy)]


def shown_people(actor: Actor, rows) -> list:
    """Rows (with a ``candidate``) whose person the actor may see, each with ``shown_name``
    (name only for a serving organisation) and ``served``."""
    ids = [r.candidate_id for r in rows]
    visible = set(
        Candidate.objects.visible_to(actor).filter(pk__in=ids).values_list("pk", flat=True)
    )
    served = set(
        Candidate.objects.served_by(actor.organisation)
        .filter(pk__in=ids)
        .values_list("pk", flat=True)
    )
    shown = []
    for row in rows:
        if row.candidate_id not in visible:
            continue
        row.served = row.candidate_id in served
        row.shown_name = row.candidate.full_name if row.served else row.candidate.partner_label
        shown.append(row)
    return shown
