"""Pages of the instruments app: applications (see instruments/urls/__init__.py)."""

from django.urls import path

from ..views import applications

urlpatterns: list = [
    path("applications/", applications.application_list_view, name="application-list"),
    path("applications/new/", applications.application_new_view, name="application-new"),
    path(
        "applications/<uuid:uuid>/",
        applications.application_detail_view,
        name="application-detail",
    ),
    path(
        "hires/<uuid:uuid>/applications/",
        applications.hire_applications_view,
        name="hire-applications",
    ),
]
