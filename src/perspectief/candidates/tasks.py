"""Background work for job seekers. Tasks take ids and call the import service."""

from celery import shared_task

from perspectief.accounts.constants import Permission
from perspectief.organisations.models import Organisation


@shared_task(name="candidates.run_import", acks_late=True)
def run_import(job_id: int) -> dict:
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
    try:
        importing.run(job, actor=actor)
    except (ImportFileError, importing.ImportAlreadyRun):
        pass  # recorded on the job / a redelivered task: the job ran already
    job.refresh_from_db()
    return importing.report(job)


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
