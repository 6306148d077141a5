"""The Celery application. Tasks take ids, are enqueued on commit and call a service.

Run a worker with ``DJANGO_SETTINGS_MODULE=perspectief.conf.production celery -A
perspectief.celery worker``; the embedded default runs tasks eagerly in-process.
"""

from logging.config import dictConfig
from typing import Any

from celery import Celery
from celery.signals import setup_logging
from django.conf import settings

app = Celery("perspectief")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@setup_logging.connect
def use_the_platform_logging(**kwargs: Any) -> None:
    """Workers log through the platform's ``LOGGING`` (one JSON object per line in
    production) instead of Celery's own handlers and format: Celery leaves logging alone
    when this signal has a receiver."""
    dictConfig(settings.LOGGING)
