"""Reads of proposals for advisers: only people the adviser may see, each access logged."""

from __future__ import annotations

from perspectief.audit import access
from perspectief.audit.constants import ProcessingActivity

from .models import EmployerPseudonym, Proposal


def shown_score(total: float, priority: float, *, served: bool) -> float:
    """A score as the viewer may see it: without the priority criterion's part unless the
    viewer's organisation serves the person (it would reveal a priority target group)."""
    return total if served else total - priority


def _log(actor, candidate):
    access.record_candidate(actor, candidate, ProcessingActivity.CANDIDATE_PROPOSAL)


def proposals_visible(
    *, actor, vacancy=None, candidate=None, log: bool = True
) -> tuple[list[Proposal], int]:
    """Proposals for a place (or of a person) whose person *and* place the actor may see,
    and how many others there are for that place. Each shown proposal carries
    ``shown_name`` (the name only for an organisation serving the person) and
    ``can_change`` (the proposing organisation or a serving one). ``log=False`` only where
    the caller already logged reading the person."""
    from perspectief.vacancies.models import Vacancy
    from perspectief.vacancies.selectors.places import shown_people

    qs = Proposal.objects.select_related(
        "candidate", "vacancy__employer__organisation", "proposed_for"
    ).filter(vacancy__in=Vacancy.objects.visible_to(actor))
    if vacancy is not None:
        qs = qs.filter(vacancy=vacancy)
    if candidate is not None:
        qs = qs.filter(candidate=candidate)
    rows = list(qs)
    shown = shown_people(actor, rows)
    # The code each employer knows the person by, so the WSP can look up "K-…" on a call.
    codes = {
        (p.employer_id, p.candidate_id): p.code
        for p in EmployerPseudonym.objects.filter(
            candidate_id__in={r.candidate_id for r in shown},
            employer_id__in={r.vacancy.employer_id for r in shown},
        )
    }
    for proposal in shown:
        proposal.employer_code = codes.get((proposal.vacancy.employer_id, proposal.candidate_id))
        proposal.can_change = proposal.served or proposal.proposed_for_id == actor.organisation.pk
        if log:
            _log(actor, proposal.candidate)
    return shown, len(rows) - len(shown)
