"""Possible duplicates and merges an organisation may decide on or undo: only records it
serves both of (see ``services/duplicates.py`` for why)."""

from __future__ import annotations

from perspectief.core.authz import Actor, Permission

from ..constants import DuplicateStatus
from ..models import Candidate, CandidateMerge, DuplicatePair


def pairs_for(actor: Actor):
    """Open pairs of records the actor's organisation serves both of."""
    if not actor.has_perm(Permission.MANAGE_CANDIDATES):
        return DuplicatePair.objects.none()
    served = Candidate.objects.served_by(actor.organisation).values("pk")
    return (
        DuplicatePair.objects.filter(status=DuplicateStatus.OPEN)
        .filter(first__in=served, second__in=served)
        .filter(first__merged_into__isnull=True, second__merged_into__isnull=True)
        .filter(first__anonymised_at__isnull=True, second__anonymised_at__isnull=True)
        .select_related("first__postcode", "second__postcode")
    )


def merges_for(actor: Actor):
    """Merges not undone whose surviving record the actor's organisation serves."""
    served = Candidate.objects.served_by(actor.organisation).values("pk")
    return CandidateMerge.objects.filter(undone_at__isnull=True, survivor__in=served)
