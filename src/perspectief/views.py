from django.db import connection
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from perspectief.core.policies import public, signed_in


@signed_in
@require_GET
def home_view(request):
    return render(request, "core/home.html", {})


@public
@require_GET
def health_view(request):
    """Liveness and database reachability for the load balancer; no details leak."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
