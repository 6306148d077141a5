"""Writes on a job seeker's record: register (or find by BSN), update the profile, confirm
availability. Each service runs in one transaction, checks the actor, writes the mutation
audit and the access log."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from perspectief.accounts.models import User
from perspectief.audit import access
from perspectief.audit import services as audit
from perspectief.audit.constants import Operation, ProcessingActivity
from perspectief.core import bsn as bsn_lib
from perspectief.core import codes
from perspectief.core.authz import Actor, Permission
from perspectief.core.exceptions import NotFoundError, PermissionDeniedError
from perspectief.organisations.constants import OrganisationKind
from perspectief.regions.models import Postcode
from perspectief.taxonomy.constants import SBI_SECTIONS, Support
from perspectief.taxonomy.models import EducationLevel, Occupation, Skill

from ..completeness import completeness_of
from ..constants import LIST_FIELDS, PROFILE_FIELDS, Barrier, LegalBasis, SkillSource
from ..models import Candidate, CandidateOrganisation, CandidateSkill, CandidateTargetGroup
from ..selectors.people import own_or_served
from .duplicates import flag

#: The choices of the profile fields given as lists (the order they are stored in).
LIST_CHOICES = {
    "barriers": Barrier.values,
    "excluded_sectors": SBI_SECTIONS,
    "support_needs": Support.values,
}


#: Profile fields that can be empty (NULL): an edit that empties one stores it empty.
CLEARABLE_FIELDS = frozenset(
    name for name in PROFILE_FIELDS if Candidate._meta.get_field(name).null
)


@dataclass
class CandidateInput:
    """What a form, the API or an import row gives for one person. ``None`` leaves a field
    as it is on update, unless the field is named in ``cleared``; lists replace the current
    set when given."""

    first_name: str
    last_name: str
    bsn: str | None = None
    date_of_birth: date | None = None
    email: str | None = None
    phone: str | None = None
    postcode: Postcode | None = None
    benefit: str | None = None
    education_level: EducationLevel | None = None
    dutch_level: str | None = None
    driving_licence: bool | None = None
    transport: str | None = None
    hours_per_week: int | None = None
    available_from: date | None = None
    max_travel_km: int | None = None
    work_experience: str | None = None
    work_readiness: str | None = None
    barriers: list[str] | None = None
    motivation: str | None = None
    capacity: str | None = None
    ready_from: date | None = None
    max_hours_per_week: int | None = None
    max_physical_load: str | None = None
    excluded_sectors: list[str] | None = None  # SBI sections
    support_needs: list[str] | None = None
    target_groups: list[str] | None = None
    occupations: list[Occupation] | None = None
    skills: list[tuple[Skill, str]] | None = None  # (skill, source)
    reference: str | None = None  # client number in the source system
    klantmanager: User | None = None
    #: Fields given empty, to be stored empty (NULL) on update: a form shows every field,
    #: so one it sends back empty was emptied (an import or the API leaves out what it
    #: does not know, and uses ``None`` for that).
    cleared: frozenset[str] = frozenset()

    def profile_values(self) -> dict:
        values = {}
        for name in PROFILE_FIELDS:
            value = getattr(self, name)
            if value is None:
                continue
            values[name] = codes.join(value, LIST_CHOICES[name]) if name in LIST_FIELDS else value
        return values


def legal_basis_for(organisation) -> str:
    if organisation.kind == OrganisationKind.UWV:
        return LegalBasis.SUWI
    if organisation.kind in (OrganisationKind.GEMEENTE, OrganisationKind.SW_BEDRIJF):
        return LegalBasis.PARTICIPATIEWET
    raise PermissionDeniedError(
        _("Only a gemeente, UWV or SW company can register job seekers under its legal task.")
    )


#: Fields that identify the person: the audit records that they changed, never the values
#: (so erasure leaves nothing identifying in the audit trail).
IDENTIFYING_FIELDS = frozenset(
    {"first_name", "last_name", "date_of_birth", "email", "phone", "postcode", "work_experience"}
)
REDACTED = "…"


def _snapshot(candidate: Candidate) -> dict:
    values = {name: getattr(candidate, name) for name in PROFILE_FIELDS}
    values["status"] = candidate.status
    return values


def audit_diff(before: dict, after: dict) -> dict:
    """Changed fields old → new, with identifying values replaced by a marker."""
    changes = audit.diff(before, after)
    return {
        name: [None if old is None else REDACTED, None if new is None else REDACTED]
        if name in IDENTIFYING_FIELDS
        else [old, new]
        for name, (old, new) in changes.items()
    }


def _only_given(data: CandidateInput) -> CandidateInput:
    """Empty strings and lists mean "not given" (a form leaves them empty)."""
    values: dict[str, Any] = {
        f.name: (None if getattr(data, f.name) in ("", []) else getattr(data, f.name))
        for f in dataclasses.fields(CandidateInput)
    }
    values["cleared"] = frozenset()
    return CandidateInput(**values)


def _set_related(candidate: Candidate, data: CandidateInput) -> dict:
    changes: dict[str, list[Any]] = {}
    if data.target_groups is not None:
        before = sorted(candidate.target_group_rows.values_list("group", flat=True))
        after = sorted(set(data.target_groups))
        if before != after:
            candidate.target_group_rows.all().delete()
            CandidateTargetGroup.objects.bulk_create(
                CandidateTargetGroup(candidate=candidate, group=g) for g in after
            )
            changes["target_groups"] = [before, after]
    if data.occupations is not None:
        before = sorted(o.uri for o in candidate.occupations.all())
        after = sorted({o.uri for o in data.occupations})
        if before != after:
            candidate.occupations.set(data.occupations)
            changes["occupations"] = [before, after]
    if data.skills is not None:
        changes.update(_set_skills(candidate, data.skills))
    return changes


def _set_skills(candidate: Candidate, skills: list[tuple[Skill, str]]) -> dict:
    """The profile's skills become ``skills``. A skill that stays keeps its row — how it is
    known, since when and from which course — unless another source than "stated" is given
    for it: forms and the API give every skill they list as "stated", which says nothing
    new about a skill that was tested or came from training."""
    rows = {row.skill.uri: row for row in candidate.skills.select_related("skill")}
    had = sorted((uri, row.source) for uri, row in rows.items())
    wanted = {skill.uri: (skill, source) for skill, source in skills}
    changed = []
    for uri, (_skill, source) in wanted.items():
        row = rows.get(uri)
        if row is not None and source not in (SkillSource.STATED, row.source):
            row.source, row.acquired_on = source, None
            changed.append(row)
    has = sorted(
        (uri, rows[uri].source if uri in rows else source)
        for uri, (_skill, source) in wanted.items()
    )
    if had == has:
        return {}
    candidate.skills.exclude(skill__uri__in=list(wanted)).delete()
    CandidateSkill.objects.bulk_update(changed, ["source", "acquired_on"])
    CandidateSkill.objects.bulk_create(
        CandidateSkill(candidate=candidate, skill=skill, source=source)
        for uri, (skill, source) in wanted.items()
        if uri not in rows
    )
    return {"skills": [had, has]}


def _region_for(data: CandidateInput, organisation):
    if data.postcode is not None:
        return data.postcode.municipality.region
    return organisation.region


def find_by_bsn(raw_bsn: str) -> Candidate | None:
    # Every key of the ring: during a key rotation a person may still be indexed under the
    # old key.
    return Candidate.objects.filter(
        bsn_index__in=bsn_lib.blind_indexes(raw_bsn),
        merged_into__isnull=True,
        anonymised_at__isnull=True,
    ).first()


def _validate_bsn(raw: str | None) -> str | None:
    if raw in (None, ""):
        return None
    wrong = bsn_lib.problem(raw)
    if wrong:
        raise ValidationError({"bsn": wrong})
    return bsn_lib.validated(raw)


@transaction.atomic
def candidate_register(*, actor: Actor, data: CandidateInput) -> tuple[Candidate, bool]:
    """Register a person for the actor's organisation. A person already known by BSN (for
    example to UWV) stays one person: the actor's organisation is added as serving
    organisation and the given fields are updated. Returns (candidate, created)."""
    if not actor.has_perm(Permission.MANAGE_CANDIDATES):
        raise PermissionDeniedError()
    organisation = actor.organisation
    basis = legal_basis_for(organisation)
    bsn = _validate_bsn(data.bsn)
    existing = find_by_bsn(bsn) if bsn else None
    if existing is not None:
        # Known already (e.g. to UWV): add this organisation; only what was given changes,
        # an empty field never wipes what another organisation recorded.
        _serve(actor, existing, organisation, basis, data.reference)
        candidate_update(
            actor=actor, candidate=existing, data=_only_given(data), _skip_visibility=True
        )
        return existing, False
    candidate = Candidate(region=_region_for(data, organisation), **data.profile_values())
    if bsn:
        candidate.bsn_encrypted = bsn_lib.encrypt(bsn)
        candidate.bsn_index = bsn_lib.blind_index(bsn)
    candidate.klantmanager = data.klantmanager or actor.user
    candidate.full_clean(exclude=["bsn_encrypted", "bsn_index"])
    candidate.save()
    related = _set_related(candidate, data)
    candidate.completeness = completeness_of(candidate)
    candidate.save(update_fields=["completeness"])
    _serve(actor, candidate, organisation, basis, data.reference, audit_it=False)
    audit.record(
        "candidate.registered",
        actor=actor,
        target=candidate,
        changes={**audit_diff({}, _snapshot(candidate)), **related, "bsn": [None, REDACTED]}
        if bsn
        else {**audit_diff({}, _snapshot(candidate)), **related},
    )
    access.record_candidate(
        actor, candidate, ProcessingActivity.CANDIDATE_REGISTER, Operation.CREATE
    )
    flag([candidate])
    return candidate, True


def _serve(actor: Actor, candidate, organisation, basis, reference, *, audit_it=True):
    serving, created = CandidateOrganisation.objects.get_or_create(
        candidate=candidate,
        organisation=organisation,
        defaults={"legal_basis": basis, "reference": reference or ""},
    )
    changed = created
    if not serving.is_active:
        serving.is_active = True
        changed = True
    if reference and serving.reference != reference:
        serving.reference = reference
        changed = True
    if changed:
        serving.save()
        if audit_it:
            audit.record(
                "candidate.serving_added" if created else "candidate.serving_updated",
                actor=actor,
                target=candidate,
                changes={
                    "organisation": [None, str(organisation.uuid)],
                    "legal_basis": [None, basis],
                },
            )
    return serving


@transaction.atomic
def candidate_update(
    *, actor: Actor, candidate: Candidate, data: CandidateInput, _skip_visibility: bool = False
) -> dict:
    """Update the profile; returns the changes (empty when nothing changed)."""
    if not actor.has_perm(Permission.MANAGE_CANDIDATES):
        raise PermissionDeniedError()
    if (
        not _skip_visibility
        and not Candidate.objects.served_by(actor.organisation).filter(pk=candidate.pk).exists()
    ):
        raise NotFoundError(_("Job seeker not found."))
    candidate = Candidate.objects.select_for_update().get(pk=candidate.pk)
    before = _snapshot(candidate)
    old_completeness = candidate.completeness
    for name, value in data.profile_values().items():
        setattr(candidate, name, value)
    for name in data.cleared:
        if name not in CLEARABLE_FIELDS:
            raise ValueError(f"{name} cannot be cleared")
        if getattr(data, name) is None:
            setattr(candidate, name, None)
    if data.postcode is not None:
        candidate.region = data.postcode.municipality.region
    if data.klantmanager is not None:
        candidate.klantmanager = data.klantmanager
    candidate.full_clean(exclude=["bsn_encrypted", "bsn_index"])
    changes = audit_diff(before, _snapshot(candidate))
    changes.update(_set_related(candidate, data))
    candidate.completeness = completeness_of(candidate)
    if changes:
        candidate.save()
        audit.record("candidate.updated", actor=actor, target=candidate, changes=changes)
    elif candidate.completeness != old_completeness:
        candidate.save(update_fields=["completeness", "updated_at"])
    access.record_candidate(
        actor, candidate, ProcessingActivity.CANDIDATE_SERVICE, Operation.CHANGE
    )
    return changes


@transaction.atomic
def availability_confirm(*, actor: Actor, candidate: Candidate) -> Candidate:
    """The person is still available for work, as of now: said by the person themself (their
    own page, "Ja, ik zoek nog werk") or recorded by a klantmanager of an organisation that
    serves them. Anyone else is told the person is not found."""
    own = own_or_served(actor, candidate)
    candidate.availability_confirmed_at = timezone.now()
    candidate.save(update_fields=["availability_confirmed_at", "updated_at"])
    audit.record(
        "candidate.availability_confirmed",
        actor=actor,
        target=candidate,
        changes={"by": [None, "self" if own else "klantmanager"]},
    )
    access.record_candidate(
        actor,
        candidate,
        ProcessingActivity.CANDIDATE_SELF if own else ProcessingActivity.CANDIDATE_SERVICE,
        Operation.CHANGE,
    )
    return candidate


def input_from(candidate: Candidate, **overrides) -> CandidateInput:
    """The current profile as input (for forms that edit it)."""
    values: dict[str, Any] = {
        f.name: getattr(candidate, f.name, None)
        for f in dataclasses.fields(CandidateInput)
        if f.name in PROFILE_FIELDS
    }
    for name in LIST_FIELDS:
        values[name] = codes.split(getattr(candidate, name))
    values.update(overrides)
    return CandidateInput(**values)
