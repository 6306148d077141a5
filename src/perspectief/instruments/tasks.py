"""Background work of the instruments app."""

from celery import shared_task

from .services.applications import remind_deadlines as remind


@shared_task(name="instruments.remind_deadlines")
def remind_deadlines() -> int:
    """Daily: e-mail who acts on deadlines of instrument applications due within 14 days,
    once per deadline."""
    return remind()
