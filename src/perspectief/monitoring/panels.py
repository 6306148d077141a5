"""What monitoring adds to the pages of lower apps. The panels are registered in
:meth:`MonitoringConfig.ready() <perspectief.monitoring.apps.MonitoringConfig.ready>`.

- :data:`RUNS_MATCHES`, on the matching runs page
  (:data:`perspectief.matching.views.runs.RUNS_PAGE`): the region's matches of this year so
  far (1 January to today). A match is defined once, here in monitoring
  (:func:`perspectief.monitoring.indicators.counts`), so the runs page shows the same number
  as the PoW-dashboard, the API, the exports and the quarterly report for that period.
"""

from django.utils import timezone

from perspectief.core.authz import Permission
from perspectief.core.contributions import Panel

from . import indicators


def runs_matches(request) -> dict:
    """The region's matches as the PoW-dashboard, the API, the exports and the report count
    them (one definition: placements of the region's people, dated by the start of work),
    for this year so far, with a link to the dashboard for who may open it."""
    actor = request.actor
    today = timezone.localdate()
    since = today.replace(month=1, day=1)
    matches = indicators.counts(indicators.Filters(since, today, region_id=actor.region_id))[
        "matches"
    ]
    return {
        "matches": matches,
        "since": since,
        "today": today,
        "may_dashboard": actor.has_perm(Permission.VIEW_INDICATORS),
    }


RUNS_MATCHES = Panel("monitoring/panels/runs_matches.html", runs_matches)
