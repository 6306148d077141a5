import re
from urllib.parse import urlencode

from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from perspectief.core import params
from perspectief.core.authz import Permission
from perspectief.core.policies import requires

from . import search
from .constants import ConceptKind, SkillRelation
from .forms import render_input
from .models import Occupation

#: Suggestions shown under a field; occupations on the search page.
SHOWN = 8
SEARCH_RESULTS = 50
#: An element id or field name as forms make them (they are written back into the page).
_ID = re.compile(r"[A-Za-z][A-Za-z0-9_-]{0,99}")


@requires(Permission.VIEW_REFERENCE_DATA)
@require_GET
def occupation_search_view(request):
    """ESCO occupations by Dutch or English label, best first and tolerant of typos; htmx
    swaps in the result list."""
    q = (request.GET.get("q") or "").strip()
    results, message = [], ""
    if len(q) >= 2:
        try:
            found = search.suggest(q, kind=ConceptKind.OCCUPATION, limit=SEARCH_RESULTS)
        except ValidationError as exc:
            found, message = [], " ".join(exc.messages)
        by_uri = Occupation.objects.select_related("isco_group").in_bulk(
            [s.uri for s in found], field_name="uri"
        )
        results = [by_uri[s.uri] for s in found if s.uri in by_uri]
    template = (
        "taxonomy/_occupation_results.html"
        if request.headers.get("HX-Request")
        else "taxonomy/occupation_search.html"
    )
    q_shown = q if len(q) <= search.MAX_QUERY else q[:40] + "…"
    return render(request, template, {"q": q_shown, "results": results, "message": message})


@requires(Permission.VIEW_REFERENCE_DATA)
@require_GET
def occupation_detail_view(request, id):
    """One ESCO occupation with the skills it asks for (essential and optional)."""
    occupation = (
        Occupation.objects.select_related("isco_group")
        .filter(uri=f"http://data.europa.eu/esco/occupation/{id}")
        .first()
    )
    if occupation is None:
        raise Http404
    relations = occupation.skill_relations.select_related("skill").order_by("skill__label_en")
    essential = [r.skill for r in relations if r.relation == SkillRelation.ESSENTIAL]
    optional = [r.skill for r in relations if r.relation == SkillRelation.OPTIONAL]
    return render(
        request,
        "taxonomy/occupation_detail.html",
        {"occupation": occupation, "essential": essential, "optional": optional},
    )


# --- suggestions as people type (the ConceptInput widget of taxonomy/forms.py) -------------------


def _widget(request) -> dict:
    """The widget's parameters, each checked (they are written back into the page)."""
    kind = params.choice(
        request, "kind", [ConceptKind.OCCUPATION, ConceptKind.SKILL], default="occupation"
    )
    values = {}
    for name in ("field", "name"):
        value = (request.GET.get(name) or "").strip()
        if value and not _ID.fullmatch(value):
            raise params.BadParameter(
                _("“%(name)s” must be a form field's name or id.") % {"name": name}
            )
        values[name] = value
    described = (request.GET.get("describedby") or "").split()
    if not all(_ID.fullmatch(part) for part in described):
        raise params.BadParameter(_("“describedby” must be element ids."))
    field = values["field"] or "concept"
    name = values["name"] or field
    return {
        "kind": kind,
        "field": field,
        "name": name,
        "multiple": params.flag(request, "multiple"),
        "described": " ".join(described),
        "value": request.GET.get(name) or "",
    }


def _parts(value: str, multiple: bool) -> tuple[str, str]:
    """(what stays, what is being typed): for several values the part after the last ";"."""
    if not multiple:
        return "", value
    done, _sep, typing = value.rpartition(";")
    return (done + ";" if _sep else ""), typing


@requires(Permission.VIEW_REFERENCE_DATA)
@require_GET
def concept_suggestions_view(request):
    """ESCO suggestions for what is being typed in an occupation or skill field (htmx)."""
    widget = _widget(request)
    _done, typing = _parts(widget["value"], widget["multiple"])
    context = {"field": widget["field"], "q": typing.strip(), "suggestions": []}
    if typing.strip().startswith("http"):  # an ESCO URI: nothing to suggest
        context["q"] = ""
    try:
        found = search.suggest(context["q"], kind=widget["kind"], limit=SHOWN)
    except ValidationError as exc:
        if not request.headers.get("HX-Request"):
            raise params.BadParameter(exc.messages) from None
        # A message in the list's place: htmx shows no error answer.
        context["message"] = " ".join(exc.messages)
        found = []
    base = {k: widget[k] for k in ("kind", "field", "name")}
    base["multiple"] = "1" if widget["multiple"] else "0"
    if widget["described"]:
        base["describedby"] = widget["described"]
    for suggestion in found:
        pick = urlencode({**base, "label": suggestion.label})
        context["suggestions"].append(
            {
                "label": suggestion.label,
                "matched": suggestion.matched,
                "via": suggestion.matched.casefold() != suggestion.label.casefold(),
                "english_only": suggestion.english_only,
                "pick": f"{reverse('concept-pick')}?{pick}",
            }
        )
    return render(request, "taxonomy/_concept_suggestions.html", context)


@requires(Permission.VIEW_REFERENCE_DATA)
@require_GET
def concept_pick_view(request):
    """The field again with the chosen suggestion in it (in place of what was being typed),
    focused, and without suggestions (htmx swaps it in)."""
    widget = _widget(request)
    label = (request.GET.get("label") or "").strip()
    if len(label) > search.MAX_QUERY or ";" in label:
        raise params.BadParameter(_("“label” must be an ESCO label."))
    done, _typing = _parts(widget["value"], widget["multiple"])
    if widget["multiple"]:
        value = f"{done} {label}; ".lstrip() if label else widget["value"]
    else:
        value = label or widget["value"]
    html = render_input(
        kind=widget["kind"],
        name=widget["name"],
        field=widget["field"],
        value=value,
        multiple=widget["multiple"],
        described=widget["described"],
        autofocus=True,
    )
    return HttpResponse(html)
