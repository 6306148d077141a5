"""The project's URLs: the pages, and the REST API's version 1 under ``/api/v1/``."""

from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.urls import include, path, re_path
from django.utils.translation import gettext
from django.views.defaults import page_not_found, server_error
from django.views.i18n import set_language
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from perspectief.accounts.api import Me
from perspectief.accounts.urls import employer_urlpatterns as employer_handover_urls
from perspectief.api.problems import problem_response, too_large
from perspectief.api.views import api_not_found
from perspectief.audit.api import AccessLogList
from perspectief.audit.views import (
    access_log_export_view,
    access_log_overview_view,
    access_log_view,
)
from perspectief.candidates.api.people import CandidateDetail, CandidateList, CandidateStatus
from perspectief.catalogue.api import OfferDetail, OfferList
from perspectief.conversations.api.notes import CandidateNotes
from perspectief.core.params import bad_request_response
from perspectief.core.policies import public
from perspectief.funding.api import FundingList
from perspectief.instruments.api import InstrumentCheck, InstrumentList
from perspectief.instruments.views.public import regelingenwijzer_view
from perspectief.lessons.api import LessonDetail, LessonList
from perspectief.matching.api.configuration import MatchingConfigurationDetail
from perspectief.matching.api.employer import (
    EmployerCandidateSearch,
    EmployerProposalAnswer,
    EmployerProposalList,
    EmployerProposalOutcome,
)
from perspectief.matching.api.explanations import MatchExplanation
from perspectief.matching.api.hires import CandidateHires
from perspectief.matching.api.proposals import (
    ProposalIntroduction,
    ProposalList,
    ProposalOutcome,
    ProposalWithdraw,
)
from perspectief.matching.api.runs import (
    MatchRunCancel,
    MatchRunDetail,
    MatchRunList,
    MatchRunSuggestions,
    MatchSuggestionReview,
)
from perspectief.matching.api.shortlists import ShortlistEntryDetail, VacancyShortlist
from perspectief.monitoring.api.indicators import IndicatorList
from perspectief.notifications import urls as notification_urls
from perspectief.notifications.api import InboxList
from perspectief.organisations import urls as organisation_urls
from perspectief.organisations.api.employers import EmployerClaim, EmployerDetail, EmployerList
from perspectief.organisations.api.organisations import OrganisationDetail, OrganisationList
from perspectief.regions.api import MunicipalityList, PostcodeDetail, RegionDetail, RegionList
from perspectief.routes.api import journey as journey_api
from perspectief.routes.api import routes as route_api
from perspectief.routes.api import stuck as stuck_api
from perspectief.routes.api import support as support_api
from perspectief.routes.api import templates as template_api
from perspectief.support import api as team_api
from perspectief.taxonomy.api import (
    EducationLevelList,
    OccupationDetail,
    OccupationList,
    SectorList,
    SkillList,
)
from perspectief.taxonomy.views import (
    concept_pick_view,
    concept_suggestions_view,
    occupation_detail_view,
    occupation_search_view,
)
from perspectief.vacancies.api.bulk import VacancyCohort, VacancyFillRate, VacancyPhases
from perspectief.vacancies.api.places import VacancyDetail, VacancyList
from perspectief.vacancies.views.requests import request_form_view
from perspectief.views import (
    accessibility_statement_view,
    health_view,
    home_view,
    metrics_view,
    ready_view,
)

