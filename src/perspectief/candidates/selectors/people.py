"""Reads of one job seeker: who may see the person and how much (the access level), every
read logged with its purpose; and the small facts other apps ask about a person."""

from __future__ import annotations

from datetime import date, timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from perspectief.audit import access
from perspectief.audit.constants import Operation, ProcessingActivity
from perspectief.core.authz import Actor, Permission, Role
from perspectief.core.exceptions import NotFoundError
from perspectief.taxonomy.constants import SBI_SECTIONS
from perspectief.taxonomy.models import Sector

from ..constants import LOOKING_FOR_WORK, JourneyStatus, TransitionCause
from ..models import Candidate

FULL = "full"
PARTNER = "partner"
SELF = "self"


def reconfirm_days() -> int:
    return settings.CANDIDATE_RECONFIRM_DAYS


def access_level(actor: Actor, candidate: Candidate) -> str:
    """Full for the organisations that serve the person; the partner view for others who
    see the person through consent; the person's own view."""
    if actor.role == Role.CANDIDATE:
        return SELF
    served = getattr(candidate, "_served_ids", None)
    if served is None:
        served = set(
            candidate.servings.filter(is_active=True).values_list("organisation_id", flat=True)
        )
    return FULL if actor.organisation.pk in served else PARTNER


def activity_for(level: str) -> str:
    return {
        FULL: ProcessingActivity.CANDIDATE_SERVICE,
        PARTNER: ProcessingActivity.CANDIDATE_PARTNER_VIEW,
        SELF: ProcessingActivity.CANDIDATE_SELF,
    }[level]


def log_read(
    actor: Actor, candidate: Candidate, level: str, operation: str = Operation.READ
) -> None:
    access.record_candidate(actor, candidate, activity_for(level), operation)


def candidate_get_for_actor(*, actor: Actor, uuid) -> tuple[Candidate, str]:
    """One job seeker and the access level; absent and not visible answer the same."""
    if actor.role != Role.FUNCTIONAL_ADMIN:
        candidate = (
            Candidate.objects.visible_to(actor)
            .select_related("postcode__municipality", "region", "education_level", "klantmanager")
            .filter(uuid=uuid)
            .first()
        )
    else:
        candidate = None  # administrators find people only for the access log
    if candidate is None:
        raise NotFoundError(_("Job seeker not found."))
    level = access_level(actor, candidate)
    log_read(actor, candidate, level)
    return candidate, level


def needs_reconfirmation(candidate: Candidate) -> bool:
    confirmed = candidate.availability_confirmed_at
    return confirmed is None or confirmed < timezone.now() - timedelta(days=reconfirm_days())


def reconfirmation_due(candidate: Candidate) -> bool:
    """Whether the 90-day cycle asks the person now: still looking for work, and their
    availability not confirmed within the period (``CandidateQuerySet.reconfirmation_due``)."""
    return candidate.status in LOOKING_FOR_WORK and needs_reconfirmation(candidate)


def age(candidate: Candidate, today: date | None = None) -> int | None:
    if candidate.date_of_birth is None:
        return None
    today = today or timezone.localdate()
    born = candidate.date_of_birth
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


def may_change(actor: Actor, *, made_by_id: int, candidate_id: int) -> bool:
    """Whether the actor's organisation may change a record it or another organisation made
    about a person (a proposal, a cohort place): the organisation that made it, or one
    that serves the person."""
    if made_by_id == actor.organisation.pk:
        return True
    return Candidate.objects.served_by(actor.organisation).filter(pk=candidate_id).exists()


def placed_without_hire(candidate: Candidate) -> bool:
    """*Geplaatst* with no recorded hire behind it (set by hand before that was refused, or
    carried over from before transitions were kept): not counted as a match until the hire
    is recorded."""
    if candidate.status != JourneyStatus.PLACED:
        return False
    last = (
        candidate.journey.filter(to_status=JourneyStatus.PLACED)
        .order_by("-occurred_on", "-id")
        .first()
    )
    return last is None or last.cause != TransitionCause.HIRE


def is_own(actor: Actor, candidate: Candidate) -> bool:
    """Whether the actor is the person themself (signed in to their own account)."""
    return candidate.user_id is not None and candidate.user_id == actor.user.pk


def serves(actor: Actor, candidate: Candidate) -> bool:
    """Whether the actor's organisation serves the person (an active serving)."""
    return Candidate.objects.served_by(actor.organisation).filter(pk=candidate.pk).exists()


def own_or_served(actor: Actor, candidate: Candidate) -> bool:
    """The person themself, or a klantmanager of an organisation that serves them; anyone
    else is told the person is not found. True when it is the person themself."""
    own = is_own(actor, candidate)
    if not (own or (actor.has_perm(Permission.MANAGE_CANDIDATES) and serves(actor, candidate))):
        raise NotFoundError(_("Job seeker not found."))
    return own


def sector_labels(codes=SBI_SECTIONS) -> dict[str, str]:
    """SBI sections as a person reads them ("G — Handel"), in the order of ``codes``; a
    section whose name is not loaded is shown as its letter."""
    names = {s.code: s.short_name or s.name for s in Sector.objects.all()}
    return {code: f"{code} — {names[code]}" if code in names else code for code in codes}
