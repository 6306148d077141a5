from django.urls import path

from . import views

app_name = "candidates"

urlpatterns = [
    path("", views.candidate_list_view, name="list"),
    path("new/", views.candidate_create_view, name="create"),
    path("<uuid:uuid>/", views.candidate_detail_view, name="detail"),
    path("<uuid:uuid>/edit/", views.candidate_edit_view, name="edit"),
    path("<uuid:uuid>/status/", views.candidate_status_view, name="status"),
    path("<uuid:uuid>/confirm-availability/", views.candidate_confirm_view, name="confirm"),
    path("<uuid:uuid>/consent/", views.candidate_consent_view, name="consent"),
    path("<uuid:uuid>/health/", views.candidate_health_view, name="health"),
]
