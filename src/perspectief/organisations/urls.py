from django.urls import path

from .views import employer_details, employers, organisations

app_name = "organisations"

# "employers/<uuid>/handover/" (``employer-handover``) is in this namespace too: the root
# urls.py adds it from accounts, which knows the memberships an employer is handed over to.

urlpatterns = [
    path("", organisations.organisation_list_view, name="list"),
    path("new/", organisations.organisation_create_view, name="create"),
    path("employers/", employers.employer_list_view, name="employers"),
    path("employers/new/", employers.employer_create_view, name="employer-create"),
    path("employers/<uuid:uuid>/", employers.employer_detail_view, name="employer"),
    path("employers/<uuid:uuid>/claim/", employers.employer_claim_view, name="employer-claim"),
    path(
        "employers/<uuid:uuid>/release/",
        employers.employer_release_view,
        name="employer-release",
    ),
    path(
        "employers/<uuid:uuid>/contact/",
        employers.employer_contact_view,
        name="employer-contact",
    ),
    # Changing the employer, its locations and its contact persons (employer_details.py).
    path("employers/<uuid:uuid>/edit/", employer_details.employer_edit_view, name="employer-edit"),
    path(
        "employers/<uuid:uuid>/locations/new/",
        employer_details.location_view,
        name="employer-location-new",
    ),
    path(
        "employers/<uuid:uuid>/locations/<int:pk>/",
        employer_details.location_view,
        name="employer-location",
    ),
    path(
        "employers/<uuid:uuid>/locations/<int:pk>/remove/",
        employer_details.location_remove_view,
        name="employer-location-remove",
    ),
    path(
        "employers/<uuid:uuid>/contact-persons/new/",
        employer_details.contact_person_view,
        name="employer-person-new",
    ),
    path(
        "employers/<uuid:uuid>/contact-persons/<int:pk>/",
        employer_details.contact_person_view,
        name="employer-person",
    ),
    path(
        "employers/<uuid:uuid>/contact-persons/<int:pk>/remove/",
        employer_details.contact_person_remove_view,
        name="employer-person-remove",
    ),
]
