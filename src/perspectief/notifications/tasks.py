"""The mail's background work: each message in its own task, retried with a growing
pause while the mail server is away; a sweep that re-queues what waits; the daily
overview."""

from __future__ import annotations

from celery import shared_task

#: Pauses between attempts (seconds): 1 min, 5 min, 15 min, 1 h, 4 h.
BACKOFF = (60, 300, 900, 3600, 14400)


@shared_task(bind=True, name="notifications.deliver", max_retries=len(BACKOFF))
def deliver_message(self, message_id: int) -> bool:
    # Imported here: the services queue this task, so they import this module.
    from .services import deliver

    delivered = deliver(message_id)
    if not delivered and not self.request.is_eager and self.request.retries < len(BACKOFF):
        # The message stays queued; the sweep (retry_waiting) catches it too if the broker
        # loses this retry.
        raise self.retry(countdown=BACKOFF[self.request.retries])
    return delivered


@shared_task(name="notifications.retry_waiting")
def retry_waiting() -> int:
    """Every ten minutes: queue again messages whose attempt failed or whose task was lost."""
    from .services import retry_waiting as sweep  # see deliver_message

    return sweep()


@shared_task(name="notifications.send_digests")
def send_digests() -> int:
    """Daily: one overview per person of what was held for it."""
    from .services import send_digests as digests  # see deliver_message

    return digests()
