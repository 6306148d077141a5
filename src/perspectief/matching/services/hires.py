"""A hire into a job the person found outside the platform (no place, no proposal), recorded
by an organisation that serves the person. Like a hire through a proposal it makes the
person *geplaatst* (a match) and starts the support plan."""

from __future__ import annotations

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from perspectief.audit import services as audit
from perspectief.audit.constants import Operation
from perspectief.candidates.models import Candidate
from perspectief.candidates.services import journey as candidate_journey
from perspectief.core.authz import Actor, Permission
from perspectief.core.exceptions import NotFoundError, PermissionDeniedError
from perspectief.organisations.models import EmployerAccount
from perspectief.routes.services import support
from perspectief.vacancies.constants import Contract

from ..models import OutsideHire
from .proposals import log_access


@transaction.atomic
def outside_hire_record(
    *,
    actor: Actor,
    candidate: Candidate,
    employer=None,
    employer_name: str = "",
    job_title: str = "",
    contract: str = "",
    start_date=None,
    note: str = "",
) -> OutsideHire:
    """A hire into a job the person found outside the platform, recorded by an organisation
    that serves the person (no place, no proposal): the employer (its account, or its name
    when it has none here), the job, the contract and the start of work. Like a hire through
    a proposal it makes the person *geplaatst* (a match) and starts the support plan."""
    if not actor.has_perm(Permission.MANAGE_CANDIDATES):
        raise PermissionDeniedError()
    found = _served_person(actor, candidate)
    employer, employer_name, job_title = _checked(
        actor,
        employer=employer,
        employer_name=employer_name,
        job_title=job_title,
        contract=contract,
        start_date=start_date,
    )
    hire = OutsideHire.objects.create(
        candidate=found,
        employer=employer,
        employer_name=employer_name[:200],
        job_title=job_title[:200],
        contract=contract,
        start_date=start_date,
        note=(note or "").strip()[:500],
        recorded_by=actor.user,
        recorded_for=actor.organisation,
    )
    candidate_journey.candidate_hired(
        actor=actor, candidate=found, proposal_ref=str(hire.uuid), start_date=start_date
    )
    audit.record(
        "hire.outside_recorded",
        actor=actor,
        target=hire,
        changes={
            "employer": [None, employer_name],
            "contract": [None, contract],
            "start_date": [None, str(start_date)],
        },
    )
    support.plan_for_outside_hire(actor=actor, hire=hire)
    log_access(actor, found, Operation.CHANGE)
    return hire


def _served_person(actor: Actor, candidate: Candidate) -> Candidate:
    """The person, if the actor sees them and the actor's organisation serves them (only a
    serving organisation records a hire); otherwise not found."""
    found = (
        Candidate.objects.visible_to(actor)
        .filter(pk=candidate.pk)
        .filter(pk__in=Candidate.objects.served_by(actor.organisation).values("pk"))
        .first()
    )
    if found is None:
        raise NotFoundError(_("Job seeker not found."))
    return found


def _checked(
    actor: Actor, *, employer, employer_name: str, job_title: str, contract: str, start_date
) -> tuple[EmployerAccount | None, str, str]:
    """The evidence a hire carries, checked: the employer (an account the actor sees, or a
    name), the job, a known contract and a start of work within two years either way. Every
    missing or wrong part is named at once. Returns the employer, its name and the job."""
    errors = {}
    employer_name = (employer_name or "").strip()
    if employer is not None:
        employer = EmployerAccount.objects.visible_to(actor).filter(pk=employer.pk).first()
        if employer is None:
            errors["employer"] = _("Unknown employer.")
        else:
            employer_name = employer.organisation.name
    elif not employer_name:
        errors["employer"] = _("Name the employer: choose its account or give its name.")
    job_title = (job_title or "").strip()
    if not job_title:
        errors["job_title"] = _("Give the job.")
    if not contract:
        errors["contract"] = _("Choose the contract.")
    elif contract not in Contract.values:
        errors["contract"] = _("Unknown contract.")
    today = timezone.localdate()
    if start_date is None:
        errors["start_date"] = _("Give the date the person starts.")
    elif start_date < today - timedelta(days=730):
        errors["start_date"] = _("The start date lies more than two years back: check the date.")
    elif start_date > today + timedelta(days=730):
        errors["start_date"] = _("The start date lies more than two years ahead.")
    if errors:
        raise ValidationError(errors)
    return employer, employer_name, job_title
