"""/metrics in the Prometheus format (perspectief.core.metrics): requests by route name and
status class, task durations and outcomes, queue lengths and the progress of imports and
runs; no label holds a value from a request; only allowed scrapers see it."""

import os
import re
import subprocess
import sys
import uuid

import pytest
import redis
from django.core.exceptions import ImproperlyConfigured
from prometheus_client.parser import text_string_to_metric_families

from perspectief.accounts.tasks import purge_invitations
from perspectief.celery import app as celery_app
from perspectief.celery import serve_task_metrics
from perspectief.imports.models import ImportJob
from perspectief.matching.models import MatchRun

from ..factories import OrganisationFactory

UUID = "6f1c2b9e-3a4d-4e5f-8a7b-9c0d1e2f3a4b"
BSN = "111222333"


def scrape(client, **extra) -> dict[tuple[str, tuple], float]:
    """The exposition as {(sample name, sorted labels): value}; asserts it answered 200."""
    response = client.get("/metrics", **extra)
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"].startswith("text/plain")
    samples = {}
    for family in text_string_to_metric_families(response.content.decode()):
        for sample in family.samples:
            samples[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return samples


def value(samples, name, **labels) -> float:
    return samples.get((name, tuple(sorted(labels.items()))), 0.0)


@pytest.mark.django_db
def test_a_request_is_counted_by_route_name_and_status_class_never_by_its_path(client):
    before = scrape(client)
    key = {"route": "api:candidate-detail", "method": "GET", "status": "4xx"}
    client.get(f"/api/v1/candidates/{UUID}?bsn={BSN}")
    client.get(f"/candidates/{UUID}/?q=Jan")
    client.get(f"/no-such-page/{BSN}/")
    after = scrape(client)
    assert value(after, "perspectief_http_requests_total", **key) == (
        value(before, "perspectief_http_requests_total", **key) + 1
    )
    assert (
        value(
            after,
            "perspectief_http_request_duration_seconds_count",
            route="api:candidate-detail",
            method="GET",
        )
        >= 1
    )
    unmatched = {"route": "unmatched", "method": "GET", "status": "4xx"}
    assert value(after, "perspectief_http_requests_total", **unmatched) >= 1
    label_values = {v for _name, labels in after for _k, v in labels}
    digits = re.compile(r"\d{8,}")
    hexes = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}")
    assert not [v for v in label_values if digits.search(v) or hexes.search(v) or "?" in v]
    assert not [v for v in label_values if "Jan" in v or "no-such-page" in v]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "extra",
    [
        {"REMOTE_ADDR": "203.0.113.9"},
        # A client cannot pretend to be an allowed address through X-Forwarded-For without
        # a declared proxy, nor behind one by putting it in front of its own address.
        {"REMOTE_ADDR": "203.0.113.9", "HTTP_X_FORWARDED_FOR": "127.0.0.1"},
        {"REMOTE_ADDR": "203.0.113.9", "HTTP_AUTHORIZATION": "Bearer wrong-token"},
    ],
)
def test_a_scraper_from_another_address_gets_a_404(client, settings, extra):
    settings.METRICS_TOKEN = "a-long-random-metrics-token"
    response = client.get("/metrics", **extra)
    assert response.status_code == 404
    assert b"perspectief_http" not in response.content


@pytest.mark.django_db
def test_the_token_or_an_allowed_network_behind_the_proxy_may_scrape(client, settings):
    settings.METRICS_TOKEN = "a-long-random-metrics-token"
    scrape(client, REMOTE_ADDR="203.0.113.9", HTTP_AUTHORIZATION=f"Bearer {settings.METRICS_TOKEN}")
    settings.TRUSTED_PROXY_COUNT = 1
    settings.METRICS_ALLOWED_IPS = ["10.0.0.0/24"]
    scrape(client, REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="10.0.0.5")
    proxied = {"REMOTE_ADDR": "127.0.0.1", "HTTP_X_FORWARDED_FOR": "10.0.0.5, 203.0.113.9"}
    assert client.get("/metrics", **proxied).status_code == 404


@pytest.mark.django_db
def test_a_token_with_characters_outside_ascii_is_refused_not_a_server_error(client, settings):
    settings.METRICS_TOKEN = "a-long-random-metrics-token"
    outside_ascii = "Bearer \xe9t\xe9"
    response = client.get("/metrics", REMOTE_ADDR="203.0.113.9", HTTP_AUTHORIZATION=outside_ascii)
    assert response.status_code == 404


