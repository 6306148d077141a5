"""The employer portal under ``/werkgever/`` (namespace ``employer``)."""

from django.urls import path

from ..views import employer as views

app_name = "employer"

urlpatterns = [
    path("", views.home_view, name="home"),
    path("kandidaten/", views.search_view, name="search"),
    path("kandidaten/vraag/", views.ask_view, name="ask"),
    path("plaatsen/<uuid:uuid>/", views.place_view, name="place"),
    path("plaatsen/<uuid:uuid>/export.csv", views.place_export_view, name="place-export"),
    path("voorstellen/<uuid:uuid>/", views.respond_view, name="respond"),
    path("voorstellen/<uuid:uuid>/uitkomst/", views.outcome_view, name="outcome"),
]
