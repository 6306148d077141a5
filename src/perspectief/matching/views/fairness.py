"""The fairness report's page: exposure in the latest run (as a whole and among people with
similar scores) and outcomes of proposals per target group and age band in the actor's
region (aggregates only)."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.views.decorators.http import require_GET

from perspectief.core import params
from perspectief.core.authz import Permission
from perspectief.core.policies import requires

from ..selectors import fairness


@requires(Permission.MATCHING_REPORT)
@require_GET
def fairness_view(request):
    """Exposure and outcomes per target group and age band in the actor's region."""
    actor = request.actor
    if actor.region is None:
        raise PermissionDenied
    since = params.iso_date(request, "since")
    result = fairness.report(actor.region, since=since)
    return render(
        request,
        "matching/fairness/report.html",
        {
            "report": result,
            "four_fifths": fairness.FOUR_FIFTHS,
            "top": fairness.TOP,
            "ranked": fairness.RANKED,
            "band_width": fairness.BAND_WIDTH,
        },
    )
