"""The Celery application. Tasks take ids, are enqueued on commit and call a service.

Run a worker with ``DJANGO_SETTINGS_MODULE=perspectief.conf.production celery -A
perspectief.celery worker``; the embedded default runs tasks eagerly in-process.
"""

from celery import Celery

app = Celery("perspectief")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
