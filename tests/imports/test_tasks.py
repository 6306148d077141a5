"""The import's Celery tasks keep the names they had in ``candidates``: queued messages and
the beat schedule name a task by its string, so a task queued before the upgrade still runs."""

from django.conf import settings

from perspectief.celery import app
from perspectief.imports import tasks


def test_the_task_names_queued_before_the_move_still_run_the_import():
    app.loader.import_default_modules()
    assert app.tasks["candidates.run_import"].run is tasks.run_import.run
    assert app.tasks["candidates.watch_imports"].run is tasks.watch_imports.run
    assert app.tasks["candidates.purge_rejections"].run is tasks.purge_rejections.run
    # A task redelivered after a dead worker resumes its import (docs/import.md).
    assert app.tasks["candidates.run_import"].acks_late is True
    scheduled = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert {"candidates.watch_imports", "candidates.purge_rejections"} <= scheduled
