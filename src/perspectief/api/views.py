from django.utils.translation import gettext as _
from django.views.csrf import csrf_failure as django_csrf_failure
from django.views.decorators.csrf import csrf_exempt

from perspectief.core.policies import public

from .problems import problem_response


@public
@csrf_exempt  # it changes nothing; a POST to an unknown URL is a 404, not a CSRF page
def api_not_found(request, *args, **kwargs):
    return problem_response(request, 404, _("Not found."))


def csrf_failure(request, reason=""):
    """``CSRF_FAILURE_VIEW``: the API answers problem+json; pages keep Django's page."""
    request._denial_reason = "csrf_failed"
    if request.path.startswith("/api/"):
        return problem_response(
            request, 403, _("CSRF check failed: send the CSRF token, or use an API token.")
        )
    return django_csrf_failure(request, reason=reason)
