"""Reads of proposals for advisers: only people the adviser may see, each access logged."""

from __future__ import annotations

from perspectief.audit import access
from perspectief.audit.constants import Operation, ProcessingActivity, SubjectType
from perspectief.candidates.models import Candidate

from .models import Proposal


def _log(actor, candidate):
    access.record(
        actor=actor,
        activity=ProcessingActivity.CANDIDATE_PROPOSAL,
        subject_type=SubjectType.CANDIDATE,
        subject_id=candidate.uuid,
        operation=Operation.READ,
    )


def proposals_visible(*, actor, vacancy=None, candidate=None) -> tuple[list[Proposal], int]:
    """Proposals for a place (or of a person) whose person the actor may see, and how many
    others there are."""
    qs = Proposal.objects.select_related(
        "candidate", "vacancy__employer__organisation", "proposed_for"
    )
    if vacancy is not None:
        qs = qs.filter(vacancy=vacancy)
    if candidate is not None:
        qs = qs.filter(candidate=candidate)
    rows = list(qs)
    visible = set(
        Candidate.objects.visible_to(actor)
        .filter(pk__in=[p.candidate_id for p in rows])
        .values_list("pk", flat=True)
    )
    shown = [p for p in rows if p.candidate_id in visible]
    for proposal in shown:
        if candidate is None:  # the person's own page already logged the read
            _log(actor, proposal.candidate)
    return shown, len(rows) - len(shown)
