import datetime

from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from perspectief.core import metrics, readiness
from perspectief.core.policies import public, signed_in


@signed_in
@require_GET
def home_view(request):
    return render(request, "core/home.html")  # role_in_name: accounts.context_processors


@public
@require_GET
def health_view(request):
    """Liveness: the process answers. It touches nothing else, so a database that is down
    does not get every process restarted; ``/ready`` says whether to send it traffic."""
    return JsonResponse({"status": "ok"})


@public
@require_GET
def ready_view(request):
    """Readiness for the load balancer: 200 when the database (reachable, every migration
    applied), the cache and the broker are, else 503 naming the check that failed. Only
    "ok" or "failed" per check: no host names, no errors, no one's data."""
    ready, checks = readiness.readiness()
    return JsonResponse(
        {"status": "ok" if ready else "unavailable", "checks": checks},
        status=200 if ready else 503,
    )


@public
@require_GET
def metrics_view(request):
    """Metrics in the Prometheus text format, for the allowed scrapers only (404 for anyone
    else; perspectief.core.metrics)."""
    return metrics.metrics_response(request)


#: What the accessibility statement reports: when and how the pages were last checked
#: (tests/e2e/test_accessibility.py runs the same check in CI; update these with a new run).
ACCESSIBILITY_CHECK = {
    "date": datetime.date(2026, 12, 7),
    "axe_version": "4.14.1",
    "pages": 136,
    "roles": 11,
}


@public
@require_GET
def accessibility_statement_view(request):
    """The toegankelijkheidsverklaring (Besluit digitale toegankelijkheid overheid), public."""
    return render(request, "core/accessibility_statement.html", {"check": ACCESSIBILITY_CHECK})
