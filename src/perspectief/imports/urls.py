"""The import pages of one kind, for the ``urlpatterns`` of the app whose rows they are:
``path("import/", …)`` and the rest keep the paths and names they always had (the app's
namespace: ``candidates:import``, ``vacancies:import-detail`` …)."""

from __future__ import annotations

from django.urls import URLPattern, path

from .views import views_for


def import_urls(kind: str) -> list[URLPattern]:
    """The URL patterns of the import pages of ``kind`` (a registered kind of import)."""
    views = views_for(kind)
    patterns = [path("import/", views.upload, name="import")]
    if views.mapping is not None:
        patterns.append(path("import/mappings/new/", views.mapping, name="mapping-create"))
    return [
        *patterns,
        path("import/<uuid:uuid>/", views.detail, name="import-detail"),
        path("import/<uuid:uuid>/rejected.csv", views.rejections, name="import-rejections"),
        path("import/<uuid:uuid>/resume/", views.resume, name="import-resume"),
    ]
