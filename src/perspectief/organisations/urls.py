from django.urls import path

from . import employer_views, views

app_name = "organisations"

urlpatterns = [
    path("", views.organisation_list_view, name="list"),
    path("new/", views.organisation_create_view, name="create"),
    path("employers/", employer_views.employer_list_view, name="employers"),
    path("employers/new/", employer_views.employer_create_view, name="employer-create"),
    path("employers/<uuid:uuid>/", employer_views.employer_detail_view, name="employer"),
    path("employers/<uuid:uuid>/claim/", employer_views.employer_claim_view, name="employer-claim"),
    path(
        "employers/<uuid:uuid>/release/",
        employer_views.employer_release_view,
        name="employer-release",
    ),
    path(
        "employers/<uuid:uuid>/handover/",
        employer_views.employer_handover_view,
        name="employer-handover",
    ),
    path(
        "employers/<uuid:uuid>/contact/",
        employer_views.employer_contact_view,
        name="employer-contact",
    ),
]
