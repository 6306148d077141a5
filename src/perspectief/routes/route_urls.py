from django.urls import path

from . import route_views as views

app_name = "route"

urlpatterns = [
    path("", views.routes_home_view, name="home"),
    path("start/<uuid:uuid>/", views.route_start_view, name="start"),
    path("course/<uuid:uuid>/", views.course_add_view, name="course-add"),
    path("cohort/<uuid:uuid>/", views.cohort_course_view, name="cohort-course"),
    path("stuck/", views.stuck_view, name="stuck"),
    path("templates/", views.templates_view, name="templates"),
    path("templates/new/", views.template_edit_view, name="template-new"),
    path("templates/<uuid:uuid>/", views.template_edit_view, name="template"),
    path("support/", views.support_list_view, name="support"),
    path("support/<uuid:uuid>/", views.support_plan_view, name="support-plan"),
    path("steps/<uuid:uuid>/", views.step_action_view, name="step-action"),
    path("steps/<uuid:uuid>/edit/", views.step_edit_view, name="step-edit"),
    path("<uuid:uuid>/", views.route_detail_view, name="detail"),
    path("<uuid:uuid>/steps/new/", views.step_add_view, name="step-add"),
]
