"""A text field that suggests ESCO occupations or skills as people type (htmx, no SPA).

:class:`ConceptInput` is a text input, so what a form stores stays what it was (the form
resolves the typed label to the concept). With JavaScript, htmx asks
:func:`perspectief.taxonomy.views.concept_suggestions_view` for suggestions while the person
types and shows them as a list of buttons under the field; choosing one puts its label in
the field (for a field of several values, separated by ";", in place of the part being
typed). Without JavaScript the field is a plain text field, as before.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django import forms
from django.forms.utils import flatatt
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.safestring import SafeString

from .constants import ConceptKind


def suggestions_url(*, kind: str, field: str, name: str, multiple: bool, described: str) -> str:
    """Where the input asks for suggestions; the parameters say how to draw them."""
    query = {"kind": kind, "field": field, "name": name, "multiple": "1" if multiple else "0"}
    if described:
        query["describedby"] = described
    return f"{reverse('concept-suggestions')}?{urlencode(query)}"


def render_input(
    *,
    kind: str,
    name: str,
    field: str,
    value: str,
    multiple: bool,
    described: str,
    attrs: dict | None = None,
    autofocus: bool = False,
) -> SafeString:
    """The input with its (empty) list of suggestions, as the widget and a choice draw it."""
    attrs = dict(attrs or {})
    attrs.pop("id", None)
    attrs.pop("aria-describedby", None)
    status = f"{field}-suggestions-status"
    context = {
        "kind": kind,
        "name": name,
        "field": field,
        "value": value,
        "attrs": flatatt(attrs),
        "describedby": f"{described} {status}".strip(),
        "url": suggestions_url(
            kind=kind, field=field, name=name, multiple=multiple, described=described
        ),
        "autofocus": autofocus,
    }
    return SafeString(render_to_string("taxonomy/_concept_input.html", context))


class ConceptInput(forms.TextInput):
    """A text input for an ESCO occupation or skill (``multiple``: several, ``;`` between),
    with suggestions as the person types."""

    def __init__(self, *, kind: str, multiple: bool = False, attrs: dict | None = None):
        if kind not in ConceptKind.values or kind == ConceptKind.ISCO_GROUP:
            raise ValueError(f"kind must be occupation or skill, not {kind!r}")
        super().__init__(attrs)
        self.kind, self.multiple = kind, multiple

    def render(self, name, value, attrs=None, renderer=None):
        attrs = self.build_attrs(self.attrs, attrs)
        field = attrs.get("id") or f"id_{name}"
        return render_input(
            kind=self.kind,
            name=name,
            field=field,
            value=self.format_value(value) or "",
            multiple=self.multiple,
            described=attrs.get("aria-describedby", ""),
            attrs=attrs,
        )
