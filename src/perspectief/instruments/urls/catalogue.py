"""Pages of the instruments app: catalogue (see instruments/urls/__init__.py)."""

from django.urls import path

from ..views import catalogue

urlpatterns: list = [
    path("", catalogue.catalogue_view, name="catalogue"),
    path("<uuid:uuid>/", catalogue.instrument_view, name="instrument"),
    path("versie/<uuid:uuid>/", catalogue.version_view, name="version"),
]
