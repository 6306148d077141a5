"""Each Celery task logs its processings of personal data in its own access-log scope,
written when the task ends, also when it fails."""

from celery import signals

from . import access

_scopes: dict[str, object] = {}


@signals.task_prerun.connect
def open_access_scope(task_id=None, task=None, **kwargs):
    scope = access.scope(request=f"task {task.name}")
    scope.__enter__()
    _scopes[task_id] = scope


@signals.task_postrun.connect
def close_access_scope(task_id=None, state=None, **kwargs):
    scope = _scopes.pop(task_id, None)
    if scope is None:
        return
    if state == "SUCCESS":
        scope.__exit__(None, None, None)
        return
    failure = RuntimeError(f"task ended in state {state}")
    try:
        scope.__exit__(RuntimeError, failure, None)
    except RuntimeError:
        pass
