from django.urls import path

from . import views

app_name = "monitoring"

urlpatterns = [
    path("", views.dashboard_view, name="dashboard"),
    path("list/<slug:key>/", views.drill_view, name="drill"),
    path("plan/", views.plan_view, name="plan"),
    path("plan/new/", views.plan_edit_view, name="plan-new"),
    path("plan/<uuid:uuid>/edit/", views.plan_edit_view, name="plan-edit"),
    path("plan/<uuid:uuid>/action/", views.plan_action_view, name="plan-action"),
    path("export.<slug:fmt>", views.export_view, name="export"),
    path("report/<int:year>/<int:quarter>/", views.report_view, name="report"),
    path("market/", views.market_view, name="market"),
    path("national/", views.national_view, name="national"),
    path("national/export.<slug:fmt>", views.national_export_view, name="national-export"),
    path(
        "national/<str:code>/report/<int:year>/<int:quarter>/",
        views.national_report_view,
        name="national-report",
    ),
]
