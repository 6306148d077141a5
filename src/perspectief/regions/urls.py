from django.urls import path

from . import views

app_name = "regions"

urlpatterns = [
    path("", views.region_list_view, name="list"),
    path("<str:code>/", views.region_detail_view, name="detail"),
    path("<str:code>/centrumgemeente/", views.region_centrumgemeente_view, name="centrumgemeente"),
]
