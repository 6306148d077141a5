"""Reads of proposals: for advisers only people the adviser may see, each access logged; for
an employer the proposals for its own places that it may still see."""

from __future__ import annotations

from django.db.models import Exists, OuterRef

from perspectief.audit import access
from perspectief.audit.constants import ProcessingActivity
from perspectief.candidates.constants import ConsentScope
from perspectief.candidates.models import Candidate, CandidateOrganisation, Consent
from perspectief.core.authz import Actor
from perspectief.vacancies.models import Vacancy
from perspectief.vacancies.selectors.places import shown_people

from ..constants import ProposalStatus
from ..models import EmployerPseudonym, Proposal, ShortlistEntry


def shown_score(total: float, priority: float, *, served: bool) -> float:
    """A score as the viewer may see it: without the priority criterion's part unless the
    viewer's organisation serves the person (it would reveal a priority target group)."""
    return total if served else total - priority


def _log(actor: Actor, candidate):
    access.record_candidate(actor, candidate, ProcessingActivity.CANDIDATE_PROPOSAL)


def proposals_visible(
    *, actor: Actor, vacancy=None, candidate=None, log: bool = True
) -> tuple[list[Proposal], int]:
    """Proposals for a place (or of a person) whose person *and* place the actor may see,
    and how many others there are for that place. Each shown proposal carries
    ``shown_name`` (the name only for an organisation serving the person) and
    ``can_change`` (the proposing organisation or a serving one). ``log=False`` only where
    the caller already logged reading the person."""
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


def proposals_for_employer(employer):
    """The proposals an employer sees: for its own places, not withdrawn, of people who are
    still current (not merged or erased) and still shown on the basis they were proposed
    on: served by the proposing organisation, or with an active regional-profile consent.
    Withdrawing that consent takes the profile away from the employer on the next request."""
    served_by_proposer = CandidateOrganisation.objects.filter(
        candidate=OuterRef("candidate"), organisation=OuterRef("proposed_for"), is_active=True
    )
    regional_consent = Consent.objects.active(ConsentScope.REGIONAL_PROFILE).filter(
        candidate=OuterRef("candidate")
    )
    return (
        Proposal.objects.filter(
            vacancy__employer=employer,
            candidate__merged_into__isnull=True,
            candidate__anonymised_at__isnull=True,
        )
        .exclude(status=ProposalStatus.WITHDRAWN)
        .filter(Exists(served_by_proposer) | Exists(regional_consent))
        .select_related("vacancy__postcode")
    )


def place_marks(actor: Actor, vacancy, people) -> tuple[set[int], dict, dict]:
    """For people shown on a place: the ones the actor's organisation serves, who put them
    on the place's shortlist (organisation name) and the status of their proposal there."""
    ids = [p.pk for p in people]
    served = set(
        Candidate.objects.served_by(actor.organisation)
        .filter(pk__in=ids)
        .values_list("pk", flat=True)
    )
    listed = dict(
        ShortlistEntry.objects.filter(vacancy=vacancy).values_list(
            "candidate_id", "added_for__name"
        )
    )
    proposed = dict(
        Proposal.objects.filter(vacancy=vacancy, candidate_id__in=ids).values_list(
            "candidate_id", "status"
        )
    )
    return served, listed, proposed
