"""The matching runs' progress for Prometheus (perspectief.core.metrics, read at scrape
time). Counts only, by status: no regions, places or people."""

from __future__ import annotations

from collections.abc import Iterator

from django.db.models import Count, Sum
from prometheus_client.core import GaugeMetricFamily, Metric

from perspectief.core import metrics

from .constants import RunStatus
from .models import MatchRun


def run_metrics() -> Iterator[Metric]:
    runs = GaugeMetricFamily(
        "perspectief_match_runs", "Matching runs by status.", labels=["status"]
    )
    places = GaugeMetricFamily(
        "perspectief_match_running_places",
        "Places of the matching runs running now: matched so far and in total.",
        labels=["state"],
    )
    counts = dict.fromkeys(RunStatus.values, 0)
    for row in MatchRun.objects.values("status").annotate(n=Count("pk")).order_by("status"):
        counts[row["status"]] = row["n"]
    for status, n in counts.items():
        runs.add_metric([status], n)
    progress = MatchRun.objects.filter(status=RunStatus.RUNNING).aggregate(
        done=Sum("places_done"), total=Sum("places_total")
    )
    places.add_metric(["done"], progress["done"] or 0)
    places.add_metric(["total"], progress["total"] or 0)
    yield from (runs, places)


def register() -> None:
    metrics.sources.register("matching", run_metrics)
