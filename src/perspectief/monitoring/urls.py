from django.urls import path

from .views import dashboard, exports, national, plans

app_name = "monitoring"

urlpatterns = [
    path("", dashboard.dashboard_view, name="dashboard"),
    path("list/<slug:key>/", dashboard.drill_view, name="drill"),
    path("plan/", plans.plan_view, name="plan"),
    path("plan/new/", plans.plan_edit_view, name="plan-new"),
    path("plan/<uuid:uuid>/edit/", plans.plan_edit_view, name="plan-edit"),
    path("plan/<uuid:uuid>/action/", plans.plan_action_view, name="plan-action"),
    path("export.<slug:fmt>", exports.export_view, name="export"),
    path("report/<int:year>/<int:quarter>/", exports.report_view, name="report"),
    path("market/", dashboard.market_view, name="market"),
    path("national/", national.national_view, name="national"),
    path("national/trend/", national.national_trend_view, name="national-trend"),
    path("national/export.<slug:fmt>", national.national_export_view, name="national-export"),
    path(
        "national/<str:code>/report/<int:year>/<int:quarter>/",
        national.national_report_view,
        name="national-report",
    ),
]
