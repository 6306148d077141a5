from django.utils.translation import gettext as _

from perspectief.accounts.policies import public

from .problems import problem_response


@public
def api_not_found(request, *args, **kwargs):
    return problem_response(request, 404, _("Not found."))
