from django.urls import path

from perspectief.imports.urls import import_urls

from .views import (
    consent,
    corrections,
    data_quality,
    duplicates,
    erasure,
    export,
    health,
    own_page,
    people,
)
from .views.invitations import invite_view

app_name = "candidates"

urlpatterns = [
    path("", people.candidate_list_view, name="list"),
    path("new/", people.candidate_create_view, name="create"),
    path("me/", own_page.self_view, name="self"),
    path("me/consent/", own_page.self_consent_view, name="self-consent"),
    path("me/export/", own_page.self_export_view, name="self-export"),
    path("me/document/", own_page.self_document_view, name="self-document"),
    path("me/reconfirm/", own_page.self_reconfirm_view, name="self-reconfirm"),
    path("me/access-log/", own_page.self_access_log_view, name="self-access-log"),
    path("me/correct/<slug:field>/", corrections.self_correction_view, name="self-correction"),
    path(
        "corrections/<uuid:uuid>/decide/",
        corrections.correction_decide_view,
        name="correction-decide",
    ),
    path("quality/", data_quality.quality_view, name="quality"),
    path("<uuid:uuid>/export/", export.candidate_export_view, name="export"),
    path("<uuid:uuid>/document/", export.candidate_document_view, name="document"),
    path("<uuid:uuid>/erase/", erasure.candidate_erase_view, name="erase"),
    path("duplicates/", duplicates.duplicate_list_view, name="duplicates"),
    path(
        "duplicates/<uuid:uuid>/merge/",
        duplicates.duplicate_merge_view,
        name="duplicate-merge",
    ),
    path(
        "duplicates/<uuid:uuid>/keep-apart/",
        duplicates.duplicate_keep_view,
        name="duplicate-keep",
    ),
    path("merges/<uuid:uuid>/undo/", duplicates.merge_undo_view, name="merge-undo"),
    *import_urls("candidates"),
    path("<uuid:uuid>/", people.candidate_detail_view, name="detail"),
    path("<uuid:uuid>/edit/", people.candidate_edit_view, name="edit"),
    path("<uuid:uuid>/status/", people.candidate_status_view, name="status"),
    path("<uuid:uuid>/confirm-availability/", people.candidate_confirm_view, name="confirm"),
    path("<uuid:uuid>/consent/", consent.candidate_consent_view, name="consent"),
    path("<uuid:uuid>/health/", health.candidate_health_view, name="health"),
    path("<uuid:uuid>/invitation/", invite_view, name="invite"),
]
