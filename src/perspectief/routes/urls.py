from django.urls import path

from . import views

app_name = "routes"

urlpatterns = [
    path("", views.offer_list_view, name="offers"),
    path("new/", views.offer_create_view, name="offer-create"),
    path("<uuid:uuid>/", views.offer_detail_view, name="offer"),
    path("<uuid:uuid>/edit/", views.offer_edit_view, name="offer-edit"),
    path("<uuid:uuid>/action/", views.offer_action_view, name="offer-action"),
]
