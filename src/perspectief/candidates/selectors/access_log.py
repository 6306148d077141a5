"""How the access-log pages find and name a job seeker (AVG inzage), registered with
``perspectief.audit.subjects`` in ``CandidatesConfig.ready()``."""

from __future__ import annotations

from perspectief.audit.constants import SubjectType
from perspectief.audit.subjects import Person
from perspectief.core import bsn as bsn_lib
from perspectief.core.authz import Actor

from ..models import Candidate


def _for_access_log(candidate: Candidate):
    servings = ", ".join(s.organisation.name for s in candidate.servings.all() if s.is_active)
    return Person(
        subject_type=SubjectType.CANDIDATE,
        uuid=str(candidate.uuid),
        name=candidate.full_name,
        date_of_birth=candidate.date_of_birth,
        detail=servings,
    )


def describe_for_access_log(actor: Actor, uuid: str):
    """How the access-log pages name a job seeker the actor may see (never with the BSN)."""
    candidate = (
        Candidate.objects.visible_to(actor)
        .filter(uuid=uuid)
        .prefetch_related("servings__organisation")
        .first()
    )
    return _for_access_log(candidate) if candidate else None


def find_for_access_request(actor: Actor, *, bsn, last_name, first_name, date_of_birth) -> list:
    """Job seekers the actor may see (a functioneel beheerder: the region's) with this BSN —
    exact, through the blind index, never by decrypting — or with this last name and date
    of birth (and first name, when given), compared without case or extra spaces."""
    people = Candidate.objects.visible_to(actor)
    if bsn:
        people = people.filter(bsn_index__in=bsn_lib.blind_indexes(bsn))  # during a rotation too
    elif last_name and date_of_birth:
        people = people.filter(
            last_name__iexact=" ".join(last_name.split()), date_of_birth=date_of_birth
        )
        if first_name:
            people = people.filter(first_name__iexact=" ".join(first_name.split()))
    else:
        return []
    people = people.prefetch_related("servings__organisation").order_by("last_name", "id")[:50]
    return [_for_access_log(c) for c in people]
