from django.urls import path

from . import request_views, views

app_name = "vacancies"

urlpatterns = [
    path("", views.vacancy_list_view, name="list"),
    path("new/", views.vacancy_form_view, name="create"),
    path("requests/", request_views.request_queue_view, name="requests"),
    path("requests/<uuid:uuid>/", request_views.request_action_view, name="request-action"),
    path("<uuid:uuid>/", views.vacancy_detail_view, name="detail"),
    path("<uuid:uuid>/edit/", views.vacancy_form_view, name="edit"),
    path("<uuid:uuid>/command/", views.vacancy_command_view, name="command"),
]
