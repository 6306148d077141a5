"""The fairness check of a matching run: while the run ranks the places it notes each
person's best score and best rank (the report compares people with similar scores); when
it is done it computes the fairness report for the run, keeps which groups were seen more
or less often than others with similar scores, and tells the region's programme managers
once — one item in their inbox for the run (``matching.inbox.fairness``)."""

from __future__ import annotations

from django.urls import reverse

from perspectief.accounts.models import Membership
from perspectief.core.authz import Role
from perspectief.notifications.constants import Kind
from perspectief.notifications.services import notify

from ..models import MatchRun, RunScore
from ..selectors import fairness


class BestScores:
    """Each person's best score and best rank over the places of a run, as they are ranked
    (only the first :data:`~..selectors.fairness.RANKED` of each place count)."""

    def __init__(self) -> None:
        self.best: dict[str, tuple[float, int]] = {}

    def add(self, ranking: list[tuple[str, float]]) -> None:
        """A place's ranking: (the engine's id, score) of each person, best first."""
        for rank, (pid, found) in enumerate(ranking[: fairness.RANKED], start=1):
            score, best_rank = self.best.get(pid, (0.0, rank))
            self.best[pid] = (max(score, found), min(best_rank, rank))

    def rows(self, run: MatchRun, people: dict) -> list[RunScore]:
        """The rows to store; ``people`` maps the engine's ids to the job seekers."""
        return [
            RunScore(run=run, candidate=people[pid], score=round(score, 6), best_rank=rank)
            for pid, (score, rank) in self.best.items()
        ]


def run_checked(run: MatchRun) -> list[dict]:
    """The fairness report of a finished run: keep the groups flagged at similar scores on
    the run, and tell the region's programme managers once. Inside the run's transaction."""
    result = fairness.report(run.region, run=run)
    run.fairness_flags = result.flags
    run.save(update_fields=["fairness_flags", "updated_at"])
    if run.fairness_flags:
        managers = Membership.objects.active().filter(
            role=Role.PROGRAMME_MANAGER,
            organisation__region_id=run.region_id,
            user__is_active=True,
        )
        notify(
            kind=Kind.FAIRNESS,
            memberships=managers.select_related("user", "organisation"),
            url=reverse("matching:fairness"),
        )
    return run.fairness_flags
