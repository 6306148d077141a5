"""Who sees which instrument application.

``Application`` keeps the default manager (its model is shared by the parts of #17), so
the rule lives here as functions: an application is visible to whoever may record
applications and sees its hire — the person (``Candidate.objects.visible_to``) and, for a
hire through a proposal, the place (``Vacancy.objects.visible_to``), as on the person's
page. The organisation that recorded it changes it; the others read it.
"""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet

from perspectief.candidates.models import Candidate
from perspectief.core.authz import Actor, Permission
from perspectief.matching.constants import ProposalStatus
from perspectief.matching.models import OutsideHire, Proposal
from perspectief.vacancies.models import Vacancy

from .models import Application


def _seen(queryset: QuerySet, field: str) -> Exists:
    """The row's ``field`` (a foreign key) is in ``queryset``: asked row by row (EXISTS), so
    that the hires or applications of one person cost what that person has, not a list of
    every person or place the actor sees (an ``IN`` of those is built whole first)."""
    return Exists(queryset.filter(pk=OuterRef(field)))


def hired_proposals_visible_to(actor: Actor) -> QuerySet[Proposal]:
    """Hires through a proposal whose person and place the actor may see."""
    if actor is None or not actor.has_perm(Permission.RECORD_APPLICATIONS):
        return Proposal.objects.none()
    return Proposal.objects.filter(
        _seen(Candidate.objects.visible_to(actor), "candidate_id"),
        _seen(Vacancy.objects.visible_to(actor), "vacancy_id"),
        status=ProposalStatus.HIRED,
    )


def outside_hires_visible_to(actor: Actor) -> QuerySet[OutsideHire]:
    """Hires outside the platform whose person the actor may see."""
    if actor is None or not actor.has_perm(Permission.RECORD_APPLICATIONS):
        return OutsideHire.objects.none()
    return OutsideHire.objects.filter(_seen(Candidate.objects.visible_to(actor), "candidate_id"))


def applications_visible_to(actor: Actor) -> QuerySet[Application]:
    """Applications on hires the actor may see (none without ``RECORD_APPLICATIONS``)."""
    if actor is None or not actor.has_perm(Permission.RECORD_APPLICATIONS):
        return Application.objects.none()
    return Application.objects.filter(
        Q(_seen(hired_proposals_visible_to(actor), "proposal_id"))
        | Q(_seen(outside_hires_visible_to(actor), "outside_hire_id"))
    )