#: The REST API, version 1 (namespace ``api``). Its toolkit (permissions, problems,
#: pagination, filters, the contract check) is in ``perspectief.api``.
api_v1 = [
    path("schema", SpectacularAPIView.as_view(), name="schema"),
    # The split view serves its set-up script from ?script: no inline code (CSP).
    path(
        "docs",
        SpectacularSwaggerSplitView.as_view(
            url_name="api:schema", template_name="api/swagger_ui.html"
        ),
        name="docs",
    ),
    path("me", Me.as_view(), name="me"),
    path("inbox", InboxList.as_view(), name="inbox"),
    path("regions", RegionList.as_view(), name="region-list"),
    path("regions/<str:code>", RegionDetail.as_view(), name="region-detail"),
    path("municipalities", MunicipalityList.as_view(), name="municipality-list"),
    path("postcodes/<str:code>", PostcodeDetail.as_view(), name="postcode-detail"),
    path("occupations", OccupationList.as_view(), name="occupation-list"),
    path("occupations/<uuid:id>", OccupationDetail.as_view(), name="occupation-detail"),
    path("skills", SkillList.as_view(), name="skill-list"),
    path("education-levels", EducationLevelList.as_view(), name="education-level-list"),
    path("sectors", SectorList.as_view(), name="sector-list"),
    path("organisations", OrganisationList.as_view(), name="organisation-list"),
    path("organisations/<uuid:uuid>", OrganisationDetail.as_view(), name="organisation-detail"),
    path("access-log", AccessLogList.as_view(), name="access-log"),
    path("funding", FundingList.as_view(), name="funding-list"),
    path("vacancies", VacancyList.as_view(), name="vacancy-list"),
    path("vacancies/<uuid:uuid>", VacancyDetail.as_view(), name="vacancy-detail"),
    path("vacancies/<uuid:uuid>/phases", VacancyPhases.as_view(), name="vacancy-phases"),
    path("vacancies/<uuid:uuid>/fill-rate", VacancyFillRate.as_view(), name="vacancy-fill-rate"),
    path("vacancies/<uuid:uuid>/cohort", VacancyCohort.as_view(), name="vacancy-cohort"),
    path("vacancies/<uuid:uuid>/shortlist", VacancyShortlist.as_view(), name="vacancy-shortlist"),
    path("shortlist/<uuid:uuid>", ShortlistEntryDetail.as_view(), name="shortlist-entry"),
    path(
        "vacancies/<uuid:uuid>/match-explanation",
        MatchExplanation.as_view(),
        name="vacancy-match-explanation",
    ),
    path("proposals", ProposalList.as_view(), name="proposal-list"),
    path(
        "proposals/<uuid:uuid>/introduction",
        ProposalIntroduction.as_view(),
        name="proposal-introduction",
    ),
    path("proposals/<uuid:uuid>/withdraw", ProposalWithdraw.as_view(), name="proposal-withdraw"),
    path("proposals/<uuid:uuid>/outcome", ProposalOutcome.as_view(), name="proposal-outcome"),
    path(
        "employer/proposals/<uuid:uuid>/outcome",
        EmployerProposalOutcome.as_view(),
        name="employer-proposal-outcome",
    ),
    path(
        "matching-configuration",
        MatchingConfigurationDetail.as_view(),
        name="matching-configuration",
    ),
    path("match-runs", MatchRunList.as_view(), name="match-run-list"),
    path("match-runs/<uuid:uuid>", MatchRunDetail.as_view(), name="match-run-detail"),
    path("match-runs/<uuid:uuid>/cancel", MatchRunCancel.as_view(), name="match-run-cancel"),
    path(
        "match-runs/<uuid:uuid>/suggestions",
        MatchRunSuggestions.as_view(),
        name="match-run-suggestions",
    ),
    path(
        "match-suggestions/<uuid:uuid>/review",
        MatchSuggestionReview.as_view(),
        name="match-suggestion-review",
    ),
    path("employer/proposals", EmployerProposalList.as_view(), name="employer-proposals"),
    path(
        "employer/proposals/<uuid:uuid>/answer",
        EmployerProposalAnswer.as_view(),
        name="employer-proposal-answer",
    ),
    path("employer/candidates", EmployerCandidateSearch.as_view(), name="employer-candidates"),
    path("instruments", InstrumentList.as_view(), name="instrument-list"),
    path("instruments/check", InstrumentCheck.as_view(), name="instrument-check"),
    path("offers", OfferList.as_view(), name="offer-list"),
    path("offers/<uuid:uuid>", OfferDetail.as_view(), name="offer-detail"),
    path("routes", route_api.RouteList.as_view(), name="route-list"),
    path("routes/<uuid:uuid>", route_api.RouteDetail.as_view(), name="route-detail"),
    path("routes/<uuid:uuid>/steps", route_api.RouteSteps.as_view(), name="route-steps"),
    path("route-steps/<uuid:uuid>", route_api.RouteStepDetail.as_view(), name="route-step"),
    path(
        "route-steps/<uuid:uuid>/<slug:action>",
        route_api.RouteStepAction.as_view(),
        name="route-step-action",
    ),
    path("route-templates", template_api.TemplateList.as_view(), name="route-template-list"),
    path(
        "route-templates/<uuid:uuid>",
        template_api.TemplateDetail.as_view(),
        name="route-template-detail",
    ),
    path("stuck", stuck_api.StuckList.as_view(), name="stuck-list"),
    path("indicators", IndicatorList.as_view(), name="indicator-list"),
    path("lessons", LessonList.as_view(), name="lesson-list"),
    path("lessons/<uuid:uuid>", LessonDetail.as_view(), name="lesson-detail"),
    path(
        "support/questionnaires",
        team_api.QuestionnaireList.as_view(),
        name="support-questionnaire-list",
    ),
    path("support/responses", team_api.ResponseList.as_view(), name="support-response-list"),
    path("support/reflections", team_api.ReflectionList.as_view(), name="support-reflection-list"),
    path("support/requests", team_api.RequestList.as_view(), name="support-request-list"),
    path("support-plans", support_api.SupportPlanList.as_view(), name="support-plan-list"),
    path(
        "support-plans/<uuid:uuid>",
        support_api.SupportPlanDetail.as_view(),
        name="support-plan-detail",
    ),
    path(
        "support-plans/<uuid:uuid>/check-ins",
        support_api.SupportCheckIns.as_view(),
        name="support-plan-check-ins",
    ),
    path(
        "support-plans/<uuid:uuid>/confirmation",
        support_api.SupportConfirmation.as_view(),
        name="support-plan-confirmation",
    ),
    path(
        "support-plans/<uuid:uuid>/drop-out",
        support_api.SupportDropOut.as_view(),
        name="support-plan-drop-out",
    ),
    path("employers", EmployerList.as_view(), name="employer-list"),
    path("employers/<uuid:uuid>", EmployerDetail.as_view(), name="employer-detail"),
    path("employers/<uuid:uuid>/claim", EmployerClaim.as_view(), name="employer-claim"),
    path("candidates", CandidateList.as_view(), name="candidate-list"),
    path("candidates/<uuid:uuid>", CandidateDetail.as_view(), name="candidate-detail"),
    path("candidates/<uuid:uuid>/status", CandidateStatus.as_view(), name="candidate-status"),
    path("candidates/<uuid:uuid>/hires", CandidateHires.as_view(), name="candidate-hires"),
    path(
        "candidates/<uuid:uuid>/journey",
        journey_api.CandidateJourney.as_view(),
        name="candidate-journey",
    ),
    path("candidates/<uuid:uuid>/notes", CandidateNotes.as_view(), name="candidate-notes"),
    # Anything else under /api/v1/ answers with a problem+json 404, also with DEBUG on.
    re_path(r"^.*$", api_not_found, name="not-found"),
]


