from django.urls import path

from perspectief.imports.urls import import_urls

from . import duplicate_views, self_views, views

app_name = "candidates"

urlpatterns = [
    path("", views.candidate_list_view, name="list"),
    path("new/", views.candidate_create_view, name="create"),
    path("me/", self_views.self_view, name="self"),
    path("me/consent/", self_views.self_consent_view, name="self-consent"),
    path("me/export/", self_views.self_export_view, name="self-export"),
    path("me/document/", self_views.self_document_view, name="self-document"),
    path("quality/", self_views.quality_view, name="quality"),
    path("<uuid:uuid>/export/", self_views.candidate_export_view, name="export"),
    path("<uuid:uuid>/document/", self_views.candidate_document_view, name="document"),
    path("<uuid:uuid>/erase/", self_views.candidate_erase_view, name="erase"),
    path("duplicates/", duplicate_views.duplicate_list_view, name="duplicates"),
    path(
        "duplicates/<uuid:uuid>/merge/",
        duplicate_views.duplicate_merge_view,
        name="duplicate-merge",
    ),
    path(
        "duplicates/<uuid:uuid>/keep-apart/",
        duplicate_views.duplicate_keep_view,
        name="duplicate-keep",
    ),
    path("merges/<uuid:uuid>/undo/", duplicate_views.merge_undo_view, name="merge-undo"),
    *import_urls("candidates"),
    path("<uuid:uuid>/", views.candidate_detail_view, name="detail"),
    path("<uuid:uuid>/edit/", views.candidate_edit_view, name="edit"),
    path("<uuid:uuid>/status/", views.candidate_status_view, name="status"),
    path("<uuid:uuid>/confirm-availability/", views.candidate_confirm_view, name="confirm"),
    path("<uuid:uuid>/consent/", views.candidate_consent_view, name="consent"),
    path("<uuid:uuid>/health/", views.candidate_health_view, name="health"),
]
