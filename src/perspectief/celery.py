"""The Celery application. Tasks take ids, are enqueued on commit and call a service.

Run a worker with ``DJANGO_SETTINGS_MODULE=perspectief.conf.production celery -A
perspectief.celery worker``; the embedded default runs tasks eagerly in-process.
"""

from logging.config import dictConfig
from typing import Any

from celery import Celery
from celery.signals import setup_logging, worker_ready
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from prometheus_client import CollectorRegistry, start_http_server
from prometheus_client.multiprocess import MultiProcessCollector

from perspectief.core.metrics import multiprocess_dir

app = Celery("perspectief")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@setup_logging.connect
def use_the_platform_logging(**kwargs: Any) -> None:
    """Workers log through the platform's ``LOGGING`` (one JSON object per line in
    production) instead of Celery's own handlers and format: Celery leaves logging alone
    when this signal has a receiver."""
    dictConfig(settings.LOGGING)


@worker_ready.connect
def serve_task_metrics(**kwargs: Any) -> None:
    """With ``PERSPECTIEF_WORKER_METRICS_ADDRESS`` (host:port), the worker serves its task
    metrics for Prometheus. Its pool's processes write them to ``PROMETHEUS_MULTIPROC_DIR``
    (required then), which this server adds up (docs/deployment.md, "Metrics")."""
    address = settings.WORKER_METRICS_ADDRESS
    if not address:
        return
    if not multiprocess_dir():
        raise ImproperlyConfigured(
            "PERSPECTIEF_WORKER_METRICS_ADDRESS needs PROMETHEUS_MULTIPROC_DIR: the pool's "
            "processes write their metrics there (docs/deployment.md, 'Metrics')."
        )
    host, _, port = address.rpartition(":")
    registry = CollectorRegistry()
    MultiProcessCollector(registry)
    start_http_server(int(port), addr=host or "127.0.0.1", registry=registry)
