from .access import scope
from .constants import AccessResult


def result_for_status(status: int) -> str:
    if status < 400:
        return AccessResult.OK
    if status in (401, 403):
        return AccessResult.DENIED
    if status == 404:
        return AccessResult.NOT_FOUND
    return AccessResult.ERROR


class AccessLogMiddleware:
    """Opens an access-log scope per request and writes its records when the response is
    ready, or when the view raised, outside the view's transaction."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with scope(request=f"{request.method} {request.path}") as outcome:
            response = self.get_response(request)
            outcome["result"] = result_for_status(response.status_code)
            return response
