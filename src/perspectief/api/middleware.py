from django.conf import settings
from django.http import HttpResponse, HttpResponseBadRequest
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from rest_framework.exceptions import APIException
from rest_framework.request import Request

from . import contract
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


class RequestSizeLimitMiddleware:
    """Refuses a request whose declared body is over ``MAX_REQUEST_BYTES`` with 413, before
    a byte of it is read: a 2 GB upload is not first written to disk to be turned down by
    the form. (A body without a declared length is bounded by the server and the proxy.)"""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            size = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            size = 0  # Django answers a malformed length itself
        if size > settings.MAX_REQUEST_BYTES:
            megabytes = settings.MAX_REQUEST_BYTES // (1024 * 1024)
            message = _(
                "What was sent is too large (more than %(mb)s MB) and has not been read. "
                "Split a large file into smaller ones."
            ) % {"mb": megabytes}
            # The connection carries an unread body: the server closes it after answering.
            if request.path.startswith("/api/"):
                response = problem_response(request, 413, message)
            else:
                html = render_to_string("413.html", {"message": message}, request=None)
                response = HttpResponse(html, status=413)
            response["Connection"] = "close"
            return response
        return self.get_response(request)


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


def _identified(request, view_class) -> bool:
    """Whether the request carries credentials the view accepts. Who is asking is checked
    before what is asked: without them the view answers 401 (and the refusal is logged as
    such) instead of a 400 describing the operation's parameters. A token is looked up
    once more here; its last use is written at most once a minute."""
    authenticators = [auth() for auth in getattr(view_class, "authentication_classes", ())]
    # DRF writes what it finds onto the request; the view authenticates again from the
    # request as it came (a failed CSRF check must still be the view's 403).
    saved = {name: request.__dict__[name] for name in ("user", "actor") if name in request.__dict__}
    try:
        user = Request(request, authenticators=authenticators).user
    except APIException:
        user = None
    finally:
        for name in ("user", "actor"):
            request.__dict__.pop(name, None)
        request.__dict__.update(saved)
    return bool(user and user.is_authenticated)


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
        # HEAD runs the GET handler (Django's View), so it keeps the GET's contract.
        method = "GET" if request.method == "HEAD" else request.method
        view_class = getattr(view_func, "cls", None)
        operation = contract.operation(view_class, method)
        if operation is None or not _identified(request, view_class):
            return None
        problems = contract.query_problems(operation, request.GET)
        if problems:
            return problem_response(
                request, 400, _("The request contains invalid values."), invalidParams=problems
            )
        return None
