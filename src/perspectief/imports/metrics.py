"""The imports' progress for Prometheus (perspectief.core.metrics, read at scrape time).

Counts only, by kind of import and status: no file names, organisations or rows.
"""

from __future__ import annotations

from collections.abc import Iterator

from django.db.models import Count, F, Sum
from prometheus_client.core import GaugeMetricFamily, Metric

from perspectief.core import metrics

from .constants import ImportStatus
from .models import ImportJob


def import_metrics() -> Iterator[Metric]:
    jobs = GaugeMetricFamily(
        "perspectief_imports", "Imports by kind and status.", labels=["kind", "status"]
    )
    rows = GaugeMetricFamily(
        "perspectief_import_rows",
        "Rows of all recorded imports by kind and outcome (imported: created, updated or "
        "unchanged; rejected).",
        labels=["kind", "outcome"],
    )
    running = GaugeMetricFamily(
        "perspectief_import_running_rows",
        "Rows of the imports running now, by kind: processed so far and in total.",
        labels=["kind", "state"],
    )
    by_kind = (
        ImportJob.objects.values("kind", "status")
        .annotate(
            jobs=Count("pk"),
            imported=Sum(F("created") + F("updated") + F("unchanged")),
            rejected=Sum("rejected"),
            processed=Sum("processed_rows"),
            total=Sum("total_rows"),
        )
        .order_by("kind", "status")
    )
    totals: dict[str, dict[str, float]] = {}
    for row in by_kind:
        kind = row["kind"]
        jobs.add_metric([kind, row["status"]], row["jobs"])
        kind_totals = totals.setdefault(kind, {"imported": 0, "rejected": 0})
        kind_totals["imported"] += row["imported"] or 0
        kind_totals["rejected"] += row["rejected"] or 0
        if row["status"] == ImportStatus.RUNNING:
            running.add_metric([kind, "processed"], row["processed"] or 0)
            running.add_metric([kind, "total"], row["total"] or 0)
    for kind, outcomes in totals.items():
        for outcome, value in outcomes.items():
            rows.add_metric([kind, outcome], value)
    yield from (jobs, rows, running)


def register() -> None:
    metrics.sources.register("imports", import_metrics)
