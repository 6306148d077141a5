from django.urls import path

from . import views

app_name = "lessons"

urlpatterns = [
    path("", views.lesson_list_view, name="list"),
    path("new/", views.lesson_create_view, name="create"),
    path("<uuid:uuid>/", views.lesson_detail_view, name="detail"),
    path("<uuid:uuid>/edit/", views.lesson_edit_view, name="edit"),
    path("<uuid:uuid>/action/", views.lesson_action_view, name="action"),
]
