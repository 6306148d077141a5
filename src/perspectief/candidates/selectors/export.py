"""The person's data as a file for a computer (AVG art. 20, data portability): codes as
stored, booleans and numbers as JSON booleans and numbers, dates as ISO 8601 dates, moments
as ISO 8601 in local time to the second, occupations and skills as ESCO URI with label.
The readable document (``selectors/document.py``) shows the same facts in words.

:func:`plain` is the building block for the parts other apps contribute
(``panels.PERSON_DATA``)."""

from __future__ import annotations

from datetime import date, datetime

from django.db import models
from django.utils import timezone

from perspectief.audit.constants import SubjectType
from perspectief.audit.models import AccessRecord
from perspectief.core import bsn as bsn_lib
from perspectief.core import codes

from ..constants import LIST_FIELDS, PROFILE_FIELDS
from ..models import Candidate
from ..panels import PERSON_DATA

#: Profile fields the file gives under "profile" (the others identify the person and are
#: given at the top).
IDENTITY_FIELDS = ("first_name", "last_name", "date_of_birth", "email", "phone", "postcode")


def plain(value):
    """A value for the machine-readable export (AVG art. 20): JSON booleans and numbers stay
    what they are, dates are ISO 8601 dates, moments ISO 8601 in local time to the second,
    a reference-data row its code."""
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, datetime):
        return timezone.localtime(value).replace(microsecond=0).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, models.Model):
        return getattr(value, "code", None) or str(value)
    return str(value)


def export_data(candidate: Candidate, *, with_health: bool = True) -> dict:
    """Everything the platform holds about the person: the person's own details, then every
    part of ``panels.PERSON_DATA`` under its key. Without ``with_health`` (a reader without
    the health permission) the functional limitations are left out."""
    data = {
        **_identity(candidate),
        "profile": _profile(candidate),
        "availability_confirmed": plain(candidate.availability_confirmed_at),
        "registered": plain(candidate.created_at),
        **_work(candidate),
        "served_by": _servings(candidate),
        "consents": _consents(candidate),
    }
    for part in PERSON_DATA:
        data[part.key] = part.export(candidate, with_health=with_health)
    return data


def _identity(candidate: Candidate) -> dict:
    """Who the person is, with the BSN (the person's own data hold it)."""
    return {
        "uuid": str(candidate.uuid),
        "bsn": bsn_lib.decrypt(candidate.bsn_encrypted) if candidate.bsn_encrypted else None,
        "first_name": candidate.first_name,
        "last_name": candidate.last_name,
        "date_of_birth": plain(candidate.date_of_birth),
        "email": candidate.email,
        "phone": candidate.phone,
        "postcode": candidate.postcode.code if candidate.postcode else None,
        "region": candidate.region.code,
        "status": candidate.status,
    }


def _profile(candidate: Candidate) -> dict:
    return {
        name: codes.split(getattr(candidate, name))
        if name in LIST_FIELDS
        else plain(getattr(candidate, name))
        for name in PROFILE_FIELDS
        if name not in IDENTITY_FIELDS
    }


def _work(candidate: Candidate) -> dict:
    """Target groups, wanted occupations and skills."""
    return {
        "target_groups": sorted(candidate.target_group_rows.values_list("group", flat=True)),
        "occupations": [{"uri": o.uri, "label": o.label} for o in candidate.occupations.all()],
        "skills": [
            {
                "skill": s.skill.uri,
                "label": s.skill.label,
                "source": s.source,
                "acquired_on": plain(s.acquired_on),
                "trained_on": plain(s.trained_on),
            }
            for s in candidate.skills.select_related("skill")
        ],
    }


def _servings(candidate: Candidate) -> list[dict]:
    return [
        {
            "organisation": s.organisation.name,
            "legal_basis": s.legal_basis,
            "since": plain(s.created_at),
            "active": s.is_active,
        }
        for s in candidate.servings.select_related("organisation")
    ]


def _consents(candidate: Candidate) -> list[dict]:
    return [
        {
            "scope": c.scope,
            "employer": c.employer.organisation.name if c.employer is not None else None,
            "method": c.method,
            "statement_version": c.statement_version,
            "statement": c.statement.text() if c.statement else None,
            "given": plain(c.granted_at),
            "agreed": plain(c.approved_at),
            "withdrawn": plain(c.revoked_at),
        }
        for c in candidate.consents.select_related("employer__organisation")
    ]


def journey_export(candidate: Candidate, *, with_health: bool) -> list[dict]:
    """The dated steps of the person's journey (``PERSON_DATA`` part "journey")."""
    return [
        {
            "date": plain(t.occurred_on),
            "from": t.from_status,
            "to": t.to_status,
            "cause": t.cause,
            "reason": t.reason,
            "organisation": t.organisation.name if t.organisation is not None else None,
        }
        for t in candidate.journey.select_related("organisation").order_by("occurred_on", "id")
    ]


def health_export(candidate: Candidate, *, with_health: bool) -> dict | None:
    """Functional limitations, for a reader who may see them (part "functional_limitations")."""
    health = getattr(candidate, "health", None) if with_health else None
    if not health:
        return None
    return {
        "limitations": health.functional_limitations,
        "adjustments": health.adjustments,
        "work_not_possible": health.limitation_list,
    }


def processings_export(candidate: Candidate, *, with_health: bool) -> list[dict]:
    """Every processing of the access log, refused attempts too (part "processings")."""
    return [
        {
            "time": plain(r.started_at),
            "activity": r.activity,
            "operation": r.operation,
            "organisation": r.organisation_name,
            "result": r.result,
        }
        for r in AccessRecord.objects.for_subject(SubjectType.CANDIDATE, candidate.uuid).order_by(
            "started_at", "id"
        )
    ]
