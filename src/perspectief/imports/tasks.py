"""Background work of imports. Tasks take ids and call the runner and the services.

The task names keep the ``candidates.`` prefix they had when the import lived in that app:
a name is what a queued message and the beat schedule (``CELERY_BEAT_SCHEDULE``) carry, so
tasks queued before an upgrade still find their function. Celery stores no other reference
to them (no result backend, no database scheduler)."""

from __future__ import annotations

import logging
from typing import Any

from celery import shared_task

from perspectief.accounts.actor import SystemActor
from perspectief.core.authz import Permission
from perspectief.core.tabular import TableError
from perspectief.organisations.models import Organisation

from . import kinds, runner
from .models import ImportJob
from .selectors import report

logger = logging.getLogger(__name__)


def import_actor(
    organisation: Organisation,
    user: Any,
    *,
    channel: str,
    permissions: frozenset[str] | None = None,
) -> SystemActor:
    """The import runs on behalf of the organisation, attributed to who started it."""
    return SystemActor(
        organisation=organisation,
        permissions=frozenset(permissions or {Permission.MANAGE_CANDIDATES}),
        user=user,
        channel=channel,
    )


@shared_task(name="candidates.run_import", acks_late=True)
def run_import(job_id: int) -> dict[str, Any]:
    """Run an import, or resume it. Tasks are acknowledged late, so the task of a worker
    that died is delivered again: that resumes the job after its last committed batch. A
    task delivered again for a job another worker is running, or one that is finished,
    changes nothing; the report says which (``redelivered``) and the log records it."""
    job = ImportJob.objects.select_related("organisation", "started_by", "mapping").get(pk=job_id)
    actor = import_actor(
        job.organisation,
        job.started_by,
        channel=job.channel,
        permissions=kinds.get(job.kind).permissions,
    )
    redelivered = None
    try:
        runner.run(job, actor=actor)
    except TableError:
        pass  # recorded on the job: the file cannot be imported
    except runner.ImportStillRunning:
        redelivered = "running"
        logger.warning("import %s: task delivered again, still running elsewhere", job.uuid)
    except runner.ImportAlreadyRun:
        redelivered = "finished"
        logger.info("import %s: task delivered again, the import is finished", job.uuid)
    except runner.ImportLeaseLost:
        redelivered = "taken over"
        logger.warning("import %s: this worker lost its lease and stopped", job.uuid)
    job.refresh_from_db()
    return {**report(job), "redelivered": redelivered}


@shared_task(name="candidates.watch_imports")
def watch_imports() -> dict[str, int]:
    """Every five minutes: imports whose worker died are marked interrupted, and uploads
    older than a day are dropped whatever their state (docs/import.md)."""
    # Imported when the task runs: the services enqueue run_import from this module.
    from .services import watch

    return watch()


@shared_task(name="candidates.purge_rejections")
def purge_rejections() -> dict[str, int]:
    """Daily: delete imports' rejected rows kept longer than IMPORT_REJECTIONS_DAYS."""
    # Imported when the task runs: the services enqueue run_import from this module.
    from .services import purge_rejections as purge

    return {"deleted": purge()}
