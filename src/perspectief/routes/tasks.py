"""Background work of routes and support at work.

Durable work is not presumed by a daily job at six months but confirmed by someone who
knows (``services.support.work_confirm``); a placement past six months without a
confirmation is *not confirmed*, which follows from its dates when it is read.

Daily, ``routes.notify_due_work`` tells the supporters of check-ins that became missed and
the region's programme managers of steps that became stuck, once each
(:mod:`perspectief.routes.services.notices`)."""

from celery import shared_task

from .services import notices


@shared_task(name="routes.notify_due_work")
def notify_due_work() -> dict:
    """Daily: e-mail about check-ins that became missed and steps that became stuck."""
    return notices.notify_due_work()
