"""Writes on job seekers. Each service runs in one transaction, checks the actor, writes the
mutation audit and the access log."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date

from django.apps import apps as django_apps
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from perspectief.audit import access
from perspectief.audit import services as audit
from perspectief.audit.constants import Operation, ProcessingActivity, SubjectType
from perspectief.core import bsn as bsn_lib
from perspectief.core.authz import Permission
from perspectief.core.exceptions import NotFoundError, PermissionDeniedError
from perspectief.organisations.constants import OrganisationKind

from .completeness import completeness_of
from .constants import (
    STAFF_CONSENT_METHODS,
    TRANSITIONS,
    ConsentMethod,
    ConsentScope,
    JourneyStatus,
    LegalBasis,
    TransitionCause,
)
from .models import (
    Candidate,
    CandidateOrganisation,
    CandidateSkill,
    CandidateTargetGroup,
    Consent,
    JourneyTransition,
)

#: Profile fields a service may set from input (identity handled separately).
PROFILE_FIELDS = (
    "first_name",
    "last_name",
    "date_of_birth",
    "email",
    "phone",
    "postcode",
    "benefit",
    "education_level",
    "dutch_level",
    "driving_licence",
    "transport",
    "hours_per_week",
    "available_from",
    "max_travel_km",
    "work_experience",
    "work_readiness",
    "barriers",
    "motivation",
    "capacity",
)


@dataclass
class CandidateInput:
    """What a form, the API or an import row gives for one person. ``None`` leaves a field
    as it is on update; lists replace the current set when given."""

    first_name: str
    last_name: str
    bsn: str | None = None
    date_of_birth: date | None = None
    email: str | None = None
    phone: str | None = None
    postcode: object | None = None  # regions.Postcode
    benefit: str | None = None
    education_level: object | None = None  # taxonomy.EducationLevel
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
    target_groups: list[str] | None = None
    occupations: list | None = None  # taxonomy.Occupation
    skills: list | None = None  # [(taxonomy.Skill, source)]
    reference: str | None = None  # client number in the source system
    klantmanager: object | None = None

    def profile_values(self) -> dict:
        values = {}
        for name in PROFILE_FIELDS:
            value = getattr(self, name)
            if value is None:
                continue
            values[name] = ",".join(value) if name == "barriers" else value
        return values


def legal_basis_for(organisation) -> str:
    if organisation.kind == OrganisationKind.UWV:
        return LegalBasis.SUWI
    if organisation.kind in (OrganisationKind.GEMEENTE, OrganisationKind.SW_BEDRIJF):
        return LegalBasis.PARTICIPATIEWET
    raise PermissionDeniedError(
        _("Only a gemeente, UWV or SW company can register job seekers under its legal task.")
    )


def _require(actor, permission):
    if not actor.has_perm(permission):
        raise PermissionDeniedError()


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
    values = {
        f.name: (None if getattr(data, f.name) in ("", []) else getattr(data, f.name))
        for f in dataclasses.fields(CandidateInput)
    }
    return CandidateInput(**values)


def _log(actor, candidate, activity, operation):
    access.record_candidate(actor, candidate, activity, operation)


def _set_related(candidate: Candidate, data: CandidateInput) -> dict:
    changes = {}
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
        before = sorted((s.skill.uri, s.source) for s in candidate.skills.select_related("skill"))
        wanted = {skill.uri: (skill, source) for skill, source in data.skills}
        after = sorted((uri, source) for uri, (_skill, source) in wanted.items())
        if before != after:
            candidate.skills.all().delete()
            CandidateSkill.objects.bulk_create(
                CandidateSkill(candidate=candidate, skill=skill, source=source)
                for skill, source in wanted.values()
            )
            changes["skills"] = [before, after]
    return changes


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
def candidate_register(*, actor, data: CandidateInput) -> tuple[Candidate, bool]:
    """Register a person for the actor's organisation. A person already known by BSN (for
    example to UWV) stays one person: the actor's organisation is added as serving
    organisation and the given fields are updated. Returns (candidate, created)."""
    _require(actor, Permission.MANAGE_CANDIDATES)
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
    _log(actor, candidate, ProcessingActivity.CANDIDATE_REGISTER, Operation.CREATE)
    from .duplicates import flag

    flag([candidate])
    return candidate, True


def _serve(actor, candidate, organisation, basis, reference, *, audit_it=True):
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
    *, actor, candidate: Candidate, data: CandidateInput, _skip_visibility: bool = False
) -> dict:
    """Update the profile; returns the changes (empty when nothing changed)."""
    _require(actor, Permission.MANAGE_CANDIDATES)
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
    _log(actor, candidate, ProcessingActivity.CANDIDATE_SERVICE, Operation.CHANGE)
    return changes


def journey_move(
    *,
    actor,
    candidate: Candidate,
    status: str,
    cause: str,
    occurred_on: date | None = None,
    reason: str = "",
    reference: str = "",
    activity: str = ProcessingActivity.CANDIDATE_SERVICE,
    again: bool = False,
) -> Candidate:
    """The one way ``Candidate.status`` changes: a dated, audited transition with its cause
    (the monitoring counts these). The caller checked who may cause it and holds the
    transaction; a move to the status the person already has records nothing, unless
    ``again`` (a hire recorded for a placement that had none behind it)."""
    candidate = Candidate.objects.select_for_update().get(pk=candidate.pk)
    if candidate.status == status and not again:
        return candidate
    old = candidate.status
    candidate.status = status
    candidate.save(update_fields=["status", "updated_at"])
    JourneyTransition.objects.create(
        candidate=candidate,
        from_status=old,
        to_status=status,
        occurred_on=occurred_on or timezone.localdate(),
        cause=cause,
        reason=reason[:300],
        reference=reference,
        actor=getattr(actor, "user", None),
        organisation=getattr(actor, "organisation", None),
    )
    changes = {"status": [old, status]}
    if reason:
        changes["reason"] = [None, reason[:300]]
    audit.record("candidate.status_changed", actor=actor, target=candidate, changes=changes)
    if actor is not None:
        _log(actor, candidate, activity, Operation.CHANGE)
    return candidate


@transaction.atomic
def candidate_change_status(*, actor, candidate: Candidate, status: str) -> Candidate:
    """Move the person along the journey by hand (aangemeld → in beeld → werkfit → …)."""
    _require(actor, Permission.MANAGE_CANDIDATES)
    if not Candidate.objects.served_by(actor.organisation).filter(pk=candidate.pk).exists():
        raise NotFoundError(_("Job seeker not found."))
    candidate = Candidate.objects.select_for_update().get(pk=candidate.pk)
    if status not in JourneyStatus.values:
        raise ValidationError({"status": _("Unknown status.")})
    if status in (JourneyStatus.PLACED, JourneyStatus.DURABLE):
        raise ValidationError(
            {
                "status": _(
                    "A placement is not set by hand: record the hire (through a proposal, or "
                    "a job found outside the platform, on the person's page). Durable work "
                    "follows from a confirmation after six months."
                )
            }
        )
    if status not in TRANSITIONS[JourneyStatus(candidate.status)]:
        raise ValidationError(
            {
                "status": _("From “%(from)s” the person cannot go to “%(to)s”.")
                % {
                    "from": JourneyStatus(candidate.status).label,
                    "to": JourneyStatus(status).label,
                }
            }
        )
    return journey_move(
        actor=actor, candidate=candidate, status=status, cause=TransitionCause.MANUAL
    )


@transaction.atomic
def availability_confirm(*, actor, candidate: Candidate) -> Candidate:
    candidate.availability_confirmed_at = timezone.now()
    candidate.save(update_fields=["availability_confirmed_at", "updated_at"])
    audit.record("candidate.availability_confirmed", actor=actor, target=candidate)
    _log(actor, candidate, ProcessingActivity.CANDIDATE_SERVICE, Operation.CHANGE)
    return candidate


def _is_own(actor, candidate) -> bool:
    return candidate.user_id is not None and candidate.user_id == actor.user.pk


def _serves(actor, candidate) -> bool:
    return Candidate.objects.served_by(actor.organisation).filter(pk=candidate.pk).exists()


def _own_or_served(actor, candidate) -> bool:
    """The person themself, or a klantmanager of an organisation that serves them; anyone
    else is told the person is not found. True when it is the person themself."""
    own = _is_own(actor, candidate)
    if not (own or (actor.has_perm(Permission.MANAGE_CANDIDATES) and _serves(actor, candidate))):
        raise NotFoundError(_("Job seeker not found."))
    return own


@transaction.atomic
def consent_grant(
    *,
    actor,
    candidate: Candidate,
    method: str,
    statement_version: str,
    scope: str = ConsentScope.REGIONAL_PROFILE,
    employer=None,
) -> Consent:
    """The person gives consent: themself in their own account (method ``self``), or told to
    their klantmanager, who records how it was given (in person, by phone, in writing). Both
    name the version of the consent text the person was shown; it must be the version in
    force, so nobody consents to a text that has since changed. It takes effect when the
    klantmanager agrees (double opt-in, see docs/privacy.md). An introduction names the one
    employer the person agreed to meet."""
    from . import consent_statements

    own = _own_or_served(actor, candidate)
    if (scope == ConsentScope.INTRODUCTION) != (employer is not None):
        raise ValidationError(_("An introduction is consented to for one employer."))
    if own:
        if method != ConsentMethod.SELF:
            raise ValidationError({"method": _("Consent in your own account is given by you.")})
    elif method not in STAFF_CONSENT_METHODS:
        raise ValidationError(
            {"method": _("Say how the person gave consent: in person, by phone or in writing.")}
        )
    if statement_version != consent_statements.current(scope).version:
        raise ValidationError(
            {
                "statement_version": _(
                    "The consent text has changed since it was shown. Read the new text "
                    "(with the person) and give consent again."
                )
            }
        )
    current = candidate.consents.filter(
        scope=scope, employer=employer, revoked_at__isnull=True
    ).first()
    if current is not None:
        return current
    consent = Consent.objects.create(
        candidate=candidate,
        scope=scope,
        employer=employer,
        method=method,
        statement_version=statement_version,
        granted_at=timezone.now(),
        recorded_by=actor.user,
        recorded_for=actor.organisation,
    )
    audit.record(
        "consent.granted",
        actor=actor,
        target=candidate,
        changes={
            "scope": [None, scope],
            "method": [None, method],
            "statement_version": [None, statement_version],
        },
    )
    _log(actor, candidate, ProcessingActivity.CANDIDATE_CONSENT, Operation.CREATE)
    return consent


@transaction.atomic
def consent_approve(*, actor, consent: Consent) -> Consent:
    """The klantmanager agrees that the profile is shown beyond the public partners."""
    candidate = consent.candidate
    if not (actor.has_perm(Permission.MANAGE_CANDIDATES) and _serves(actor, candidate)):
        raise NotFoundError(_("Job seeker not found."))
    if consent.revoked_at is not None:
        raise ValidationError(_("This consent has been withdrawn."))
    if consent.approved_at is None:
        consent.approved_at = timezone.now()
        consent.approved_by = actor.user
        consent.save(update_fields=["approved_at", "approved_by", "updated_at"])
        audit.record(
            "consent.approved",
            actor=actor,
            target=candidate,
            changes={"scope": [None, consent.scope]},
        )
        _log(actor, candidate, ProcessingActivity.CANDIDATE_CONSENT, Operation.CHANGE)
    return consent


@transaction.atomic
def consent_revoke(*, actor, consent: Consent) -> Consent:
    """Withdrawn at once, everywhere: the next request no longer shows the profile.
    Withdrawing costs the person nothing: their service by gemeente/UWV goes on."""
    candidate = consent.candidate
    _own_or_served(actor, candidate)
    if consent.revoked_at is None:
        # Every open consent for this scope ends (a merge can leave two).
        candidate.consents.filter(
            scope=consent.scope, employer_id=consent.employer_id, revoked_at__isnull=True
        ).update(revoked_at=timezone.now(), revoked_by=actor.user)
        consent.refresh_from_db()
        audit.record(
            "consent.revoked",
            actor=actor,
            target=candidate,
            changes={"scope": [consent.scope, None]},
        )
        _log(actor, candidate, ProcessingActivity.CANDIDATE_CONSENT, Operation.CHANGE)
    return consent


def input_from(candidate: Candidate, **overrides) -> CandidateInput:
    """The current profile as input (for forms that edit it)."""
    values = {
        f.name: getattr(candidate, f.name, None)
        for f in dataclasses.fields(CandidateInput)
        if f.name in PROFILE_FIELDS
    }
    values["barriers"] = candidate.barrier_list
    values.update(overrides)
    return CandidateInput(**values)


__all__ = [
    "CandidateInput",
    "availability_confirm",
    "candidate_change_status",
    "candidate_register",
    "candidate_update",
    "consent_approve",
    "consent_grant",
    "consent_revoke",
    "find_by_bsn",
]


@transaction.atomic
def health_update(*, actor, candidate: Candidate, functional_limitations: str, adjustments: str):
    """Functional limitations in plain words (never diagnoses); audited without content."""
    _require(actor, Permission.VIEW_HEALTH)
    if not _serves(actor, candidate):
        raise NotFoundError(_("Job seeker not found."))
    from .models import HealthInformation

    health, _created = HealthInformation.objects.get_or_create(candidate=candidate)
    changed = [
        name
        for name, value in (
            ("functional_limitations", functional_limitations),
            ("adjustments", adjustments),
        )
        if getattr(health, name) != value
    ]
    if changed:
        health.functional_limitations = functional_limitations
        health.adjustments = adjustments
        health.save()
        # The audit names the changed fields, not their content (health data stays here).
        audit.record(
            "candidate.health_updated",
            actor=actor,
            target=candidate,
            changes={name: ["…", "…"] for name in changed},
        )
    return health


class RetentionDutyError(ValidationError):
    """Erasure is refused while a legal task requires keeping the data."""


def _plain(value):
    """A value for the machine-readable export (AVG art. 20): JSON booleans and numbers stay
    what they are, dates are ISO 8601 dates, moments ISO 8601 in local time to the second,
    a reference-data row its code."""
    from datetime import datetime

    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    if isinstance(value, datetime):
        return timezone.localtime(value).replace(microsecond=0).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, models.Model):
        return getattr(value, "code", None) or str(value)
    return str(value)


def _export_data(candidate: Candidate, *, with_health: bool = True) -> dict:
    from perspectief.audit.models import AccessRecord

    plain = _plain
    health = getattr(candidate, "health", None) if with_health else None
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
        "profile": {
            name: candidate.barrier_list if name == "barriers" else plain(getattr(candidate, name))
            for name in PROFILE_FIELDS
            if name
            not in ("first_name", "last_name", "date_of_birth", "email", "phone", "postcode")
        },
        "availability_confirmed": plain(candidate.availability_confirmed_at),
        "registered": plain(candidate.created_at),
        "target_groups": sorted(candidate.target_group_rows.values_list("group", flat=True)),
        "occupations": [{"uri": o.uri, "label": o.label} for o in candidate.occupations.all()],
        "skills": [
            {"skill": s.skill.uri, "label": s.skill.label, "source": s.source}
            for s in candidate.skills.select_related("skill")
        ],
        "served_by": [
            {
                "organisation": s.organisation.name,
                "legal_basis": s.legal_basis,
                "since": plain(s.created_at),
                "active": s.is_active,
            }
            for s in candidate.servings.select_related("organisation")
        ],
        "consents": [
            {
                "scope": c.scope,
                "employer": c.employer.organisation.name if c.employer_id else None,
                "method": c.method,
                "statement_version": c.statement_version,
                "statement": c.statement.text() if c.statement else None,
                "given": plain(c.granted_at),
                "agreed": plain(c.approved_at),
                "withdrawn": plain(c.revoked_at),
            }
            for c in candidate.consents.select_related("employer__organisation")
        ],
        "proposals": [
            {
                "place": p.vacancy.title,
                "employer": p.vacancy.employer.organisation.name,
                "proposed_by": p.proposed_for.name,
                "status": p.status,
                "employer_note": p.employer_note,
                "date": plain(p.created_at),
            }
            for p in candidate.proposals.select_related(
                "vacancy__employer__organisation", "proposed_for"
            )
        ],
        "bulk_request_cohorts": [
            {
                "place": m.vacancy.title,
                "employer": m.vacancy.employer.organisation.name,
                "stage": m.stage,
                "preparation": m.preparation,
                "intake": plain(m.phase.starts_on) if m.phase_id else None,
                "added_by": m.added_by.name,
            }
            for m in candidate.cohorts.select_related(
                "vacancy__employer__organisation", "phase", "added_by"
            )
        ],
        "journey": [
            {
                "date": plain(t.occurred_on),
                "from": t.from_status,
                "to": t.to_status,
                "cause": t.cause,
                "reason": t.reason,
                "organisation": t.organisation.name if t.organisation_id else None,
            }
            for t in candidate.journey.select_related("organisation").order_by("occurred_on", "id")
        ],
        "route": _route_export(candidate),
        "support_at_work": [
            {
                "work": p.job_title,
                "employer": p.employer_display,
                "hire": "outside the platform" if p.outside_hire_id else "proposal",
                "supported_by": p.organisation.name,
                "started": plain(p.started_on),
                "status": p.status,
                "ended": plain(p.ended_on),
                "drop_out_reason": p.drop_out_reason,
                "confirmation": _confirmation_export(p),
                "check_ins": [
                    {
                        "after_months": c.month,
                        "due": plain(c.due_on),
                        "held": plain(c.held_on),
                        "outcome": c.outcome,
                        "note": c.note,
                    }
                    for c in p.check_ins.all()
                ],
            }
            for p in candidate.support_plans.select_related(
                "employer", "organisation", "confirmation__recorded_for"
            )
        ],
        "functional_limitations": {
            "limitations": health.functional_limitations,
            "adjustments": health.adjustments,
        }
        if health
        else None,
        "processings": [
            {
                "time": plain(r.started_at),
                "activity": r.activity,
                "operation": r.operation,
                "organisation": r.organisation_name,
                "result": r.result,
            }
            for r in AccessRecord.objects.for_subject(
                SubjectType.CANDIDATE, candidate.uuid
            ).order_by("started_at", "id")
        ],
    }


def _confirmation_export(plan) -> dict | None:
    confirmation = getattr(plan, "confirmation", None)
    if confirmation is None:
        return None
    return {
        "confirmed_on": _plain(confirmation.confirmed_on),
        "confirmed_by": confirmation.source,
        "how": confirmation.method,
        "still_employed": confirmation.still_employed,
        "last_day": _plain(confirmation.last_day),
        "note": confirmation.note,
        "recorded_by": confirmation.recorded_for.name,
    }


def _route_export(candidate: Candidate) -> dict | None:
    route = getattr(candidate, "route", None)
    if route is None:
        return None
    plain = _plain
    return {
        "planned_by": route.organisation.name,
        "steps": [
            {
                "title": s.title,
                "kind": s.kind,
                "owner": s.owner.name,
                "planned": [plain(s.planned_start), plain(s.planned_end)],
                "actual": [plain(s.actual_start), plain(s.actual_end)],
                "status": s.status,
                "stop_reason": s.stop_reason,
                "hand_off": s.handoff,
            }
            for s in route.steps.select_related("owner")
        ],
    }


def _with_health(actor, *, own: bool) -> bool:
    """Health data (functional limitations) keep their own permission: the person sees
    their own; staff only with that permission."""
    return own or actor.has_perm(Permission.VIEW_HEALTH)


def _log_data(actor, candidate, operation, *, own: bool, with_health: bool) -> None:
    """Log handing out the person's data; health data also under their own activity."""
    _log(actor, candidate, ProcessingActivity.CANDIDATE_EXPORT, operation)
    if with_health and not own and hasattr(candidate, "health"):
        _log(actor, candidate, ProcessingActivity.CANDIDATE_HEALTH, operation)


