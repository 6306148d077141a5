"""How the access-log pages find and name a job seeker (AVG inzage), registered with
``perspectief.audit.subjects`` in ``CandidatesConfig.ready()``; and the person's own view
of their access log ("Who looked at my data"), in words."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Count
from django.db.models.functions import TruncDate
from django.utils.translation import gettext as _

from perspectief.audit.constants import (
    ACTIVITY_IN_WORDS,
    OPERATION_DONE,
    AccessResult,
    SubjectType,
)
from perspectief.audit.models import AccessRecord
from perspectief.audit.subjects import Person
from perspectief.core import bsn as bsn_lib
from perspectief.core.authz import Actor, Role

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


@dataclass(frozen=True)
class Processing:
    """One line of the person's own access log: on one day, one organisation in one role
    did one thing with their data for one purpose (``times`` times)."""

    day: date
    organisation: str
    role: str
    data: str
    done: str
    purpose: str
    times: int


def own_processings(candidate: Candidate):
    """Every completed processing of the person's data by others, newest day first, one row
    per day, organisation, role, purpose and operation (a list page that shows the person
    is a processing too, so a day can hold many). Rows, not records: no user names, no
    identifiers; the person's own visits and refused attempts (nothing was shown) are left
    out. The caller turns a page of rows into :class:`Processing` with :func:`in_words`."""
    records = AccessRecord.objects.for_subject(SubjectType.CANDIDATE, candidate.uuid).filter(
        result=AccessResult.OK
    )
    if candidate.user_id is not None:
        records = records.exclude(actor_user_id=candidate.user_id)
    return (
        records.annotate(day=TruncDate("started_at"))
        .values("day", "organisation_name", "role", "activity", "operation")
        .annotate(times=Count("id"))
        .order_by("-day", "organisation_name", "role", "activity", "operation")
    )


def role_in_words(code: str) -> str:
    if code in Role.values:
        return str(Role(code).label)
    return _("an automatic process")


def in_words(row: dict) -> Processing:
    """One grouped row of :func:`own_processings` in the reader's language."""
    data, purpose = ACTIVITY_IN_WORDS.get(row["activity"], (row["activity"], ""))
    return Processing(
        day=row["day"],
        organisation=row["organisation_name"] or _("the platform itself"),
        role=role_in_words(row["role"]),
        data=str(data),
        done=str(OPERATION_DONE.get(row["operation"], row["operation"])),
        purpose=str(purpose),
        times=row["times"],
    )
