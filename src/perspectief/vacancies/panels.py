"""Where higher apps add blocks to a place's page (registered in their ``ready()``).

The page of a place (``vacancies:detail``) shows, to those who may see job seekers, what
``routes`` and ``matching`` keep about the place: the form that plans the cohort on a course,
the shortlist and the proposals. Those apps sit above this one, so the page does not import
them: it renders the panels registered here, in their order, each with the objects below.

Below the points it declares, this module holds what vacancies adds to the employer's page
(``organisations.panels.EMPLOYER_PAGE``): the employer's places and requests.
"""

from perspectief.core.authz import Permission
from perspectief.core.contributions import Contributions, Panel
from perspectief.organisations.panels import EMPLOYER_PAGE

from .models import Vacancy
from .selectors.requests import queue_for

#: Blocks within the cohort section, after the cohort table. Objects: ``vacancy``,
#: ``cohort`` (the members the actor may see) and ``phases`` (the place's intake phases).
PLACE_COHORT = Contributions[Panel]("vacancies.place_cohort")

#: Sections after the cohort, for those who may see job seekers. Object: ``vacancy``.
PLACE_PAGE = Contributions[Panel]("vacancies.place_page")


# --- what vacancies adds to lower apps' pages (registered in VacanciesConfig.ready()) -------

#: The employer's page lists at most this many of its places and requests (newest first).
EMPLOYER_PAGE_LIMIT = 50


def employer_places(request, *, account, **_objects) -> dict | None:
    """The employer's places (as ``Vacancy.visible_to`` lets the actor see them) and, for
    those who handle requests, its requests to the Werkgeversservicepunt."""
    actor = request.actor
    places = Vacancy.objects.visible_to(actor).filter(employer=account)
    requests = queue_for(actor).filter(employer=account).select_related("vacancy")
    return {
        "account": account,
        "places": list(places.order_by("-created_at", "id")[:EMPLOYER_PAGE_LIMIT]),
        "places_total": places.count(),
        "requests": list(requests.order_by("-created_at", "id")[:EMPLOYER_PAGE_LIMIT]),
        "handles_requests": actor.has_perm(Permission.MANAGE_EMPLOYERS),
        "can_add_place": actor.has_perm(Permission.MANAGE_PLACES),
    }


def register_employer_panels() -> None:
    EMPLOYER_PAGE.register(
        "vacancies.places", Panel("vacancies/panels/employer_places.html", employer_places)
    )
