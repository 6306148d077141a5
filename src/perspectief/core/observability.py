"""One middleware that makes every request observable: a request id, one log line, metrics.

- **Request id.** The proxy's ``X-Request-ID`` is taken when it looks like an id (letters,
  digits, ``.``, ``_``, ``-``; 8 to 128 characters: nginx's ``$request_id``, a uuid);
  anything else is replaced by a new one. It is bound into the log context
  (``structlog.contextvars``), so every line logged while the request is served carries
  ``request_id``, and it is sent back in the answer's ``X-Request-ID``.
- **Request log.** One line per request on the ``perspectief.requests`` logger: ``request``
  with ``method``, ``route`` (the URL pattern's name, never the path or its query string:
  those can hold a uuid, a search for a name, a BSN), ``status``, ``duration_ms`` and
  ``request_id``. It replaces gunicorn's access log (off in deploy/gunicorn.conf.py).
- **Metrics.** :func:`perspectief.core.metrics.observe_request`.

It is the first middleware, so its duration covers all the others and it sees the final
status, also of an answer another middleware gave (a static file, a refused host).
"""

from __future__ import annotations

import logging
import re
import time
import uuid
from collections.abc import Callable

import structlog
from django.core.signals import request_finished
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponseBase

from .logging import kv
from .metrics import observe_request

request_log = logging.getLogger("perspectief.requests")

#: What a request id from the proxy may look like; anything else is replaced.
SAFE_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{8,128}")


def request_id_for(request: HttpRequest) -> str:
    offered = str(request.META.get("HTTP_X_REQUEST_ID", ""))
    if SAFE_REQUEST_ID.fullmatch(offered):
        return offered
    return uuid.uuid4().hex


class ObservabilityMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        request_id = request_id_for(request)
        request.request_id = request_id  # type: ignore[attr-defined]  # for views and errors
        # Unbound when the request is finished (:func:`forget_request_id`), not here: Django
        # logs a 4xx or 5xx answer (django.request) after the middleware returned it.
        structlog.contextvars.bind_contextvars(request_id=request_id)
        started = time.perf_counter()
        response = self.get_response(request)
        seconds = time.perf_counter() - started
        route = observe_request(request, response.status_code, seconds)
        request_log.info(
            kv(
                "request",
                method=request.method,
                route=route,
                status=response.status_code,
                duration_ms=round(seconds * 1000, 1),
                request_id=request_id,
            )
        )
        response["X-Request-ID"] = request_id
        return response


@receiver(request_finished, dispatch_uid="perspectief.observability.forget_request_id")
def forget_request_id(**kwargs: object) -> None:
    """The request is answered and closed: lines logged after it no longer carry its id."""
    structlog.contextvars.unbind_contextvars("request_id")
