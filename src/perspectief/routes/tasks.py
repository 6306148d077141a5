"""Background work of routes and support at work."""

from celery import shared_task


@shared_task(name="routes.mark_durable")
def mark_durable() -> dict:
    """Daily: placements six months in work become durable."""
    from .support import mark_durable as mark

    return {"durable": mark()}
