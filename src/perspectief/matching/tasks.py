"""Background work of matching."""

from celery import shared_task


@shared_task(name="matching.remind_proposals")
def remind_proposals() -> dict:
    """Daily: remind employers of unanswered proposals, close the long-unanswered ones."""
    from .services import remind_and_close

    return remind_and_close()
