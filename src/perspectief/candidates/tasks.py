"""Background work of job seekers."""

from __future__ import annotations

from celery import shared_task

from .services import reconfirmation


@shared_task(name="candidates.ask_reconfirmation")
def ask_reconfirmation() -> int:
    """Daily: e-mail people with their own account whose availability is to be reconfirmed
    (once per 90-day cycle)."""
    return reconfirmation.ask_reconfirmation()
