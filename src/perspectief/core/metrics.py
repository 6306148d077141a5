"""Metrics in the Prometheus text format (prometheus-client), for the hosting party's
monitoring: requests, background tasks, the broker's queue lengths, and the progress of
imports and matching runs.

What is counted where:

- **Requests** (:class:`RequestMetricsMiddleware`): a counter and a latency histogram per
  *route name* (the URL pattern's name, ``api:candidate-detail``; never the path, which may
  hold a uuid) and status class (``2xx`` … ``5xx``). No label ever holds a value from the
  request.
- **Tasks** (Celery signals, :func:`connect_task_signals`): a duration histogram and
  success/failure counters per task name.
- **At scrape time** (:class:`ScrapeTimeCollector`): the length of each broker queue
  (Redis ``LLEN``; nothing when tasks run eagerly or the broker is not Redis) and whatever
  the apps register in :data:`sources` — the imports app its rows imported and rejected per
  kind, matching its runs per status and the places they matched. They are read from the
  database, so every process reports the same numbers.

Under gunicorn with several workers, set ``PROMETHEUS_MULTIPROC_DIR`` (an empty directory,
wiped before start-up, see deploy/gunicorn.conf.py): every worker writes its counters there
and the one that answers ``/metrics`` adds them all up (prometheus-client's multiprocess
mode). ``/metrics`` answers only to the addresses in ``PERSPECTIEF_METRICS_ALLOWED_IPS`` or
with ``Authorization: Bearer <PERSPECTIEF_METRICS_TOKEN>``; anyone else gets a 404.
"""

from __future__ import annotations

import hmac
import ipaddress
import logging
import os
import time
from collections.abc import Callable, Iterable, Iterator
from typing import Any
from urllib.parse import urlparse

import redis
from celery.signals import task_failure, task_postrun, task_prerun
from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
)
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.multiprocess import MultiProcessCollector

from .contributions import Contributions

log = logging.getLogger(__name__)

#: A scrape-time source: returns metric families read from the database.
MetricSource = Callable[[], Iterable[Metric]]

#: Scrape-time metrics that higher apps register in their ``ready()`` (imports, matching).
sources: Contributions[MetricSource] = Contributions("metric sources")

REQUESTS = Counter(
    "perspectief_http_requests",
    "HTTP requests answered, by route name, method and status class.",
    ["route", "method", "status"],
)
REQUEST_SECONDS = Histogram(
    "perspectief_http_request_duration_seconds",
    "Time to answer an HTTP request, by route name and method.",
    ["route", "method"],
    buckets=(0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
)
TASKS = Counter(
    "perspectief_celery_tasks",
    "Background tasks finished, by task name and outcome (success or failure).",
    ["task", "outcome"],
)
TASK_SECONDS = Histogram(
    "perspectief_celery_task_duration_seconds",
    "Time a background task ran, by task name.",
    ["task"],
    buckets=(0.05, 0.1, 0.5, 1, 5, 10, 30, 60, 300, 900, 3600),
)

#: The methods a label may name; anything else is counted as ``other`` (a label's values
#: stay few whatever a client sends).
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})


def multiprocess_dir() -> str | None:
    """The directory of prometheus-client's multiprocess mode, when it is on."""
    return os.environ.get("PROMETHEUS_MULTIPROC_DIR") or None


# --- requests ---------------------------------------------------------------------------------


def route_name(request: HttpRequest) -> str:
    """The label for a request's route: the URL pattern's name (with its namespace), else the
    pattern itself (``candidates/<uuid:uuid>/``, never the path), ``static`` for static
    files and ``unmatched`` when no pattern matched."""
    match = getattr(request, "resolver_match", None)
    if match is not None:
        return match.view_name or match.route or "unnamed"
    if request.path.startswith(settings.STATIC_URL):
        return "static"
    return "unmatched"


def status_class(status: int) -> str:
    return f"{status // 100}xx"


def observe_request(request: HttpRequest, status: int, seconds: float) -> str:
    """Count one answered request; returns its route label (the request log uses it too)."""
    route = route_name(request)
    method = request.method if request.method in METHODS else "other"
    REQUESTS.labels(route=route, method=method, status=status_class(status)).inc()
    REQUEST_SECONDS.labels(route=route, method=method).observe(seconds)
    return route


# --- background tasks -------------------------------------------------------------------------

_task_started: dict[str, float] = {}


def task_started(task_id: str | None = None, **kwargs: Any) -> None:
    """``task_prerun``: note when the task began (per task id, in this process)."""
    if task_id:
        _task_started[task_id] = time.perf_counter()


def task_finished(task_id: str | None = None, task: Any = None, **kwargs: Any) -> None:
    """``task_postrun``: observe its duration; a task that did not fail succeeded (retries
    count as neither: ``task_retry`` follows, and the retry is counted when it ends)."""
    started = _task_started.pop(task_id or "", None)
    name = getattr(task, "name", None) or "unknown"
    if started is not None:
        TASK_SECONDS.labels(task=name).observe(time.perf_counter() - started)
    state = kwargs.get("state")
    if state == "SUCCESS":
        TASKS.labels(task=name, outcome="success").inc()


def task_failed(sender: Any = None, **kwargs: Any) -> None:
    """``task_failure``: count the failure (never the exception's text: it may name data)."""
    TASKS.labels(task=getattr(sender, "name", None) or "unknown", outcome="failure").inc()