def candidate_export(*, actor, candidate: Candidate) -> dict:
    """Everything the platform holds about the person, for the person (AVG art. 15)."""
    own = _own_or_served(actor, candidate)
    with_health = _with_health(actor, own=own)
    data = _export_data(candidate, with_health=with_health)
    _log_data(actor, candidate, Operation.EXPORT, own=own, with_health=with_health)
    audit.record("candidate.exported", actor=actor, target=candidate)
    return data


def candidate_document(*, actor, candidate: Candidate) -> list:
    """The same data as :func:`candidate_export`, as a readable document for the person
    (AVG art. 15); shown, so logged as a read."""
    from .data_document import sections

    own = _own_or_served(actor, candidate)
    with_health = _with_health(actor, own=own)
    document = sections(candidate, with_health=with_health)
    _log_data(actor, candidate, Operation.READ, own=own, with_health=with_health)
    return document


@transaction.atomic
def candidate_erase(*, actor, candidate: Candidate) -> Candidate:
    """Anonymise the person on request, unless a legal task still requires the data: while
    a gemeente or UWV serves the person on its legal task and the person has not left the
    programme, the data must be kept (the request is refused with that reason)."""
    _require(actor, Permission.MANAGE_CANDIDATES)
    if not _serves(actor, candidate):
        raise NotFoundError(_("Job seeker not found."))
    candidate = Candidate.objects.select_for_update().get(pk=candidate.pk)
    legal = candidate.servings.filter(
        is_active=True, legal_basis__in=[LegalBasis.PARTICIPATIEWET, LegalBasis.SUWI]
    ).select_related("organisation")
    if candidate.status != JourneyStatus.LEFT and legal.exists():
        names = ", ".join(s.organisation.name for s in legal)
        raise RetentionDutyError(
            _(
                "Not erased: %(orgs)s must keep these data for its legal task while the "
                "person takes part. Set the status to “left the programme” first."
            )
            % {"orgs": names}
        )
    from perspectief.audit.models import AuditEvent

    from .constants import DuplicateStatus
    from .models import DuplicatePair, HealthInformation

    records = [candidate, *Candidate.objects.filter(merged_into=candidate)]
    ids = [c.pk for c in records]
    HealthInformation.objects.filter(candidate_id__in=ids).delete()
    Consent.objects.filter(candidate_id__in=ids, revoked_at__isnull=True).update(
        revoked_at=timezone.now(), revoked_by=actor.user
    )
    CandidateTargetGroup.objects.filter(candidate_id__in=ids).delete()
    # What employers and other partners held of the person: proposals (with employers'
    # notes), cohort places (with preparation notes) and the employers' pseudonyms go.
    for label in ("matching.Proposal", "vacancies.CohortMember", "matching.EmployerPseudonym"):
        django_apps.get_model(label).objects.filter(candidate_id__in=ids).delete()
    # The route with its steps goes; what counts for the monitoring stays without words:
    # the dated journey and the support plans' outcome, not the reasons or check-in notes.
    django_apps.get_model("routes.Route").objects.filter(candidate_id__in=ids).delete()
    django_apps.get_model("routes.CheckIn").objects.filter(plan__candidate_id__in=ids).update(
        note=""
    )
    django_apps.get_model("routes.SupportPlan").objects.filter(candidate_id__in=ids).update(
        drop_out_reason="", jobcoach=None
    )
    django_apps.get_model("routes.WorkConfirmation").objects.filter(
        plan__candidate_id__in=ids
    ).update(note="")
    django_apps.get_model("matching.OutsideHire").objects.filter(candidate_id__in=ids).update(
        note=""
    )
    JourneyTransition.objects.filter(candidate_id__in=ids).update(reason="")
    CandidateOrganisation.objects.filter(candidate_id__in=ids).update(reference="", is_active=False)
    DuplicatePair.objects.filter(
        models.Q(first_id__in=ids) | models.Q(second_id__in=ids), status=DuplicateStatus.OPEN
    ).update(status=DuplicateStatus.KEPT_APART, decided_by=actor.user, decided_at=timezone.now())
    # Earlier audit entries keep which fields changed, not the values.
    for event in AuditEvent.objects.filter(target_id__in=[str(c.uuid) for c in records]):
        event.changes = {key: [REDACTED, REDACTED] for key in event.changes}
        event.save(update_fields=["changes"])
    for merged in records[1:]:
        _anonymise(merged, actor)
    _anonymise(candidate, actor)
    audit.record("candidate.anonymised", actor=actor, target=candidate)
    _log(actor, candidate, ProcessingActivity.CANDIDATE_ERASE, Operation.DELETE)
    return candidate


