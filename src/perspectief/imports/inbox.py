"""What waits in the inbox ("Mijn werkvoorraad") from imports: the outcome of an import the
person started (finished or failed), until they open its page. Built from the same rule as
that page: the organisation's imports of a kind whose permission the actor holds."""

from __future__ import annotations

from django.utils.translation import gettext as _

from perspectief.core.authz import Actor
from perspectief.notifications.constants import Kind
from perspectief.notifications.inbox import SOURCES, InboxItem

from . import kinds
from .constants import ImportStatus
from .models import ImportJob
from .runner import ENDED, job_url

#: At most this many unseen outcomes are shown (the newest).
SHOWN = 20


def finished_imports(actor: Actor) -> list[InboxItem]:
    allowed = [name for name in kinds.names() if actor.has_perm(kinds.get(name).pages.permission)]
    if not allowed or getattr(actor, "membership", None) is None:
        return []
    jobs = (
        ImportJob.objects.filter(
            organisation=actor.organisation,
            kind__in=allowed,
            started_by_id=actor.user.pk,
            status__in=ENDED,
            seen_at__isnull=True,
        )
        .defer("upload_encrypted")
        .order_by("-finished_at", "-id")[:SHOWN]
    )
    items = []
    for job in jobs:
        failed = job.status == ImportStatus.FAILED
        items.append(
            InboxItem(
                kind=Kind.IMPORT_DONE,
                title=(_("Import failed: %(file)s") if failed else _("Import finished: %(file)s"))
                % {"file": job.filename},
                url=job_url(job),
                detail=_("%(created)d new, %(updated)d updated, %(rejected)d rejected")
                % {"created": job.created, "updated": job.updated, "rejected": job.rejected}
                if not failed
                else job.error_text,
                key=f"import:{job.uuid}",
            )
        )
    return items


def register() -> None:
    SOURCES.register("imports.finished", finished_imports, order=90)
