"""Background work for job seekers. Tasks take ids and call the import service."""

import logging

from celery import shared_task

from perspectief.core.authz import Permission
from perspectief.organisations.models import Organisation

logger = logging.getLogger(__name__)


@shared_task(name="candidates.run_import", acks_late=True)
def run_import(job_id: int) -> dict:
    """Run an import, or resume it. Tasks are acknowledged late, so the task of a worker
    that died is delivered again: that resumes the job after its last committed batch. A
    task delivered again for a job another worker is running, or one that is finished,
    changes nothing; the report says which (``redelivered``) and the log records it."""
    from . import importing
    from .models import ImportJob
    from .tables import ImportFileError

    job = ImportJob.objects.select_related("organisation", "started_by", "mapping").get(pk=job_id)
    actor = import_actor(
        job.organisation,
        job.started_by,
        channel=job.channel,
        permissions=importing.IMPORTS[job.kind].permissions,
    )
    redelivered = None
    try:
        importing.run(job, actor=actor)
    except ImportFileError:
        pass  # recorded on the job: the file cannot be imported
    except importing.ImportStillRunning:
        redelivered = "running"
        logger.warning("import %s: task delivered again, still running elsewhere", job.uuid)
    except importing.ImportAlreadyRun:
        redelivered = "finished"
        logger.info("import %s: task delivered again, the import is finished", job.uuid)
    except importing.ImportLeaseLost:
        redelivered = "taken over"
        logger.warning("import %s: this worker lost its lease and stopped", job.uuid)
    job.refresh_from_db()
    return {**importing.report(job), "redelivered": redelivered}


@shared_task(name="candidates.watch_imports")
def watch_imports() -> dict:
    """Every five minutes: imports whose worker died are marked interrupted, and uploads
    older than a day are dropped whatever their state (docs/import.md)."""
    from .importing import watch

    return watch()


def import_actor(organisation: Organisation, user, *, channel: str, permissions=None):
    """The import runs on behalf of the organisation, attributed to who started it."""
    from perspectief.accounts.actor import SystemActor

    return SystemActor(
        organisation=organisation,
        permissions=frozenset(permissions or {Permission.MANAGE_CANDIDATES}),
        user=user,
        channel=channel,
    )


@shared_task(name="candidates.purge_rejections")
def purge_rejections() -> dict:
    """Daily: delete imports' rejected rows kept longer than IMPORT_REJECTIONS_DAYS."""
    from .importing import purge_rejections as purge

    return {"deleted": purge()}
