from django.http import HttpResponseBadRequest
from django.utils.translation import gettext as _

from .problems import problem_response


def _has_nul(data) -> bool:
    return any("\x00" in key or any("\x00" in value for value in data.getlist(key)) for key in data)


def _form_data(request):
    content_type = request.content_type or ""
    if request.method == "POST" and content_type in (
        "application/x-www-form-urlencoded",
        "multipart/form-data",
    ):
        return request.POST
    return {}


class RejectNullCharactersMiddleware:
    """A NUL character in the path or query string is never valid input; PostgreSQL cannot
    even store it. Refuse such requests with 400 at the boundary instead of failing deep
    inside a query."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path or _has_nul(request.GET) or _has_nul(_form_data(request)):
            message = _("The request contains a null character.")
            if request.path.startswith("/api/"):
                return problem_response(request, 400, message)
            return HttpResponseBadRequest(message)
        return self.get_response(request)


class ApiContractMiddleware:
    """Refuses an API request whose query string the operation's schema does not declare
    (unknown or repeated names, values not of the declared type) with a 400 problem+json,
    before the view can ignore it (see contract.py)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if not request.path.startswith("/api/"):
            return None
        from . import contract

        # HEAD runs the GET handler (Django's View), so it keeps the GET's contract.
        method = "GET" if request.method == "HEAD" else request.method
        operation = contract.operation(getattr(view_func, "cls", None), method)
        if operation is None:
            return None
        problems = contract.query_problems(operation, request.GET)
        if problems:
            return problem_response(
                request, 400, _("The request contains invalid values."), invalidParams=problems
            )
        return None
