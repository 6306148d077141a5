"""Who sees which instrument application.

``Application`` keeps the default manager (its model is shared by the parts of #17), so
the rule lives here as functions: an application is visible to whoever may record
applications and sees its hire — the person (``Candidate.objects.visible_to``) and, for a
hire through a proposal, the place (``Vacancy.objects.visible_to``), as on the person's
page. The organisation that recorded it changes it; the others read it.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from perspectief.candidates.models import Candidate
from perspectief.core.authz import Actor, Permission
from perspectief.matching.constants import ProposalStatus
from perspectief.matching.models import OutsideHire, Proposal
from perspectief.vacancies.models import Vacancy

from .models import Application


def hired_proposals_visible_to(actor: Actor) -> QuerySet[Proposal]:
    """Hires through a proposal whose person and place the actor may see."""
    if actor is None or not actor.has_perm(Permission.RECORD_APPLICATIONS):
        return Proposal.objects.none()
    return Proposal.objects.filter(
        status=ProposalStatus.HIRED,
        candidate__in=Candidate.objects.visible_to(actor),
        vacancy__in=Vacancy.objects.visible_to(actor),
    )


def outside_hires_visible_to(actor: Actor) -> QuerySet[OutsideHire]:
    """Hires outside the platform whose person the actor may see."""
    if actor is None or not actor.has_perm(Permission.RECORD_APPLICATIONS):
        return OutsideHire.objects.none()
    return OutsideHire.objects.filter(candidate__in=Candidate.objects.visible_to(actor))


def applications_visible_to(actor: Actor) -> QuerySet[Application]:
    """Applications on hires the actor may see (none without ``RECORD_APPLICATIONS``)."""
    if actor is None or not actor.has_perm(Permission.RECORD_APPLICATIONS):
        return Application.objects.none()
    return Application.objects.filter(
        Q(proposal__in=hired_proposals_visible_to(actor))
        | Q(outside_hire__in=outside_hires_visible_to(actor))
    )
