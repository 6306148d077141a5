"""Errors as ``application/problem+json`` (RFC 9457), in the request's language."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import PermissionDenied, RequestDataTooBig, TooManyFieldsSent
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, JsonResponse
from django.utils.translation import gettext as _
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from perspectief.core.exceptions import (
    DomainError,
    NotFoundError,
    PermissionDeniedError,
    RateLimitedError,
)

PROBLEM_CONTENT_TYPE = "application/problem+json"


def _title(code: int) -> str:
    titles = {
        400: _("Bad request"),
        401: _("Not authenticated"),
        403: _("Forbidden"),
        404: _("Not found"),
        405: _("Method not allowed"),
        406: _("Not acceptable"),
        413: _("Content too large"),
        415: _("Unsupported media type"),
        429: _("Too many requests"),
        500: _("Internal server error"),
    }
    return str(titles.get(code, _("Error")))


def problem(code: int, detail: str, *, instance: str = "", **extra) -> dict:
    body = {
        "type": "about:blank",
        "title": _title(code),
        "status": code,
        "detail": str(detail),
    }
    if instance:
        body["instance"] = instance
    body.update(extra)
    return body


def _invalid_params(detail) -> list[dict]:
    """Flatten DRF's error detail into NL GOV ``invalidParams``."""
    params: list[dict] = []

    def walk(node, path):
        if isinstance(node, dict):
            for key, value in node.items():
                walk(value, [*path, str(key)])
        elif isinstance(node, list):
            for item in node:
                if isinstance(item, (dict, list)):
                    walk(item, path)
                else:
                    params.append(
                        {
                            "name": ".".join(path) or "nonFieldErrors",
                            "code": getattr(item, "code", "invalid"),
                            "reason": str(item),
                        }
                    )
        else:
            params.append(
                {
                    "name": ".".join(path) or "nonFieldErrors",
                    "code": getattr(node, "code", "invalid"),
                    "reason": str(node),
                }
            )

    walk(detail, [])
    return params


def exception_handler(exc, context):
    request = context.get("request")
    instance = request.path if request is not None else ""
    if isinstance(exc, NotFoundError | Http404):
        exc = exceptions.NotFound(getattr(exc, "message", None) or _("Not found."))
    elif isinstance(exc, PermissionDeniedError | PermissionDenied):
        exc = exceptions.PermissionDenied(getattr(exc, "message", None) or _("Forbidden"))
    elif isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(
            exc.message_dict if hasattr(exc, "error_dict") else {"nonFieldErrors": exc.messages}
        )
    elif isinstance(exc, RateLimitedError):
        exc = exceptions.Throttled(detail=str(exc.message))
    elif isinstance(exc, DomainError):
        exc = exceptions.ValidationError({"nonFieldErrors": [str(exc.message)]})
    elif isinstance(exc, RequestDataTooBig | TooManyFieldsSent):
        return too_large(request)

    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        body = problem(
            response.status_code,
            _("The request contains invalid values."),
            instance=instance,
            invalidParams=_invalid_params(exc.detail),
        )
    else:
        detail = exc.detail if isinstance(exc, exceptions.APIException) else str(exc)
        body = problem(response.status_code, str(detail), instance=instance)
    headers = {
        k: v for k, v in response.items() if k in ("WWW-Authenticate", "Retry-After", "Allow")
    }
    return Response(
        body, status=response.status_code, headers=headers, content_type=PROBLEM_CONTENT_TYPE
    )


def problem_response(request, code: int, detail: str, **extra) -> JsonResponse:
    """A problem+json answer for errors raised outside DRF (unknown API URL, server error)."""
    return JsonResponse(
        problem(code, detail, instance=request.path, **extra),
        status=code,
        content_type=PROBLEM_CONTENT_TYPE,
        json_dumps_params={"ensure_ascii": False},
    )


def too_large(request) -> JsonResponse:
    """413 for a body over ``DATA_UPLOAD_MAX_MEMORY_SIZE`` (or with too many fields)."""
    megabytes = settings.DATA_UPLOAD_MAX_MEMORY_SIZE / (1024 * 1024)
    return problem_response(
        request,
        413,
        _("The request body is larger than %(size)s MB.") % {"size": f"{megabytes:.1f}"},
    )


__all__ = ["exception_handler", "problem", "problem_response", "status", "too_large"]
