from django.shortcuts import redirect

from perspectief.core.authz import NATIONAL_ROLES
from perspectief.core.policies import log_denied
from perspectief.regions.models import Region

from .actor import actor_for

SESSION_MEMBERSHIP = "perspectief_membership"
SESSION_REGION = "perspectief_region"

#: Paths a signed-in user may reach before passing the second factor.
OTP_EXEMPT = ("/accounts/login/", "/accounts/logout/", "/accounts/2fa/", "/static/", "/i18n/")


class DeniedRequestLogMiddleware:
    """Every refused request (403) is one line in the security log: the views that refuse
    through :func:`policies.deny` have written it, this writes it for those that refuse
    otherwise (a service's PermissionDeniedError, a failed CSRF check). Django's own lines
    for them, with a traceback each, are left out of the log (core.logging.OneLineRefusals):
    a flood of denied requests must not flood the log."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code == 403:
            log_denied(request, getattr(request, "_denial_reason", "refused"))
        return response


def resolve_actor(request):
    """The actor for this session: the chosen membership (or the first active one), and
    for national roles the chosen region."""
    memberships = list(
        request.user.memberships.active()
        .select_related("organisation__region", "user")
        .order_by("organisation__name", "role")
    )
    request.memberships = memberships  # the context switcher shows them without a query
    chosen = request.session.get(SESSION_MEMBERSHIP)
    membership = next((m for m in memberships if str(m.uuid) == chosen), None)
    if membership is None and chosen:
        # The chosen role was withdrawn (or its organisation deactivated): the session no
        # longer acts in it, from this request on.
        request.session.pop(SESSION_MEMBERSHIP, None)
    if not memberships:
        return None
    membership = membership or memberships[0]
    region = None
    if membership.role in NATIONAL_ROLES and request.session.get(SESSION_REGION):
        region = Region.objects.filter(code=request.session[SESSION_REGION]).first()
    return actor_for(membership, region=region)


class ActorMiddleware:
    """Sets ``request.actor``; sends staff who have not passed the second factor to it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.actor = None
        user = request.user
        if user.is_authenticated:
            if user.needs_second_factor and not user.is_verified():
                if not request.path.startswith(OTP_EXEMPT) and not request.path.startswith("/api/"):
                    return redirect("accounts:otp")
            else:
                request.actor = resolve_actor(request)
        return self.get_response(request)
