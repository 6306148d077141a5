from django.urls import path

from . import views

app_name = "vacancies"

urlpatterns = [
    path("", views.vacancy_list_view, name="list"),
    path("new/", views.vacancy_form_view, name="create"),
    path("<uuid:uuid>/", views.vacancy_detail_view, name="detail"),
    path("<uuid:uuid>/edit/", views.vacancy_form_view, name="edit"),
    path("<uuid:uuid>/command/", views.vacancy_command_view, name="command"),
]
