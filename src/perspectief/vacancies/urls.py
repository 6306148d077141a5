from django.urls import path

from perspectief.imports.urls import import_urls

from . import bulk_views, request_views, views

app_name = "vacancies"

urlpatterns = [
    path("", views.vacancy_list_view, name="list"),
    path("new/", views.vacancy_form_view, name="create"),
    path("bulk/", bulk_views.bulk_list_view, name="bulk"),
    *import_urls("places"),
    path("requests/", request_views.request_queue_view, name="requests"),
    path("requests/<uuid:uuid>/", request_views.request_action_view, name="request-action"),
    path("<uuid:uuid>/", views.vacancy_detail_view, name="detail"),
    path("<uuid:uuid>/edit/", views.vacancy_form_view, name="edit"),
    path("<uuid:uuid>/command/", views.vacancy_command_view, name="command"),
    path("<uuid:uuid>/outside-fills/", views.outside_fill_view, name="outside-fill"),
    path("<uuid:uuid>/phases/", bulk_views.phase_add_view, name="phase-add"),
    path(
        "<uuid:uuid>/phases/<int:phase>/remove/",
        bulk_views.phase_remove_view,
        name="phase-remove",
    ),
    path("<uuid:uuid>/cohort/<uuid:member>/", bulk_views.cohort_member_view, name="cohort-member"),
]
