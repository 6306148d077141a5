from django.db.models import Q
from django.shortcuts import render
from django.views.decorators.http import require_GET

from perspectief.accounts.constants import Permission
from perspectief.accounts.policies import requires

from .models import Occupation


@requires(Permission.VIEW_REFERENCE_DATA)
@require_GET
def occupation_search_view(request):
    """ESCO occupations by Dutch or English label; htmx swaps in the result list."""
    q = (request.GET.get("q") or "").strip()[:100]
    results = []
    if len(q) >= 2:
        results = (
            Occupation.objects.filter(
                Q(label_nl__icontains=q) | Q(label_en__icontains=q) | Q(alt_labels_nl__icontains=q)
            )
            .select_related("isco_group")
            .order_by("label_nl")[:50]
        )
    template = (
        "taxonomy/_occupation_results.html"
        if request.headers.get("HX-Request")
        else "taxonomy/occupation_search.html"
    )
    return render(request, template, {"q": q, "results": results})
