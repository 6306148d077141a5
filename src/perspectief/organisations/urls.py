from django.urls import path

from . import views

app_name = "organisations"

urlpatterns = [
    path("", views.organisation_list_view, name="list"),
    path("new/", views.organisation_create_view, name="create"),
]
