from django.urls import path

from perspectief.imports.urls import import_urls

from .views import bulk, conversion, places, requests

app_name = "vacancies"

urlpatterns = [
    path("", places.vacancy_list_view, name="list"),
    path("new/", places.vacancy_form_view, name="create"),
    path("bulk/", bulk.bulk_list_view, name="bulk"),
    *import_urls("places"),
    path("requests/", requests.request_queue_view, name="requests"),
    path("requests/<uuid:uuid>/", requests.request_detail_view, name="request-detail"),
    path("requests/<uuid:uuid>/action/", requests.request_action_view, name="request-action"),
    path("requests/<uuid:uuid>/notes/", requests.request_note_view, name="request-note"),
    path(
        "requests/<uuid:uuid>/convert/",
        conversion.request_convert_view,
        name="request-convert",
    ),
    path("<uuid:uuid>/", places.vacancy_detail_view, name="detail"),
    path("<uuid:uuid>/edit/", places.vacancy_form_view, name="edit"),
    path("<uuid:uuid>/command/", places.vacancy_command_view, name="command"),
    path("<uuid:uuid>/outside-fills/", places.outside_fill_view, name="outside-fill"),
    path("<uuid:uuid>/phases/", bulk.phase_add_view, name="phase-add"),
    path(
        "<uuid:uuid>/phases/<int:phase>/remove/",
        bulk.phase_remove_view,
        name="phase-remove",
    ),
    path("<uuid:uuid>/cohort/<uuid:member>/", bulk.cohort_member_view, name="cohort-member"),
]
