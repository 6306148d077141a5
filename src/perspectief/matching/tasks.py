"""Background work of matching."""

from celery import shared_task


@shared_task(name="matching.remind_proposals")
def remind_proposals() -> dict:
    """Daily: remind employers of unanswered proposals, close the long-unanswered ones."""
    from .services import remind_and_close

    return remind_and_close()


@shared_task(name="matching.run_matching", acks_late=True)
def run_matching(run_id: int) -> dict:
    """A region's batch run (see :mod:`perspectief.matching.batch`)."""
    from . import batch
    from .models import MatchRun

    run = MatchRun.objects.select_related("started_for", "started_by").get(pk=run_id)
    try:
        batch.execute(run, actor=batch.run_actor(run))
    except batch.RunAlreadyStarted:
        pass  # a redelivered task: the run is under way or finished
    run.refresh_from_db()
    return {"run": str(run.uuid), "status": run.status, "suggestions": run.suggestions_count}
