from django.urls import path

from .views import courses, routes, stuck, support, templates

#: The namespace the pages use (``route:detail``...); the catalogue's pages keep ``routes``.
app_name = "route"

urlpatterns = [
    path("", routes.routes_home_view, name="home"),
    path("start/<uuid:uuid>/", routes.route_start_view, name="start"),
    path("course/<uuid:uuid>/", courses.course_add_view, name="course-add"),
    path("cohort/<uuid:uuid>/", courses.cohort_course_view, name="cohort-course"),
    path("stuck/", stuck.stuck_view, name="stuck"),
    path("templates/", templates.templates_view, name="templates"),
    path("templates/new/", templates.template_edit_view, name="template-new"),
    path("templates/<uuid:uuid>/", templates.template_edit_view, name="template"),
    path("support/", support.support_list_view, name="support"),
    path("support/<uuid:uuid>/", support.support_plan_view, name="support-plan"),
    path("steps/<uuid:uuid>/", routes.step_action_view, name="step-action"),
    path("steps/<uuid:uuid>/edit/", routes.step_edit_view, name="step-edit"),
    path("<uuid:uuid>/", routes.route_detail_view, name="detail"),
    path("<uuid:uuid>/steps/new/", routes.step_add_view, name="step-add"),
]
