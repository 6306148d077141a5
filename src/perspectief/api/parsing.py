"""Request parsing: a JSON parser that refuses what would otherwise fail deep inside.

(The serializers that read what people type through the same rules as forms and imports
use ``candidates.parsing.ParsingSerializerMixin``: those rules look up regions and the
taxonomy, which lie above this toolkit.)"""

import codecs
import json
import math

from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework import exceptions, parsers

from . import contract

#: No body of this API nests deeper than a few levels; deeper is refused before it can
#: exhaust the interpreter's recursion limit (a 500) anywhere downstream.
MAX_JSON_DEPTH = 32


def _depth_exceeds(data, limit: int) -> bool:
    stack = [(data, 1)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, dict | list):
            if depth > limit:
                return True
            children = node.values() if isinstance(node, dict) else node
            stack.extend((child, depth + 1) for child in children)
    return False


def _no_constants(name: str):
    raise ValueError(f"{name} is not valid JSON")


def _finite(text: str) -> float:
    number = float(text)
    if not math.isfinite(number):
        raise ValueError("number out of range")
    return number


class JSONParser(parsers.JSONParser):
    """JSON bodies: no NaN or Infinity (also not as 1e999), at most ``MAX_JSON_DEPTH``
    levels deep, and text where the operation's schema declares text (see contract.py)."""

    def parse(self, stream, media_type=None, parser_context=None):
        parser_context = parser_context or {}
        encoding = parser_context.get("encoding", settings.DEFAULT_CHARSET)
        try:
            data = json.load(
                codecs.getreader(encoding)(stream),
                parse_constant=_no_constants,
                parse_float=_finite,
            )
        except RecursionError:
            raise exceptions.ParseError(
                _("The JSON in the request is nested too deeply.")
            ) from None
        except ValueError:
            raise exceptions.ParseError(_("The request body is not valid JSON.")) from None
        if _depth_exceeds(data, MAX_JSON_DEPTH):
            raise exceptions.ParseError(_("The JSON in the request is nested too deeply."))
        view, request = parser_context.get("view"), parser_context.get("request")
        if view is not None and request is not None:
            op = contract.operation(type(view), request.method)
            problems = contract.body_problems(op, data) if op else {}
            if problems:
                raise exceptions.ValidationError(problems)
        return data
