"""What routes shows on lower apps' pages (registered in ``RoutesConfig.ready()``).

In a place's cohort section (``vacancies.panels.PLACE_COHORT``) a route planner can put one
start of a course on the route of everyone in the cohort their organisation serves.
"""

from perspectief.core.authz import Permission
from perspectief.core.contributions import Panel
from perspectief.vacancies.panels import PLACE_COHORT

from .route_forms import editions_for


def place_cohort_course(request, *, vacancy, cohort, phases, **_objects):
    """The starts of courses in the actor's region, when there is a cohort to plan on them
    (people the actor sees, on a place with intake phases) and the actor plans routes."""
    actor = request.actor
    if not (cohort and phases and actor.has_perm(Permission.PLAN_ROUTES)):
        return None
    editions = list(editions_for(actor.region_id))
    if not editions:
        return None
    return {"vacancy": vacancy, "course_editions": editions}


def register_place_panels() -> None:
    PLACE_COHORT.register(
        "routes.cohort_course", Panel("routes/panels/place_cohort_course.html", place_cohort_course)
    )
