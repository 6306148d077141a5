import datetime

from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from perspectief.core.policies import public, signed_in


@signed_in
@require_GET
def home_view(request):
    return render(request, "core/home.html", {"role_in_name": _role_in_name(request)})


def _role_in_name(request) -> bool:
    """Whether the organisation's name already says the role ("Landelijk
    ondersteuningsteam" of "Landelijk ondersteuningsteam Perspectief op Werk"): then the
    home page names the organisation only, not the same words twice."""
    actor = getattr(request, "actor", None)
    membership = getattr(actor, "membership", None)
    organisation = getattr(actor, "organisation", None)
    if membership is None or organisation is None:
        return False
    role = str(membership.get_role_display()).casefold()
    return bool(role) and organisation.name.casefold().startswith(role)


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
