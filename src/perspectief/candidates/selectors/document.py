"""The person's data as a readable document (AVG art. 15), next to the file for a computer
(art. 20, ``selectors/export.py``): every field with its label, dates as dates, yes/no for
booleans, choices, occupations and skills by their names, and the processings of the
access log in words. The same facts as the file, for a person to read and print.

The building blocks (:class:`Section`, :func:`text`, :func:`fields`, :func:`table`) are used
by the parts other apps contribute (``panels.PERSON_DATA``)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from django.utils import formats, timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from perspectief.audit.constants import (
    ACTIVITY_IN_WORDS,
    OPERATION_DONE,
    AccessResult,
    SubjectType,
)
from perspectief.audit.models import AccessRecord
from perspectief.core import bsn as bsn_lib

from ..constants import Barrier
from ..models import Candidate, CandidateOrganisation, CandidateSkill, Consent, JourneyTransition
from ..panels import PERSON_DATA

EMPTY = "—"


@dataclass
class Section:
    title: str
    fields: list[tuple[str, str]] = field(default_factory=list)
    headers: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)
    note: str = ""
    empty: str = ""


def text(value) -> str:
    """A value in words, in the active language."""
    if value is None or value == "":
        return EMPTY
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, datetime):
        return formats.date_format(timezone.localtime(value), "j F Y, H:i")
    if isinstance(value, date):
        return formats.date_format(value, "j F Y")
    if isinstance(value, (list, tuple)):
        return ", ".join(text(v) for v in value) or EMPTY
    label = getattr(value, "label", None)  # ESCO occupations and skills
    if isinstance(label, str):
        return label
    return str(value)


def label(model, name: str) -> str:
    """The label of a model's field, as the model names it."""
    return capfirst(str(model._meta.get_field(name).verbose_name))


def value(obj, name: str) -> str:
    """The value of a field in words (a choice by its name)."""
    model_field = obj._meta.get_field(name)
    if model_field.choices and getattr(obj, name) not in (None, ""):
        return text(getattr(obj, f"get_{name}_display")())
    return text(getattr(obj, name))


def fields(obj, names) -> list[tuple[str, str]]:
    """(label, value in words) of these fields of one object."""
    return [(label(type(obj), name), value(obj, name)) for name in names]


def table(model, names, objects) -> tuple[list[str], list[list[str]]]:
    """Headers and rows in words of these fields of the objects."""
    headers = [label(model, name) for name in names]
    rows = [[value(obj, name) for name in names] for obj in objects]
    return headers, rows


def sections(candidate: Candidate, *, with_health: bool = True) -> list[Section]:
    """The document, section by section: the person's own details, then every part of
    ``panels.PERSON_DATA``; without ``with_health`` (a reader without the health
    permission) the functional limitations are left out."""
    out = [
        _personal_details(candidate),
        _profile(candidate),
        _skills(candidate),
        _servings(candidate),
        _consents(candidate),
    ]
    for part in PERSON_DATA:
        out.extend(part.document(candidate, with_health=with_health))
    return out


def _personal_details(candidate: Candidate) -> Section:
    """Who the person is, with the BSN (the person's own data hold it)."""
    person = Section(_("Personal details"))
    person.fields = [
        *fields(candidate, ["first_name", "last_name"]),
        (
            _("BSN"),
            bsn_lib.decrypt(candidate.bsn_encrypted) if candidate.bsn_encrypted else EMPTY,
        ),
        *fields(candidate, ["date_of_birth", "email", "phone"]),
        (label(Candidate, "postcode"), candidate.postcode.code if candidate.postcode else EMPTY),
        (label(Candidate, "region"), candidate.region.name),
        (
            label(Candidate, "klantmanager"),
            (candidate.klantmanager.get_full_name() or candidate.klantmanager.username)
            if candidate.klantmanager
            else EMPTY,
        ),
        (_("Registered on"), text(candidate.created_at)),
    ]
    return person


