import datetime

from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from perspectief.core.policies import public, signed_in


@signed_in
@require_GET
def home_view(request):
    return render(request, "core/home.html")  # role_in_name: accounts.context_processors


@public
@require_GET
def health_view(request):
    """Liveness and database reachability for the load balancer; no details leak."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})


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
