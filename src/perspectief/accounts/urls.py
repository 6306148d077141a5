from django.urls import path

from . import manage_views, views

app_name = "accounts"

urlpatterns = [
    path("login/", views.login_view, name="login"),
    path("logout/", views.logout_view, name="logout"),
    path("2fa/", views.otp_view, name="otp"),
    path("2fa/setup/", views.otp_setup_view, name="otp-setup"),
    path("password/<uidb64>/<token>/", views.password_set_view, name="password-set"),
    path("profile/", views.profile_view, name="profile"),
    path("profile/tokens/", views.token_create_view, name="token-create"),
    path("profile/tokens/<uuid:uuid>/revoke/", views.token_revoke_view, name="token-revoke"),
    path("context/", views.context_view, name="context"),
    path("manage/users/", manage_views.user_list_view, name="manage-users"),
    path("manage/users/new/", manage_views.user_create_view, name="manage-user-create"),
    path("manage/users/<uuid:uuid>/", manage_views.user_detail_view, name="manage-user"),
    path(
        "manage/users/<uuid:uuid>/memberships/",
        manage_views.membership_add_view,
        name="manage-membership-add",
    ),
    path(
        "manage/users/<uuid:uuid>/password-link/",
        manage_views.password_link_view,
        name="manage-password-link",
    ),
    path(
        "manage/memberships/<uuid:uuid>/deactivate/",
        manage_views.membership_deactivate_view,
        name="manage-membership-deactivate",
    ),
]
