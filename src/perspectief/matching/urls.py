from django.urls import path

from . import run_views, views

app_name = "matching"

urlpatterns = [
    path("candidates/<uuid:uuid>/propose/", views.propose_view, name="propose"),
    path("candidates/<uuid:uuid>/hire/", views.outside_hire_view, name="outside-hire"),
    path("proposals/<uuid:uuid>/", views.proposal_action_view, name="proposal-action"),
    path("places/<uuid:uuid>/candidates/", views.vacancy_candidates_view, name="candidates"),
    path("shortlist/<uuid:uuid>/", views.shortlist_entry_view, name="shortlist-entry"),
    path("candidates/<uuid:uuid>/places/", views.candidate_places_view, name="places"),
    path("runs/", run_views.runs_view, name="runs"),
    path("fairness/", run_views.fairness_view, name="fairness"),
    path("runs/<uuid:uuid>/", run_views.run_view, name="run"),
    path("runs/<uuid:uuid>/places/<uuid:vacancy>/", run_views.run_place_view, name="run-place"),
    path("suggestions/<uuid:uuid>/", run_views.suggestion_view, name="suggestion"),
]
