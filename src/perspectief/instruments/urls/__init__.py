"""The instruments app's pages, one module per part (under /instruments/)."""

from . import applications, authoring, catalogue, check

app_name = "instruments"

urlpatterns = (
    catalogue.urlpatterns + authoring.urlpatterns + check.urlpatterns + applications.urlpatterns
)
