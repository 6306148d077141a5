"""Pages of the funding app ("Waar zit wat")."""

from django.urls import path

from . import views

app_name = "funding"

urlpatterns = [
    path("", views.overview_view, name="overview"),
    path("new/", views.pot_create_view, name="pot-create"),
    path("question/", views.question_view, name="question"),
    path("<uuid:uuid>/", views.pot_view, name="pot"),
    path("<uuid:uuid>/edit/", views.pot_edit_view, name="pot-edit"),
]
