"""The Celery application. Tasks take ids, are enqueued on commit and call a service.

Run a worker with ``DJANGO_SETTINGS_MODULE=perspectief.conf.production celery -A
perspectief.celery worker``; the embedded default runs tasks eagerly in-process.
"""

from celery import Celery, signals

app = Celery("perspectief")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

_scopes: dict[str, object] = {}


@signals.task_prerun.connect
def _open_access_scope(task_id=None, task=None, **kwargs):
    """Each task logs its processings of personal data in its own access-log scope."""
    from perspectief.audit import access

    scope = access.scope(request=f"task {task.name}")
    scope.__enter__()
    _scopes[task_id] = scope


@signals.task_postrun.connect
def _close_access_scope(task_id=None, state=None, **kwargs):
    scope = _scopes.pop(task_id, None)
    if scope is None:
        return
    if state == "SUCCESS":
        scope.__exit__(None, None, None)
    else:
        failure = RuntimeError(f"task ended in state {state}")
        try:
            scope.__exit__(RuntimeError, failure, None)
        except RuntimeError:
            pass