@pytest.mark.django_db
def test_imports_and_runs_progress_are_read_from_the_database(client, world):
    organisation = OrganisationFactory(region=world.am18)
    ImportJob.objects.create(
        organisation=organisation,
        kind="candidates",
        filename=f"{BSN}.csv",
        status="done",
        total_rows=10,
        processed_rows=10,
        created=5,
        updated=2,
        unchanged=1,
        rejected=2,
    )
    ImportJob.objects.create(
        organisation=organisation,
        kind="candidates",
        filename="b.csv",
        status="running",
        total_rows=1000,
        processed_rows=250,
        created=240,
        rejected=10,
    )
    MatchRun.objects.create(
        region=world.am18,
        started_for=organisation,
        status="running",
        places_total=40,
        places_done=10,
    )
    samples = scrape(client)
    assert value(samples, "perspectief_import_rows", kind="candidates", outcome="imported") == 248
    assert value(samples, "perspectief_import_rows", kind="candidates", outcome="rejected") == 12
    assert value(samples, "perspectief_imports", kind="candidates", status="running") == 1
    running = "perspectief_import_running_rows"
    assert value(samples, running, kind="candidates", state="processed") == 250
    assert value(samples, running, kind="candidates", state="total") == 1000
    assert value(samples, "perspectief_match_runs", status="running") == 1
    assert value(samples, "perspectief_match_runs", status="failed") == 0
    assert value(samples, "perspectief_match_running_places", state="done") == 10
    assert value(samples, "perspectief_match_running_places", state="total") == 40
    assert not any(BSN in v for _name, labels in samples for _k, v in labels)


@celery_app.task(name="tests.metrics.fails")
def _fails():
    raise RuntimeError("on purpose")


@pytest.mark.django_db
def test_tasks_are_timed_and_counted_by_outcome(client):
    before = scrape(client)
    purge_invitations.delay()
    # As a worker runs it: the failure is recorded, not raised to the caller.
    assert _fails.apply(throw=False).failed()
    after = scrape(client)
    done = "perspectief_celery_tasks_total"
    timed = "perspectief_celery_task_duration_seconds_count"
    ok = {"task": "accounts.purge_invitations", "outcome": "success"}
    failed = {"task": "tests.metrics.fails", "outcome": "failure"}
    assert value(after, done, **ok) == value(before, done, **ok) + 1
    assert value(after, done, **failed) == value(before, done, **failed) + 1
    assert value(after, timed, task="accounts.purge_invitations") == (
        value(before, timed, task="accounts.purge_invitations") + 1
    )
    assert value(after, done, task="tests.metrics.fails", outcome="success") == 0
    assert (
        value(after, timed, task="tests.metrics.fails")
        == value(before, timed, task="tests.metrics.fails") + 1
    )


@pytest.mark.django_db
def test_queue_lengths_are_read_from_the_redis_broker(client, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:6379/0"
    queue = f"test-metrics-{uuid.uuid4().hex}"
    settings.CELERY_TASK_DEFAULT_QUEUE = queue
    broker = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    try:
        broker.rpush(queue, "a", "b", "c")
    except redis.RedisError:
        pytest.skip("no Redis at 127.0.0.1:6379")
    try:
        assert value(scrape(client), "perspectief_celery_queue_length", queue=queue) == 3
    finally:
        broker.delete(queue)


@pytest.mark.django_db
def test_no_queue_lengths_when_tasks_run_eagerly_or_the_broker_is_down(client, settings):
    assert not [k for k in scrape(client) if k[0] == "perspectief_celery_queue_length"]
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"  # nothing listens there
    samples = scrape(client)
    assert not [k for k in samples if k[0] == "perspectief_celery_queue_length"]
    assert ("perspectief_match_runs", (("status", "done"),)) in samples


MULTIPROCESS = """
import django, os
django.setup()
from django.test import Client
from perspectief.core.metrics import exposition
Client(HTTP_HOST="localhost").get("/health")
files = sorted(os.listdir(os.environ["PROMETHEUS_MULTIPROC_DIR"]))
assert any(name.startswith("counter_") for name in files), files
text = exposition().decode()
print([line for line in text.splitlines() if line.startswith("perspectief_http_requests_total")])
"""


def test_multiprocess_mode_adds_up_the_workers_files(tmp_path):
    """With PROMETHEUS_MULTIPROC_DIR the counters go to files there, and a scrape reads them
    back (what gunicorn's workers do; deploy/gunicorn.conf.py)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PERSPECTIEF_")}
    env.update(
        DJANGO_SETTINGS_MODULE="perspectief.conf.test",
        PROMETHEUS_MULTIPROC_DIR=str(tmp_path),
        DATABASE_URL="sqlite:///:memory:",
    )
    result = subprocess.run(
        [sys.executable, "-c", MULTIPROCESS], env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert 'perspectief_http_requests_total{method="GET",route="health",status="2xx"} 1.0' in (
        result.stdout
    )


def test_a_worker_serves_task_metrics_only_with_the_multiprocess_directory(settings, monkeypatch):
    """Without PROMETHEUS_MULTIPROC_DIR the pool's processes would keep their metrics to
    themselves and the worker would serve empty ones: it refuses to start instead."""
    monkeypatch.delenv("PROMETHEUS_MULTIPROC_DIR", raising=False)
    settings.WORKER_METRICS_ADDRESS = ""
    assert serve_task_metrics() is None  # off by default
    settings.WORKER_METRICS_ADDRESS = "127.0.0.1:0"
    with pytest.raises(ImproperlyConfigured, match="PROMETHEUS_MULTIPROC_DIR"):
        serve_task_metrics()
