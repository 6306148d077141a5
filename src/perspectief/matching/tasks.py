"""Background work of matching.

A matching run is shared by the workers (docs/deployment.md, "Matching runs on several
workers"): :func:`run_matching` reads the run's places and people once and queues one
:func:`run_chunk` per part of the places; the part that finishes last queues
:func:`finish_run`, which distributes over all parts and stores the run in one transaction.
Every task may be delivered twice (``acks_late``; a lost worker's task is delivered again):
each step does its work once.
"""

from celery import shared_task

from .constants import RunStatus
from .models import MatchRun
from .services.proposals import remind_and_close

#: A part that raised is tried this many times more before the run fails.
CHUNK_RETRIES = 2


@shared_task(name="matching.remind_proposals")
def remind_proposals() -> dict:
    """Daily: remind employers of unanswered proposals, close the long-unanswered ones."""
    return remind_and_close()


def _run(run_id: int) -> MatchRun:
    return MatchRun.objects.select_related("started_for", "started_by", "configuration").get(
        pk=run_id
    )


@shared_task(name="matching.fail_stale_runs")
def fail_stale_runs() -> dict:
    """Hourly: runs lost for hours fail, and the snapshots of the people they read go."""
    from .services import runs  # services/runs.py imports this module (see run_matching)

    return {"failed": runs.fail_stale()}


@shared_task(name="matching.resume_runs")
def resume_runs() -> dict:
    """Each minute: queue again the parts of runs the broker lost (Redis restarted)."""
    from .services import runs  # an import cycle, see run_matching

    return runs.resume_stalled()


@shared_task(name="matching.run_matching", acks_late=True, reject_on_worker_lost=True)
def run_matching(run_id: int) -> dict:
    """Start a region's run (see :mod:`perspectief.matching.services.runs`): read once, then
    queue its parts."""
    # services/runs.py queues this task (it imports this module), so the run's services are
    # imported when the task runs: a top-level import would be an import cycle.
    from .services import run_chunks, runs

    run = _run(run_id)
    try:
        chunk_ids = runs.start(run, actor=runs.run_actor(run))
    except runs.RunAlreadyStarted:
        # Delivered again: queue the parts not done that no worker ranks now (a part ranked
        # twice stores it once; a part a worker ranks now is skipped, not an attempt).
        chunk_ids = run_chunks.unclaimed(run) if run.status == RunStatus.RUNNING else []
    except BaseException:
        runs.fail(run)
        raise
    for chunk_id in chunk_ids:
        run_chunk.delay(chunk_id)
    run.refresh_from_db()
    if run.status == RunStatus.RUNNING and not run_chunks.unfinished(run):
        finish_run.delay(run_id)  # nothing to rank (no places or no people)
    return {"run": str(run.uuid), "status": run.status, "parts": len(chunk_ids)}


@shared_task(
    name="matching.run_chunk",
    bind=True,
    acks_late=True,
    reject_on_worker_lost=True,
    max_retries=CHUNK_RETRIES,
)
def run_chunk(self, chunk_id: int) -> dict:
    """Rank one part of a run's places; the last part to finish queues the finishing step.
    A part that keeps failing fails the run ("the matching run stopped")."""
    from .services import run_chunks  # an import cycle, see run_matching

    try:
        last = run_chunks.rank_chunk(chunk_id, worker=self.request.hostname or "")
    except run_chunks.ChunkFailed:
        _fail_run_of(chunk_id)
        raise
    except Exception as exc:
        if not self.request.is_eager and self.request.retries < CHUNK_RETRIES:
            raise self.retry(exc=exc, countdown=1) from exc
        _fail_run_of(chunk_id)
        raise
    if last:
        run_id = run_chunks.run_of(chunk_id)
        if run_id is not None:
            finish_run.delay(run_id)
    return {"part": chunk_id, "last": last}


def _fail_run_of(chunk_id: int) -> None:
    from .services import run_chunks, runs  # an import cycle, see run_matching

    run_id = run_chunks.run_of(chunk_id)
    if run_id is not None:
        runs.fail(_run(run_id))


@shared_task(name="matching.finish_run", acks_late=True, reject_on_worker_lost=True)
def finish_run(run_id: int) -> dict:
    """Distribute over every part and store the run, all or nothing."""
    from .services import runs  # an import cycle, see run_matching

    run = _run(run_id)
    try:
        runs.finish(run, actor=runs.run_actor(run))
    except BaseException:
        runs.fail(run)
        raise
    run.refresh_from_db()
    return {"run": str(run.uuid), "status": run.status, "suggestions": run.suggestions_count}