def _profile(candidate: Candidate) -> Section:
    """The profile the matching and the klantmanager work with."""
    profile = Section(_("Profile"))
    profile.fields = [
        *fields(candidate, ["status", "benefit"]),
        (
            label(Candidate, "education_level"),
            candidate.education_level.name if candidate.education_level else EMPTY,
        ),
        *fields(
            candidate,
            [
                "dutch_level",
                "driving_licence",
                "transport",
                "hours_per_week",
                "available_from",
                "max_travel_km",
                "work_experience",
                "work_readiness",
            ],
        ),
        (
            label(Candidate, "barriers"),
            text([Barrier(b).label if b in Barrier.values else b for b in candidate.barrier_list]),
        ),
        *fields(candidate, ["motivation", "capacity"]),
        *fields(candidate, ["ready_from", "max_hours_per_week", "max_physical_load"]),
        (label(Candidate, "excluded_sectors"), text(candidate.excluded_sector_list)),
        (label(Candidate, "support_needs"), text(candidate.get_support_needs_display())),
        *fields(candidate, ["availability_confirmed_at"]),
        (
            _("Target groups"),
            text([row.get_group_display() for row in candidate.target_group_rows.all()]),
        ),
        (label(Candidate, "occupations"), text(list(candidate.occupations.all()))),
    ]
    return profile


def _skills(candidate: Candidate) -> Section:
    skills = Section(_("Skills"), empty=_("No skills recorded."))
    skills.headers, skills.rows = table(
        CandidateSkill,
        ["skill", "source", "acquired_on", "trained_on"],
        candidate.skills.select_related("skill"),
    )
    return skills


def _servings(candidate: Candidate) -> Section:
    servings = Section(_("Organisations that support you"))
    servings.headers, servings.rows = table(
        CandidateOrganisation,
        ["organisation", "legal_basis", "created_at", "is_active"],
        candidate.servings.select_related("organisation"),
    )
    servings.headers[2] = _("Since")
    return servings


def _consents(candidate: Candidate) -> Section:
    """Every consent, with how it was given and the text of the version shown."""
    consents = Section(_("Consent"), empty=_("No consent recorded."))
    consents.headers = [
        *(label(Consent, n) for n in ("scope", "employer", "method", "granted_at")),
        label(Consent, "statement_version"),
        *(label(Consent, n) for n in ("approved_at", "revoked_at")),
    ]
    for c in candidate.consents.select_related("employer__organisation").order_by("granted_at"):
        consents.rows.append(
            [
                value(c, "scope"),
                c.employer.organisation.name if c.employer is not None else EMPTY,
                value(c, "method"),
                value(c, "granted_at"),
                f"{c.statement_version}: {c.statement.text()}"
                if c.statement
                else c.statement_version,
                value(c, "approved_at"),
                value(c, "revoked_at"),
            ]
        )
    return consents


def journey_sections(candidate: Candidate, *, with_health: bool) -> list[Section]:
    """The person's steps in the programme (``PERSON_DATA`` part "journey")."""
    journey = Section(_("Your steps in the programme"), empty=_("No steps recorded."))
    journey.headers, journey.rows = table(
        JourneyTransition,
        ["occurred_on", "from_status", "to_status", "cause", "reason", "organisation"],
        candidate.journey.select_related("organisation").order_by("occurred_on", "id"),
    )
    return [journey]


def health_sections(candidate: Candidate, *, with_health: bool) -> list[Section]:
    """Functional limitations, for a reader who may see them (part "functional_limitations")."""
    health = getattr(candidate, "health", None) if with_health else None
    if health is None:
        return []
    limits = Section(_("Functional limitations"))
    limits.fields = [
        *fields(health, ["functional_limitations"]),
        (label(type(health), "limitations"), text(health.get_limitations_display())),
        *fields(health, ["adjustments"]),
    ]
    return [limits]


def processing_sections(candidate: Candidate, *, with_health: bool) -> list[Section]:
    """Who processed the person's data and why, in words; refused attempts (nothing was
    shown) are left out (part "processings")."""
    processings = Section(
        _("Who processed your data, and why"),
        note=_(
            "Every time someone looked at or changed your data. Refused attempts, in which "
            "nothing was shown, are not listed; the machine-readable file has them too."
        ),
        empty=_("No processings recorded."),
    )
    processings.headers = [
        _("When"),
        _("Organisation"),
        _("Which data"),
        _("What happened"),
        _("For which purpose"),
    ]
    records = (
        AccessRecord.objects.for_subject(SubjectType.CANDIDATE, candidate.uuid)
        .filter(result=AccessResult.OK)
        .order_by("started_at", "id")
    )
    for r in records.iterator():
        what, why = ACTIVITY_IN_WORDS.get(r.activity, (r.get_activity_display(), ""))
        processings.rows.append(
            [
                text(r.started_at),
                r.organisation_name or _("the platform itself"),
                str(what),
                str(OPERATION_DONE.get(r.operation, r.get_operation_display())),
                str(why),
            ]
        )
    return [processings]
