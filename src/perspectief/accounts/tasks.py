"""Background work of accounts: invitations are kept for a while after their link stopped
working, then deleted (daily; the beat schedule names the task)."""

from __future__ import annotations

from celery import shared_task


@shared_task(name="accounts.purge_invitations")
def purge_invitations() -> int:
    # Imported here: a task module is loaded by workers before the app registry is ready.
    from .services.invitations import invitations_purge

    return invitations_purge()
