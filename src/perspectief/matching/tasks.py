"""Background work of matching."""

from celery import shared_task

from .models import MatchRun
from .services.proposals import remind_and_close


@shared_task(name="matching.remind_proposals")
def remind_proposals() -> dict:
    """Daily: remind employers of unanswered proposals, close the long-unanswered ones."""
    return remind_and_close()


@shared_task(name="matching.run_matching", acks_late=True)
def run_matching(run_id: int) -> dict:
    """A region's batch run (see :mod:`perspectief.matching.services.runs`)."""
    # services/runs.py queues this task (it imports this module), so the run's services are
    # imported when the task runs: a top-level import would be an import cycle.
    from .services import runs

    run = MatchRun.objects.select_related("started_for", "started_by").get(pk=run_id)
    try:
        runs.execute(run, actor=runs.run_actor(run))
    except runs.RunAlreadyStarted:
        pass  # a redelivered task: the run is under way or finished
    run.refresh_from_db()
    return {"run": str(run.uuid), "status": run.status, "suggestions": run.suggestions_count}
