"""The functioneel beheerder answers a request for access (AVG inzage, art. 15): finds the
person (by BSN through the blind index, or by name and date of birth — with POST, so no BSN
ends up in a URL), filters the person's processings, exports them (CSV) and prints a readable
overview for the person. Every search, inspection and export is itself in the access log."""

import csv
import io

from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from perspectief.core import params
from perspectief.core.authz import Permission
from perspectief.core.exceptions import NotFoundError
from perspectief.core.policies import requires
from perspectief.core.spreadsheets import safe_cell

from .constants import (
    ACTIVITY_IN_WORDS,
    OPERATION_DONE,
    AccessResult,
    Operation,
    ProcessingActivity,
)
from .forms import PersonSearchForm
from .selectors import (
    LogFilter,
    filter_choices,
    find_people,
    inspect_person,
)


def _inspection(request, operation=Operation.READ):
    """The person, the filters and their records from the query string; ``(None, …)`` when
    no person is named. Raises ValidationError (400) and NotFoundError (404)."""
    raw = (request.GET.get("person") or "").strip()
    if not raw:
        return None, None, None
    filters = LogFilter.from_params(request.GET)
    person, records = inspect_person(
        actor=request.actor, person=raw, filters=filters, operation=operation
    )
    return person, filters, records


@requires(Permission.VIEW_ACCESS_LOG)
@require_http_methods(["GET", "POST"])
def access_log_view(request):
    """Find a person (POST) and look up every processing of their data (GET ?person=)."""
    form = PersonSearchForm(request.POST or None)
    context = {"form": form, "activities": ProcessingActivity.choices}
    status = 200
    if request.method == "POST":
        if form.is_valid():
            found = find_people(request.actor, **form.cleaned_data)
            if len(found) == 1:
                return redirect(f"{reverse('access-log')}?{urlencode({'person': found[0].uuid})}")
            context["found"] = found
        else:
            status = 400
        return render(request, "audit/access_log.html", context, status=status)
    try:
        person, filters, records = _inspection(request)
    except ValidationError as exc:
        context["error"], status = " ".join(exc.messages), 400
    except NotFoundError as exc:
        context["error"], status = str(exc.message), 404
    else:
        if person is not None:
            query = urlencode({"person": person.uuid, **filters.as_params()})
            context.update(
                {
                    "person": person,
                    "filters": filters,
                    "query": query,
                    "page": params.page(request, records, 100),
                    **filter_choices(request.actor, person),
                }
            )
    return render(request, "audit/access_log.html", context, status=status)


def _or_404(request, operation):
    try:
        person, filters, records = _inspection(request, operation)
    except NotFoundError:
        raise Http404 from None
    if person is None:
        raise Http404
    return person, filters, records


@requires(Permission.VIEW_ACCESS_LOG)
@require_GET
def access_log_export_view(request):
    """The person's processings (within the filters) as CSV, in words, for the file."""
    try:
        _person, _filters, records = _or_404(request, Operation.EXPORT)
    except ValidationError as exc:
        return HttpResponse(" ".join(exc.messages), status=400, content_type="text/plain")
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(
        [
            _("Time"),
            _("Processing activity"),
            _("Operation"),
            _("Organisation"),
            _("Role"),
            _("User"),
            _("Channel"),
            _("Result"),
            _("Trace"),
        ]
    )
    local = timezone.get_current_timezone()
    for r in records.iterator():
        writer.writerow(
            [
                r.started_at.astimezone(local).strftime("%Y-%m-%d %H:%M:%S"),
                safe_cell(r.get_activity_display()),
                safe_cell(r.get_operation_display()),
                safe_cell(r.organisation_name),
                safe_cell(r.role_label),
                safe_cell(r.actor_display),
                safe_cell(r.channel),
                safe_cell(r.get_result_display()),
                r.trace_id,
            ]
        )
    response = HttpResponse("\ufeff" + out.getvalue(), content_type="text/csv; charset=utf-8")
    day = timezone.localdate().isoformat()
    response["Content-Disposition"] = f'attachment; filename="verwerkingen-{day}.csv"'
    response["Cache-Control"] = "no-store"
    return response


@requires(Permission.VIEW_ACCESS_LOG)
@require_GET
def access_log_overview_view(request):
    """A readable overview for the person, in Dutch: what of their data was processed, by
    which organisation, for which purpose and when. Refused and failed attempts are left
    out (nothing of the person was processed); the CSV has everything."""
    try:
        person, filters, records = _or_404(request, Operation.EXPORT)
    except ValidationError as exc:
        return HttpResponse(" ".join(exc.messages), status=400, content_type="text/plain")
    with translation.override("nl"):
        done = records.filter(result=AccessResult.OK).order_by("started_at", "id")
        rows, summary = [], {}
        for r in done.iterator():
            what, why = ACTIVITY_IN_WORDS.get(r.activity, (r.get_activity_display(), ""))
            organisation = r.organisation_name or _("the platform itself")
            row = {
                "when": r.started_at,
                "organisation": organisation,
                "role": r.role_label,
                "what": str(what),
                "done": str(OPERATION_DONE.get(r.operation, r.get_operation_display())),
                "why": str(why),
            }
            rows.append(row)
            key = (organisation, row["what"], row["done"], row["why"])
            entry = summary.setdefault(key, {"count": 0, "first": r.started_at})
            entry["count"] += 1
            entry["last"] = r.started_at
        context = {
            "person": person,
            "filters": filters,
            "rows": rows,
            "summary": [
                {"organisation": k[0], "what": k[1], "done": k[2], "why": k[3], **v}
                for k, v in sorted(summary.items(), key=lambda kv: (kv[0][0].lower(), kv[0][1]))
            ],
            "made_on": timezone.localdate(),
        }
        response = render(request, "audit/access_overview.html", context)
    response["Cache-Control"] = "no-store"
    return response
