"""A run lost for hours (a worker stopped, the broker lost its tasks) fails within the hour
and the people it read go with it — also in a region where nobody starts a new run."""

from datetime import timedelta

import pytest
from django.utils import timezone

from perspectief.matching.models import MatchRun, MatchRunChunk, MatchRunSnapshot
from perspectief.matching.services.runs import STALE_AFTER
from perspectief.matching.tasks import fail_stale_runs
from tests.factories import OrganisationFactory


def _run(world, *, hours_ago: float, status: str = "running") -> MatchRun:
    run = MatchRun.objects.create(
        region=world.am18,
        started_for=OrganisationFactory(kind="uwv", municipality=world.amsterdam),
        status=status,
    )
    MatchRun.objects.filter(pk=run.pk).update(
        created_at=timezone.now() - timedelta(hours=hours_ago)
    )
    MatchRunSnapshot.objects.create(run=run, people=[[1, {"id": "x"}]])
    MatchRunChunk.objects.create(run=run, number=0, places=[[1, {"places": 1}]])
    return run


@pytest.mark.django_db
def test_a_lost_run_fails_and_its_snapshot_goes_while_a_busy_one_stays(world):
    lost = _run(world, hours_ago=STALE_AFTER.total_seconds() / 3600 + 1)
    waiting = _run(world, hours_ago=STALE_AFTER.total_seconds() / 3600 + 1, status="pending")
    busy = _run(world, hours_ago=0.5)
    assert fail_stale_runs() == {"failed": 2}
    for run in (lost, waiting):
        run.refresh_from_db()
        assert run.status == "failed" and run.error
        assert not MatchRunSnapshot.objects.filter(run=run).exists()
        assert MatchRunChunk.objects.get(run=run).places == []
    busy.refresh_from_db()
    assert busy.status == "running"
    assert MatchRunSnapshot.objects.filter(run=busy).exists()
    assert fail_stale_runs() == {"failed": 0}