def _anonymise(candidate: Candidate, actor) -> None:
    candidate.first_name, candidate.last_name = "—", "—"
    candidate.date_of_birth = None
    candidate.email = candidate.phone = candidate.work_experience = ""
    candidate.postcode = None
    candidate.bsn_encrypted, candidate.bsn_index = "", None
    candidate.user = None
    candidate.anonymised_at = timezone.now()
    candidate.completeness = completeness_of(candidate)
    candidate.save()


@transaction.atomic
def candidate_hired(
    *, actor, candidate: Candidate, proposal_ref: str, start_date: date | None = None
) -> Candidate:
    """A recorded hire makes the person *geplaatst*, from wherever they were in the journey
    (a hire is a fact, not a step a klantmanager chooses), dated by the start of work. Called
    by the hire services (a proposal's outcome, a job found outside the platform), which
    checked who may record it. Someone already *geplaatst* through a hire gets no second
    placement; someone *geplaatst* without a hire behind it (set by hand, or carried over
    from before transitions were kept) gets the hire's transition now, which is what the
    monitoring counts."""
    from .selectors import placed_without_hire

    again = placed_without_hire(candidate)
    if candidate.status == JourneyStatus.PLACED and not again:
        return candidate
    return journey_move(
        again=again,
        actor=actor,
        candidate=candidate,
        status=JourneyStatus.PLACED,
        cause=TransitionCause.HIRE,
        occurred_on=start_date,
        reference=proposal_ref,
        activity=ProcessingActivity.CANDIDATE_PROPOSAL,
    )
