"""The API's OpenAPI schema as its contract at run time.

The schema that drf-spectacular generates (and that docs/api/openapi.yaml commits) says which
query parameters each operation takes, of which type, and which fields of a JSON body are
text. Requests that step outside it are refused with a 400 problem+json instead of being
ignored or coerced: an unknown filter (``/candidates?search=x``) would otherwise return
everyone, and ``"firstName": 1e999`` would be stored as the text "inf".

The schema is generated once per process, on the first API request (about half a second).
"""

from __future__ import annotations

import re
import threading
import uuid
from datetime import date

from django.utils.translation import gettext as _

_lock = threading.Lock()
_contract: tuple[dict, dict] | None = None

#: Values a boolean query parameter may have (what the views read as yes or no).
BOOLEANS = {"true", "false", "1", "0", "yes", "no"}
INTEGER = re.compile(r"^[+-]?[0-9]{1,18}$")


def _load() -> tuple[dict, dict]:
    # The one import inside a function outside tasks.py and ready(): DRF's settings load
    # this module (through the parser classes, api/parsing.py), and the schema generator
    # imports DRF's views, which read those settings — at the top it is a circular import.
    from drf_spectacular.generators import SchemaGenerator  # noqa: PLC0415

    generator = SchemaGenerator()
    schema = generator.get_schema(request=None, public=True)
    operations = {}
    for path, _regex, method, callback in generator.endpoints:
        operation = schema["paths"].get(path, {}).get(method.lower())
        view_class = getattr(callback, "cls", None)
        if operation is not None and view_class is not None:
            operations.setdefault((view_class, method.upper()), operation)
    return operations, schema.get("components", {}).get("schemas", {})


def _get() -> tuple[dict, dict]:
    global _contract
    if _contract is None:
        with _lock:
            if _contract is None:
                _contract = _load()
    return _contract


def operation(view_class, method: str) -> dict | None:
    """The schema's operation of a DRF view class and method; None when it has none (the
    schema and documentation pages, or a method the view does not allow)."""
    if view_class is None:
        return None
    return _get()[0].get((view_class, method.upper()))


# --- query parameters ---------------------------------------------------------------------


def in_range(number: int, low: int | None, high: int | None) -> bool:
    return (low is None or number >= low) and (high is None or number <= high)


def whole_number_reason(low: int | None, high: int | None) -> str:
    """What to give instead of a value that is not a whole number from ``low`` to ``high``."""
    if low is not None and high is not None:
        return _("Give a whole number from %(low)d to %(high)d.") % {"low": low, "high": high}
    if low is not None:
        return _("Give a whole number of at least %(low)d.") % {"low": low}
    return _("Give a whole number.")


def _bad_value(value: str, schema: dict) -> str | None:
    kind = schema.get("type")
    if "enum" in schema and value not in [str(v) for v in schema["enum"]]:
        return _("Unknown value %(value)s; choose from: %(choices)s.") % {
            "value": value,
            "choices": ", ".join(str(v) for v in schema["enum"]),
        }
    if kind == "integer":
        low, high = schema.get("minimum"), schema.get("maximum")
        if not INTEGER.match(value) or not in_range(int(value), low, high):
            return whole_number_reason(low, high)
    if kind == "boolean" and value not in BOOLEANS:
        return _("Give true or false.")
    if schema.get("format") == "uuid":
        try:
            uuid.UUID(value)
        except ValueError:
            return _("Give a UUID.")
    if schema.get("format") == "date":
        try:
            date.fromisoformat(value)
        except ValueError:
            return _("Give a date as YYYY-MM-DD.")
    return None


def query_problems(op: dict, query) -> list[dict]:
    """NL GOV ``invalidParams`` for the query string ``query`` (a QueryDict) of an
    operation: unknown names, repeated ones, and values not of the declared type. An empty
    value means "not given", as in the views and in HTML forms."""
    declared = {p["name"]: p for p in op.get("parameters", []) if p.get("in") == "query"}
    problems = []
    for name in query:
        values = query.getlist(name)
        spec = declared.get(name)
        if spec is None:
            reason = (
                _("Unknown parameter; this operation takes: %(names)s.")
                % {"names": ", ".join(sorted(declared))}
                if declared
                else _("Unknown parameter; this operation takes no parameters.")
            )
            problems.append({"name": name, "code": "unknown", "reason": reason})
            continue
        schema = spec.get("schema", {})
        if schema.get("type") != "array" and len(values) > 1:
            problems.append({"name": name, "code": "repeated", "reason": _("Give it once.")})
            continue
        for value in values:
            if value == "":
                continue
            reason = _bad_value(value, schema.get("items", {}) if "items" in schema else schema)
            if reason:
                problems.append({"name": name, "code": "invalid", "reason": reason})
                break
    return problems


# --- JSON bodies --------------------------------------------------------------------------


def _resolve(schema: dict, components: dict) -> dict:
    while "$ref" in schema:
        schema = components.get(schema["$ref"].rsplit("/", 1)[-1], {})
    if "allOf" in schema and len(schema["allOf"]) == 1:
        return _resolve(schema["allOf"][0], components)
    return schema


def body_problems(op: dict, data) -> dict[str, list[str]]:
    """Fields of a JSON body that the schema declares as text but that are not text
    (numbers, booleans, lists or objects), by dotted path: the serializers would otherwise
    turn ``1e999`` into "inf"."""
    content = (op.get("requestBody") or {}).get("content", {})
    spec = content.get("application/json")
    if spec is None:
        return {}
    components = _get()[1]
    problems: dict[str, list[str]] = {}
    stack = [("", spec.get("schema", {}), data)]
    while stack:
        path, schema, value = stack.pop()
        schema = _resolve(schema, components)
        if value is None:
            continue
        kind = schema.get("type")
        if kind == "string" and not isinstance(value, str):
            problems[path or "nonFieldErrors"] = [_("Give text here, in quotes.")]
        elif kind == "object" and isinstance(value, dict):
            for key, child in schema.get("properties", {}).items():
                if key in value:
                    stack.append((f"{path}.{key}" if path else key, child, value[key]))
        elif kind == "array" and isinstance(value, list):
            items = schema.get("items", {})
            for index, child in enumerate(value):
                stack.append((f"{path}.{index}" if path else str(index), items, child))
    return problems
