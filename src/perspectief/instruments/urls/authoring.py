"""Pages of the instruments app: authoring (see instruments/urls/__init__.py)."""

from django.urls import path

from ..views import authoring, harmonisation

urlpatterns: list = [
    path("beheer/nieuw/", authoring.instrument_create_view, name="instrument-create"),
    path("versie/<uuid:uuid>/bewerken/", authoring.version_edit_view, name="version-edit"),
    path("versie/<uuid:uuid>/actie/", authoring.version_action_view, name="version-action"),
    path("<uuid:uuid>/variatie/nieuw/", authoring.variation_create_view, name="variation-create"),
    path("variatie/<uuid:uuid>/bewerken/", authoring.variation_edit_view, name="variation-edit"),
    path("variatie/<uuid:uuid>/actie/", authoring.variation_action_view, name="variation-action"),
    path("harmonisatie/", harmonisation.harmonisation_view, name="harmonisation"),
    path(
        "harmonisatie/<uuid:uuid>/",
        harmonisation.harmonisation_status_view,
        name="harmonisation-status",
    ),
]