urlpatterns = [
    path("", home_view, name="home"),
    path("health", health_view, name="health"),
    path("ready", ready_view, name="ready"),
    path("metrics", metrics_view, name="metrics"),
    path("toegankelijkheid/", accessibility_statement_view, name="accessibility-statement"),
    path("i18n/setlang/", public(set_language), name="set_language"),
    path("accounts/", include("perspectief.accounts.urls")),
    path("regions/", include("perspectief.regions.urls")),
    # One namespace: the organisations app's pages and the hand-over of an employer, which
    # accounts serves (it picks a membership; organisations sits below accounts).
    path(
        "organisations/",
        include(
            (organisation_urls.urlpatterns + employer_handover_urls, organisation_urls.app_name)
        ),
    ),
    path("candidates/", include("perspectief.candidates.urls")),
    path("places/", include("perspectief.vacancies.urls")),
    path("matching/", include("perspectief.matching.urls.advisers")),
    path("werkgever/", include("perspectief.matching.urls.employer")),
    path("catalogue/", include("perspectief.catalogue.urls")),
    path("routes/", include("perspectief.routes.urls")),
    path("monitoring/", include("perspectief.monitoring.urls")),
    path("lessons/", include("perspectief.lessons.urls")),
    path("instruments/", include("perspectief.instruments.urls")),
    path("funding/", include("perspectief.funding.urls")),
    path("support/", include("perspectief.support.urls")),
    path("werkgeversservicepunt/", request_form_view, name="wsp-request"),
    path("werkgeversservicepunt/regelingen/", regelingenwijzer_view, name="wsp-instruments"),
    path("occupations/", occupation_search_view, name="occupations"),
    path("occupations/<uuid:id>/", occupation_detail_view, name="occupation"),
    path("esco/suggestions/", concept_suggestions_view, name="concept-suggestions"),
    path("esco/suggestions/pick/", concept_pick_view, name="concept-pick"),
    path("inbox/", include("perspectief.notifications.urls")),
    # The job seeker's /messages/, and notes and messages written about or to a person.
    path("", include("perspectief.conversations.urls")),
    *notification_urls.demo_urlpatterns,
    path("access-log/", access_log_view, name="access-log"),
    path("access-log/export/", access_log_export_view, name="access-log-export"),
    path("access-log/overview/", access_log_overview_view, name="access-log-overview"),
    path("api/v1/", include((api_v1, "api"))),
]


def handler400(request, exception=None):
    if request.path.startswith("/api/"):
        if isinstance(exception, RequestDataTooBig | TooManyFieldsSent):
            return too_large(request)
        return problem_response(request, 400, gettext("Bad request."))
    return bad_request_response(request, exception)


def handler404(request, exception=None):
    if request.path.startswith("/api/"):
        return problem_response(request, 404, "Not found.")
    return page_not_found(request, exception, template_name="404.html")


def handler500(request):
    if request.path.startswith("/api/"):
        return problem_response(request, 500, "Internal server error.")
    return server_error(request, template_name="500.html")
