from django.urls import path

from .views import employers, invitations, manage, profile, sign_in

app_name = "accounts"

urlpatterns = [
    path("login/", sign_in.login_view, name="login"),
    path("logout/", sign_in.logout_view, name="logout"),
    path("2fa/", sign_in.otp_view, name="otp"),
    path("2fa/setup/", sign_in.otp_setup_view, name="otp-setup"),
    path("password/<uidb64>/<token>/", sign_in.password_set_view, name="password-set"),
    # The link in an invitation e-mail, and the page it leads to (without the token).
    path("invitation/", invitations.invitation_view, name="invitation"),
    path("invitation/<str:token>/", invitations.invitation_link_view, name="invitation-link"),
    path("profile/", profile.profile_view, name="profile"),
    path("profile/tokens/", profile.token_create_view, name="token-create"),
    path("profile/tokens/<uuid:uuid>/revoke/", profile.token_revoke_view, name="token-revoke"),
    path("context/", profile.context_view, name="context"),
    path("manage/users/", manage.user_list_view, name="manage-users"),
    path("manage/users/new/", manage.user_create_view, name="manage-user-create"),
    path("manage/users/<uuid:uuid>/", manage.user_detail_view, name="manage-user"),
    path(
        "manage/users/<uuid:uuid>/memberships/",
        manage.membership_add_view,
        name="manage-membership-add",
    ),
    path(
        "manage/users/<uuid:uuid>/password-link/",
        manage.password_link_view,
        name="manage-password-link",
    ),
    path(
        "manage/users/<uuid:uuid>/active/",
        manage.user_active_view,
        name="manage-user-active",
    ),
    path("manage/invitations/", invitations.invite_view, name="manage-invite"),
    path(
        "manage/invitations/<uuid:uuid>/resend/",
        invitations.invitation_resend_view,
        name="invitation-resend",
    ),
    path(
        "manage/invitations/<uuid:uuid>/revoke/",
        invitations.invitation_revoke_view,
        name="invitation-revoke",
    ),
    path(
        "manage/memberships/<uuid:uuid>/deactivate/",
        manage.membership_deactivate_view,
        name="manage-membership-deactivate",
    ),
]

#: Added to the ``organisations`` namespace under /organisations/ by the root urls.py: the
#: hand-over of an employer picks a membership and inviting its users makes one, which the
#: organisations app may not do.
employer_urlpatterns = [
    path(
        "employers/<uuid:uuid>/handover/",
        employers.employer_handover_view,
        name="employer-handover",
    ),
    path(
        "employers/<uuid:uuid>/invite/",
        employers.employer_invite_view,
        name="employer-invite",
    ),
]
