"""The data-quality page: how complete and current the organisation's picture of its job
seekers is."""

from django.shortcuts import render
from django.views.decorators.http import require_GET

from perspectief.core.authz import Permission
from perspectief.core.policies import requires

from ..selectors.data_quality import quality_overview


@requires(Permission.MANAGE_CANDIDATES)
@require_GET
def quality_view(request):
    """How complete and current the organisation's picture of its job seekers is."""
    overview = quality_overview(request.actor.organisation)
    may_list = request.actor.has_perm(Permission.VIEW_CANDIDATES)
    return render(request, "candidates/quality.html", {"q": overview, "may_list": may_list})
