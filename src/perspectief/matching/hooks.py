"""What matching adds to the processes of lower apps (registered in ``MatchingConfig.ready()``).

A place's fill and intake plan count the hires recorded against it; hires are proposals with
the outcome "hired", which this app keeps (``vacancies.hooks.PLACE_HIRES``).
"""

from perspectief.vacancies.hooks import PLACE_HIRES, Hire

from .constants import ProposalStatus
from .models import Proposal


def place_hires(vacancy) -> list[Hire]:
    """The proposals for the place that ended in a hire."""
    rows = Proposal.objects.filter(vacancy=vacancy, status=ProposalStatus.HIRED).values_list(
        "candidate_id", "start_date", "outcome_at"
    )
    return [Hire(candidate_id, start, recorded) for candidate_id, start, recorded in rows]


def register() -> None:
    PLACE_HIRES.register("matching.proposals", place_hires)