def connect_task_signals() -> None:
    """Connect the task metrics to Celery's signals (idempotent: ``dispatch_uid``)."""
    task_prerun.connect(task_started, dispatch_uid="perspectief.metrics.prerun", weak=False)
    task_postrun.connect(task_finished, dispatch_uid="perspectief.metrics.postrun", weak=False)
    task_failure.connect(task_failed, dispatch_uid="perspectief.metrics.failure", weak=False)


# --- scrape time ------------------------------------------------------------------------------


def queue_names() -> list[str]:
    """The broker queues the workers consume: Celery's default queue and any routed one."""
    names = {getattr(settings, "CELERY_TASK_DEFAULT_QUEUE", "celery")}
    for route in (getattr(settings, "CELERY_TASK_ROUTES", None) or {}).values():
        if isinstance(route, dict) and route.get("queue"):
            names.add(route["queue"])
    return sorted(names)


def queue_lengths() -> Iterator[Metric]:
    """Messages waiting per broker queue (Redis ``LLEN``). Nothing when tasks run eagerly or
    the broker is not Redis; an unreachable broker is logged, not raised (the scrape still
    gives everything else, and ``/ready`` names the broker)."""
    url = settings.CELERY_BROKER_URL
    if settings.CELERY_TASK_ALWAYS_EAGER or not url.startswith(("redis://", "rediss://")):
        return
    family = GaugeMetricFamily(
        "perspectief_celery_queue_length",
        "Background tasks waiting in the broker, by queue.",
        labels=["queue"],
    )
    try:
        client = redis.Redis.from_url(url, socket_timeout=2, socket_connect_timeout=2)
        for name in queue_names():
            family.add_metric([name], float(client.llen(name)))
    except redis.RedisError as error:
        log.warning("metrics_queue_length_unavailable broker=%s error=%s", _host(url), type(error))
        return
    yield family


def _host(url: str) -> str:
    """A broker URL without its credentials, for a log line."""
    parsed = urlparse(url)
    return f"{parsed.hostname}:{parsed.port}" if parsed.port else str(parsed.hostname)


class ScrapeTimeCollector:
    """Metrics computed when Prometheus scrapes: the queue lengths and the registered
    database sources. A source that fails is logged and left out; the others still count."""

    def collect(self) -> Iterator[Metric]:
        yield from queue_lengths()
        for key, source in sources.items():
            try:
                yield from list(source())
            except Exception:  # one failing source must not hide the others
                log.exception("metrics_source_failed source=%s", key)

    def describe(self) -> list[Metric]:
        return []  # computed per scrape: nothing to check at registration


class _Exposition:
    """What one scrape shows: this process's metrics (or, in multiprocess mode, every
    worker's, added up from their files) and the scrape-time metrics."""

    def __init__(self, processes: Any) -> None:
        self.processes = processes
        self.scrape_time = ScrapeTimeCollector()

    def collect(self) -> Iterator[Metric]:
        yield from self.processes.collect()
        yield from self.scrape_time.collect()


def exposition() -> bytes:
    """The metrics text for one scrape."""
    if multiprocess_dir():
        processes: Any = CollectorRegistry()
        MultiProcessCollector(processes)  # type: ignore[no-untyped-call]
    else:
        processes = REGISTRY
    return generate_latest(_Exposition(processes))


# --- access -----------------------------------------------------------------------------------


def _client_address(request: HttpRequest) -> str:
    """The client's address as the login throttling sees it: the right-most hop that the
    declared number of reverse proxies (``PERSPECTIEF_TRUSTED_PROXY_COUNT``) added to
    X-Forwarded-For, else the connection's address."""
    proxies = int(settings.TRUSTED_PROXY_COUNT)
    if proxies:
        forwarded = str(request.META.get("HTTP_X_FORWARDED_FOR", ""))
        hops = [h.strip() for h in forwarded.split(",") if h.strip()]
        if len(hops) >= proxies:
            return hops[-proxies]
    return str(request.META.get("REMOTE_ADDR", ""))


def _address_allowed(address: str) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    for allowed in settings.METRICS_ALLOWED_IPS:
        try:
            if ip in ipaddress.ip_network(allowed, strict=False):
                return True
        except ValueError:
            continue  # validated at start-up (conf.base); never grants access
    return False


def _token_allowed(request: HttpRequest) -> bool:
    token = settings.METRICS_TOKEN
    header = request.META.get("HTTP_AUTHORIZATION", "")
    if not token or not header.startswith("Bearer "):
        return False
    # As bytes: compare_digest refuses str with non-ASCII characters (a 500 for any client
    # that sends one); WSGI hands headers over as latin-1.
    given = header.removeprefix("Bearer ").strip().encode("latin-1", "replace")
    return hmac.compare_digest(given, token.encode("utf-8"))


def may_scrape(request: HttpRequest) -> bool:
    return _token_allowed(request) or _address_allowed(_client_address(request))


def metrics_response(request: HttpRequest) -> HttpResponse:
    """``/metrics``: the exposition for an allowed scraper, a 404 for anyone else (the
    endpoint does not exist for them)."""
    if not may_scrape(request):
        raise Http404
    return HttpResponse(exposition(), content_type=CONTENT_TYPE_LATEST)
