"""The advisers' pages under ``/matching/`` (namespace ``matching``): proposals, hires,
shortlists, the ranked lists, the regional runs, the fairness report and the region's
matching setting; and the job seeker's answer to meeting an employer, from their own page."""

from django.urls import path

from ..views import (
    configuration,
    fairness,
    hires,
    introductions,
    proposals,
    ranking,
    runs,
    shortlists,
)

app_name = "matching"

urlpatterns = [
    path("candidates/<uuid:uuid>/propose/", proposals.propose_view, name="propose"),
    path("candidates/<uuid:uuid>/hire/", hires.outside_hire_view, name="outside-hire"),
    path("proposals/<uuid:uuid>/", proposals.proposal_action_view, name="proposal-action"),
    path("places/<uuid:uuid>/candidates/", ranking.vacancy_candidates_view, name="candidates"),
    path("places/<uuid:uuid>/not-ranked/", ranking.not_ranked_view, name="not-ranked"),
    path("shortlist/<uuid:uuid>/", shortlists.shortlist_entry_view, name="shortlist-entry"),
    path("candidates/<uuid:uuid>/places/", ranking.candidate_places_view, name="places"),
    path("runs/", runs.runs_view, name="runs"),
    path("fairness/", fairness.fairness_view, name="fairness"),
    path("settings/", configuration.configuration_view, name="configuration"),
    path("settings/edit/", configuration.configuration_edit_view, name="configuration-edit"),
    path(
        "settings/<uuid:uuid>/",
        configuration.configuration_version_view,
        name="configuration-version",
    ),
    path("runs/<uuid:uuid>/", runs.run_view, name="run"),
    path("runs/<uuid:uuid>/cancel/", runs.run_cancel_view, name="run-cancel"),
    path("runs/<uuid:uuid>/places/<uuid:vacancy>/", runs.run_place_view, name="run-place"),
    path("suggestions/<uuid:uuid>/", runs.suggestion_view, name="suggestion"),
    path("mine/<uuid:uuid>/answer/", introductions.own_answer_view, name="own-answer"),
]
