"""Background work of vacancies."""

from celery import shared_task

from .services.requests import notify_overdue


@shared_task(name="vacancies.overdue_requests")
def overdue_requests() -> int:
    """Daily: tell the WSP once about each employer's request that fell due without a first
    contact (``services.requests.notify_overdue``); returns how many were told."""
    return notify_overdue()
