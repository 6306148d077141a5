"""Pages of the support team, the regions' progress questionnaire, reflection and support
requests."""

from django.urls import path

from .views import progress, reflection, requests

app_name = "support"

urlpatterns = [
    # The national support team
    path("team/", progress.team_home_view, name="team"),
    path("team/questionnaires/new/", progress.create_view, name="questionnaire-create"),
    path("team/questionnaires/<uuid:uuid>/", progress.questionnaire_view, name="questionnaire"),
    path("team/responses/<uuid:uuid>/", progress.team_response_view, name="team-response"),
    path("team/knelpunten/", progress.findings_view, name="findings"),
    path("team/regions/<str:code>/", reflection.team_region_view, name="team-region"),
    path("team/requests/", requests.team_list_view, name="team-requests"),
    path("team/requests/<uuid:uuid>/", requests.team_request_view, name="team-request"),
    # The region
    path("", reflection.region_view, name="region"),
    path("progress/<uuid:uuid>/", progress.answer_view, name="progress"),
    path("reflection/new/", reflection.create_view, name="reflection-create"),
    path("reflection/compare/", reflection.compare_view, name="reflection-compare"),
    path("reflection/<uuid:uuid>/", reflection.round_view, name="reflection"),
    path("requests/", requests.list_view, name="requests"),
    path("requests/<uuid:uuid>/", requests.request_view, name="request"),
]
