"""Background work of monitoring."""

from celery import shared_task

from .services.borging import check_borging as check


@shared_task(name="monitoring.check_borging")
def check_borging() -> int:
    """Daily: ask the region's programme managers, once per item, whether what should last
    after an ended plan was arranged."""
    return check()
