"""/health says the process answers; /ready whether to send it traffic: the database
(reachable, every migration applied), the cache and, when tasks do not run in-process, the
broker. A failing check is named; nothing else about it is said."""

import json

import pytest
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder

from perspectief.core import readiness


@pytest.fixture(autouse=True)
def _look_at_migrations_again(monkeypatch):
    """Each test starts as a fresh process would: migrations not yet found applied, no
    result of earlier checks to answer from."""
    monkeypatch.setattr(readiness, "_migrations_applied", False)
    monkeypatch.setattr(readiness, "_last", None)


@pytest.mark.django_db
def test_ready_when_database_and_cache_answer(client):
    response = client.get("/ready")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": "ok", "cache": "ok"}}


@pytest.mark.django_db
def test_not_ready_names_the_failing_check_and_nothing_more(client, monkeypatch, caplog):
    def database_down():
        raise ConnectionError("could not connect to server at db.internal as perspectief_app")

    monkeypatch.setattr(readiness, "check_database", database_down)
    response = client.get("/ready")
    assert response.status_code == 503
    body = response.json()
    assert body == {"status": "unavailable", "checks": {"database": "failed", "cache": "ok"}}
    assert "db.internal" not in json.dumps(body)
    assert "not_ready check=database error=ConnectionError" in caplog.text


@pytest.mark.django_db
def test_health_is_liveness_only_it_does_not_touch_the_database(client, monkeypatch):
    def no_database(*args, **kwargs):
        raise AssertionError("liveness must not query the database")

    monkeypatch.setattr(connection, "cursor", no_database)
    response = client.get("/health")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


@pytest.mark.django_db
def test_an_unapplied_migration_makes_the_process_not_ready(client):
    assert readiness.unapplied_migrations() == []
    latest = MigrationRecorder.Migration.objects.filter(app="core").latest("id")
    latest.delete()  # as if this release brought a migration that has not run yet
    assert readiness.unapplied_migrations() == [f"core.{latest.name}"]
    response = client.get("/ready")
    assert response.status_code == 503
    assert response.json()["checks"]["database"] == "failed"


@pytest.mark.django_db
def test_once_applied_migrations_are_not_read_again(client, monkeypatch):
    assert client.get("/ready").status_code == 200
    monkeypatch.setattr(readiness, "unapplied_migrations", lambda: ["core.9999_new"])
    assert client.get("/ready").status_code == 200


@pytest.mark.django_db
def test_the_broker_is_checked_when_tasks_do_not_run_in_process(client, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:6379/0"
    assert list(readiness.checks()) == ["database", "cache", "broker"]
    response = client.get("/ready")
    if response.status_code == 503:
        pytest.skip("no Redis at 127.0.0.1:6379")  # the CI job without services
    assert response.json()["checks"]["broker"] == "ok"


@pytest.mark.django_db
def test_a_broker_that_does_not_answer_is_named(client, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"  # nothing listens there
    response = client.get("/ready")
    assert response.status_code == 503
    assert response.json()["checks"] == {"database": "ok", "cache": "ok", "broker": "failed"}


@pytest.mark.django_db
def test_a_cache_that_loses_what_it_stored_is_not_ready(client, monkeypatch):
    monkeypatch.setattr(readiness.cache, "get", lambda key, default=None: None)
    response = client.get("/ready")
    assert response.status_code == 503
    assert response.json()["checks"]["cache"] == "failed"


@pytest.mark.django_db
def test_a_flood_of_calls_within_a_second_is_one_round_of_checks(client, settings, monkeypatch):
    """/ready is public: two calls within a second make one broker connection, not two;
    after the second has passed, the checks run again (and see what changed)."""
    settings.CELERY_TASK_ALWAYS_EAGER = False
    now = [1000.0]
    monkeypatch.setattr(readiness, "_clock", lambda: now[0])
    connections = []

    def broker():
        connections.append(now[0])

    monkeypatch.setattr(readiness, "check_broker", broker)
    for _ in range(2):
        response = client.get("/ready")
        assert response.json()["checks"]["broker"] == "ok"
        now[0] += 0.4
    assert connections == [1000.0]

    def broker_down():
        raise ConnectionError("broker.internal refused")

    monkeypatch.setattr(readiness, "check_broker", broker_down)
    assert client.get("/ready").status_code == 200  # 0.8 s: still the last result
    now[0] += 0.2
    response = client.get("/ready")  # 1.0 s after the checks: a new round
    assert response.status_code == 503
    assert response.json()["checks"]["broker"] == "failed"
