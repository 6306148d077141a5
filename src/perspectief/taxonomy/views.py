from django.db.models import Q
from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from perspectief.core.authz import Permission
from perspectief.core.policies import requires

from .constants import SkillRelation
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


@requires(Permission.VIEW_REFERENCE_DATA)
@require_GET
def occupation_detail_view(request, id):
    """One ESCO occupation with the skills it asks for (essential and optional)."""
    occupation = (
        Occupation.objects.select_related("isco_group")
        .filter(uri=f"http://data.europa.eu/esco/occupation/{id}")
        .first()
    )
    if occupation is None:
        raise Http404
    relations = occupation.skill_relations.select_related("skill").order_by("skill__label_en")
    essential = [r.skill for r in relations if r.relation == SkillRelation.ESSENTIAL]
    optional = [r.skill for r in relations if r.relation == SkillRelation.OPTIONAL]
    return render(
        request,
        "taxonomy/occupation_detail.html",
        {"occupation": occupation, "essential": essential, "optional": optional},
    )
