"""Background work of the support team's questionnaires."""

from celery import shared_task

from .services.reminders import remind_questionnaires as remind


@shared_task(name="support.remind_questionnaires")
def remind_questionnaires() -> int:
    """Daily: remind the regions that have not submitted the progress questionnaire, a week
    before its deadline and once it is overdue — each reminder once per region."""
    return remind()
