from django.urls import path

from . import views

#: The namespace is the one the pages have always used (``routes:offers``...): the
#: catalogue was part of the routes app, and URL names do not change with the code's place.
app_name = "routes"

urlpatterns = [
    path("", views.offer_list_view, name="offers"),
    path("new/", views.offer_create_view, name="offer-create"),
    path("<uuid:uuid>/", views.offer_detail_view, name="offer"),
    path("<uuid:uuid>/edit/", views.offer_edit_view, name="offer-edit"),
    path("<uuid:uuid>/action/", views.offer_action_view, name="offer-action"),
]
