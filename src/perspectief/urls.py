from django.urls import include, path
from django.views.i18n import set_language

from perspectief.accounts.policies import public
from perspectief.api.problems import problem_response
from perspectief.audit.views import (
    access_log_export_view,
    access_log_overview_view,
    access_log_view,
)
from perspectief.taxonomy.views import occupation_detail_view, occupation_search_view
from perspectief.vacancies.request_views import request_form_view
from perspectief.views import health_view, home_view

urlpatterns = [
    path("", home_view, name="home"),
    path("health", health_view, name="health"),
    path("i18n/setlang/", public(set_language), name="set_language"),
    path("accounts/", include("perspectief.accounts.urls")),
    path("regions/", include("perspectief.regions.urls")),
    path("organisations/", include("perspectief.organisations.urls")),
    path("candidates/", include("perspectief.candidates.urls")),
    path("places/", include("perspectief.vacancies.urls")),
    path("matching/", include("perspectief.matching.urls")),
    path("werkgever/", include("perspectief.matching.employer_urls")),
    path("catalogue/", include("perspectief.routes.urls")),
    path("routes/", include("perspectief.routes.route_urls")),
    path("monitoring/", include("perspectief.monitoring.urls")),
    path("werkgeversservicepunt/", request_form_view, name="wsp-request"),
    path("occupations/", occupation_search_view, name="occupations"),
    path("occupations/<uuid:id>/", occupation_detail_view, name="occupation"),
    path("access-log/", access_log_view, name="access-log"),
    path("access-log/export/", access_log_export_view, name="access-log-export"),
    path("access-log/overview/", access_log_overview_view, name="access-log-overview"),
    path("api/v1/", include("perspectief.api.urls")),
]


def handler400(request, exception=None):
    from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent

    from perspectief.api.problems import too_large
    from perspectief.core.params import bad_request_response

    if request.path.startswith("/api/"):
        if isinstance(exception, RequestDataTooBig | TooManyFieldsSent):
            return too_large(request)
        from django.utils.translation import gettext

        return problem_response(request, 400, gettext("Bad request."))
    return bad_request_response(request, exception)


def handler404(request, exception=None):
    from django.views.defaults import page_not_found

    if request.path.startswith("/api/"):
        return problem_response(request, 404, "Not found.")
    return page_not_found(request, exception, template_name="404.html")


def handler500(request):
    from django.views.defaults import server_error

    if request.path.startswith("/api/"):
        return problem_response(request, 500, "Internal server error.")
    return server_error(request, template_name="500.html")
