"""The region's doorbraak list: stuck steps for the coordinator (people by their code)."""

from __future__ import annotations

from django.shortcuts import render
from django.views.decorators.http import require_GET

from perspectief.core.authz import Permission
from perspectief.core.policies import requires

from ..selectors import stuck


@requires(Permission.VIEW_STUCK)
@require_GET
def stuck_view(request):
    rows, regional = stuck.stuck_steps(actor=request.actor)
    return render(request, "routes/stuck.html", {"rows": rows, "regional": regional})
