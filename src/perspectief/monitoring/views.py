"""The PoW-dashboard of a region, its action plan, the drill-down to the people behind a
number (for those who may see them), and the national comparison for the ministry."""

from __future__ import annotations

import functools
from datetime import date, timedelta

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from perspectief.candidates.models import Candidate
from perspectief.candidates.selectors import people as candidate_selectors
from perspectief.core import params
from perspectief.core.authz import Permission
from perspectief.core.dates import add_months
from perspectief.core.exceptions import DomainError, user_message
from perspectief.core.ids import parse_uuid
from perspectief.core.policies import deny, requires
from perspectief.regions.models import Region

from . import disclosure, indicators, narrowed, plans, report
from .constants import ActivityStatus, PlanStatus
from .forms import ActivityChangeForm, ActivityForm, DashboardFilters, PlanForm, SpendForm
from .models import ActionPlan, PlanActivity


def regional(view):
    """The region's own numbers, plan and people: only for users who act in a region (an
    organisation without one, such as an SW-bedrijf serving several, would otherwise read
    "no region" as "every region")."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.actor.region_id:
            deny(request, "no_region")
        return view(request, *args, **kwargs)

    return wrapper


def _filters(request, region_id, plan):
    form = params.form(request, DashboardFilters, region_id=region_id)
    start, end = form.period(plan)
    data = form.cleaned_data if form.is_bound else {}
    municipality = data.get("municipality")
    f = indicators.Filters(
        start,
        end,
        region_id=region_id,
        municipality_id=municipality.pk if municipality else None,
        target_group=data.get("target_group") or "",
        sector=data["sector"].code if data.get("sector") else "",
        activity=data.get("activity"),
    )
    # Below region level: one completed quarter, never an arbitrary or running period
    # (two overlapping periods would give a hidden number away by subtraction).
    f.quarter = form.quarter_period()
    if _narrowed(f):
        f.start, f.end = f.quarter
    return form, f


#: The tables of matches below region level the dashboard and its export show.
BREAKDOWNS = ("municipality", "target_group", "sector")


def _breakdowns(tables: narrowed.Tables, f: indicators.Filters) -> dict[str, narrowed.Table]:
    """The region's suppressed tables for the filters' completed quarter."""
    return {dimension: tables.get(dimension, *f.quarter) for dimension in BREAKDOWNS}


def recent_quarters(count: int = 2) -> list[tuple[int, int, bool]]:
    """The current quarter and the ones before it, newest first: (year, quarter, whether
    its report is provisional — running, or not yet settled)."""
    today = timezone.localdate()
    year, quarter = today.year, (today.month - 1) // 3 + 1
    out = []
    for _i in range(count):
        out.append((year, quarter, disclosure.provisional(report.quarter_bounds(year, quarter)[1])))
        year, quarter = (year - 1, 4) if quarter == 1 else (year, quarter - 1)
    return out


#: Rows a drill-down shows at most (the count says how many more there are).
DRILL_LIMIT = 500


def _narrowed(f: indicators.Filters) -> bool:
    return bool(f.narrowing())


def bars(series: list[tuple], width=640, height=200) -> dict:
    """Coordinates of an SVG bar chart (rendered by the app itself)."""
    if not series:
        return {}
    top = max((v for _k, v in series), default=0) or 1
    step = (width - 50) / len(series)
    out = []
    for i, (key, value) in enumerate(series):
        h = (height - 40) * value / top
        out.append(
            {
                "key": key,
                "value": value,
                "x": round(40 + i * step + step * 0.15, 1),
                "y": round(height - 20 - h, 1),
                "w": round(step * 0.7, 1),
                "h": round(h, 1),
            }
        )
    return {"width": width, "height": height, "bars": out, "top": top}


@requires(Permission.VIEW_INDICATORS)
@regional
@require_GET
def dashboard_view(request):
    actor = request.actor
    region_id = actor.region_id
    plan = plans.plan_for(region_id)
    form, f = _filters(request, region_id, plan)
    tables = narrowed.Tables(region_id)
    shown = tables.counts(f)
    is_narrowed = _narrowed(f)
    lead_time = indicators.lead_time_days(f) if shown["matches"] is not None else None
    today = timezone.localdate()
    context = {
        "form": form,
        "filters": f,
        "plan": plan,
        "cards": [(key, indicators.LABELS[key], shown[key]) for key in indicators.KEYS],
        "funnel": indicators.funnel(shown),
        "lead_time": lead_time,
        "chart": bars(indicators.by_month(f) if not is_narrowed else []),
        "breakdowns": {
            dimension: (table.column("matches"), table.hidden("matches"))
            for dimension, table in _breakdowns(tables, f).items()
        },
        "breakdown_period": f.quarter,
        "narrowed": is_narrowed,
        "min_cell": disclosure.min_cell(),
        "may_drill": actor.has_perm(Permission.VIEW_CANDIDATES),
        "may_manage": actor.has_perm(Permission.MANAGE_PLANS),
        "wsp": indicators.wsp(region_id, f.start, f.end),
        "query": request.GET.urlencode(),
        "quarters": recent_quarters(),
    }
    if plan is not None:
        context["progress"] = indicators.progress(plan, today=today)
        context["budget"] = indicators.budget(plan)
        context["activity_quarters"] = narrowed.activity_matches(
            plan, context["budget"], tables, today=today
        )
        context["parts"] = [
            {**row, "label": plans.ambition_label(row["part"])}
            for row in narrowed.ambition_parts(plan, tables, today=today)
        ]
    return render(request, "monitoring/dashboard.html", context)


@requires(Permission.VIEW_CANDIDATES)
@regional
@require_GET
def drill_view(request, key):
    """The transitions behind one number: the people the actor may see (each in the access
    log), and how many more there are that other organisations serve."""
    if key not in indicators.KEYS:
        raise Http404()
    actor = request.actor
    plan = plans.plan_for(actor.region_id)
    _form, f = _filters(request, actor.region_id, plan)
    behind = indicators.transitions(f, key).select_related("candidate", "organisation")
    visible = set(
        Candidate.objects.visible_to(actor)
        .filter(pk__in=behind.values("candidate_id"))
        .values_list("pk", flat=True)
    )
    served = set(
        Candidate.objects.served_by(actor.organisation)
        .filter(pk__in=visible)
        .values_list("pk", flat=True)
    )
    people = indicators.PEOPLE[key]
    # The card counts people (each once) or events; the list counts the same way. Below the
    # region the card is a suppressed cell, and the count of the rest comes from it: hidden
    # with it, so that the list adds no number the card does not show.
    total = narrowed.Tables(actor.region_id).counts(f)[key]
    mine = len(visible) if people else behind.filter(candidate_id__in=visible).count()
    rows, seen = [], set()
    for transition in behind.filter(candidate_id__in=visible).order_by("-occurred_on", "-id"):
        if people and transition.candidate_id in seen:
            continue
        seen.add(transition.candidate_id)
        if len(rows) == DRILL_LIMIT:
            break
        level = (
            candidate_selectors.FULL
            if transition.candidate_id in served
            else candidate_selectors.PARTNER
        )
        candidate_selectors.log_read(actor, transition.candidate, level)
        rows.append((transition, level))
    return render(
        request,
        "monitoring/drill.html",
        {
            "key": key,
            "label": indicators.LABELS[key],
            "filters": f,
            "rows": rows,
            "hidden": None if total is None else total - mine,
            "more": mine - len(rows),
            "min_cell": disclosure.min_cell(),
            "query": request.GET.urlencode(),
        },
    )


# --- the plan -------------------------------------------------------------------------------


@requires(Permission.VIEW_INDICATORS)
@regional
@require_GET
def plan_view(request):
    actor = request.actor
    all_plans = ActionPlan.objects.filter(region_id=actor.region_id).select_related("lead")
    plan = plans.plan_for(actor.region_id)
    context = {
        "plans": all_plans,
        "plan": plan,
        "may_manage": actor.has_perm(Permission.MANAGE_PLANS),
        "min_cell": disclosure.min_cell(),
    }
    if plan is not None:
        revisions = list(plan.revisions.select_related("revised_by"))
        for revision in revisions:
            revision.changed = [str(plans.CHANGE_LABELS.get(k, k)) for k in revision.changes]
        budget = indicators.budget(plan)
        context.update(
            revisions=revisions,
            ambitions=[(plans.ambition_label(a), a.matches) for a in plan.ambitions.all()],
            budget=budget,
            activity_quarters=narrowed.activity_matches(
                plan, budget, narrowed.Tables(actor.region_id), today=timezone.localdate()
            ),
            partners=plan.partners.order_by("name"),
        )
        if context["may_manage"]:
            context["activity_form"] = ActivityForm(region_id=actor.region_id, prefix="act")
            context["spend_form"] = SpendForm(prefix="sp")
            context["activity_statuses"] = ActivityStatus.choices
    return render(request, "monitoring/plan.html", context)


@requires(Permission.MANAGE_PLANS)
@regional
def plan_edit_view(request, uuid=None):
    actor = request.actor
    plan = None
    if uuid is not None:
        plan = get_object_or_404(ActionPlan.objects.filter(region_id=actor.region_id), uuid=uuid)
    initial = PlanForm.initial_for(plan) if plan else {"lead": _centrumgemeente(actor)}
    form = PlanForm(request.POST or None, initial=initial, region_id=actor.region_id)
    if request.method == "POST" and form.is_valid():
        try:
            saved = plans.plan_save(
                actor=actor,
                data=form.plan_input(),
                plan=plan,
                reason=form.cleaned_data.get("reason") or "",
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(
                request, _("The action plan is saved (version %(v)s).") % {"v": saved.version}
            )
            return redirect("monitoring:plan")
    return render(request, "monitoring/plan_form.html", {"form": form, "plan": plan})


def _centrumgemeente(actor):
    """The gemeente organisation of the region's centrumgemeente (the usual lead)."""
    from perspectief.organisations.models import Organisation

    region = Region.objects.filter(pk=actor.region_id).first()
    if region is None or region.centrumgemeente_id is None:
        return None
    lead = Organisation.objects.filter(
        kind="gemeente", municipality_id=region.centrumgemeente_id, is_active=True
    ).first()
    return lead.pk if lead else None


@requires(Permission.MANAGE_PLANS)
@regional
@require_POST
def plan_action_view(request, uuid):
    """Put in force or close the plan; add an activity; record spend."""
    actor = request.actor
    plan = get_object_or_404(ActionPlan.objects.filter(region_id=actor.region_id), uuid=uuid)
    action = request.POST.get("action")
    try:
        if action in (PlanStatus.ACTIVE, PlanStatus.CLOSED):
            plans.plan_set_status(
                actor=actor, plan=plan, status=action, reason=request.POST.get("reason", "")
            )
            messages.success(request, _("The plan's status is changed."))
        elif action == "activity":
            form = ActivityForm(request.POST, region_id=actor.region_id, prefix="act")
            if not form.is_valid():
                raise ValidationError([str(e) for errs in form.errors.values() for e in errs])
            plans.activity_save(
                actor=actor,
                plan=plan,
                data=form.activity_input(),
                reason=form.cleaned_data.get("reason") or "",
            )
            messages.success(request, _("Activity added."))
        elif action == "activity-change":
            activity = get_object_or_404(
                PlanActivity.objects.filter(plan=plan),
                uuid=parse_uuid(request.POST.get("activity")),
            )
            form = ActivityChangeForm(request.POST)
            if not form.is_valid():
                raise ValidationError([str(e) for errs in form.errors.values() for e in errs])
            plans.activity_save(
                actor=actor,
                plan=plan,
                data=form.activity_input(activity),
                activity=activity,
                reason=form.cleaned_data.get("reason") or "",
            )
            messages.success(request, _("Activity changed."))
        elif action == "spend":
            activity = get_object_or_404(
                PlanActivity.objects.filter(plan=plan),
                uuid=parse_uuid(request.POST.get("activity")),
            )
            form = SpendForm(request.POST, prefix="sp")
            if not form.is_valid():
                raise ValidationError([str(e) for errs in form.errors.values() for e in errs])
            plans.spend_record(actor=actor, activity=activity, **form.cleaned_data)
            messages.success(request, _("Spend recorded."))
        else:
            messages.error(request, _("Unknown action."))
    except (ValidationError, DomainError) as exc:
        messages.error(request, user_message(exc))
    return redirect("monitoring:plan")


# --- the national comparison ----------------------------------------------------------------


def _national_quarter(request) -> tuple[int, int]:
    """The completed calendar quarter the ministry asks for (default: the last one)."""
    choices = disclosure.completed_quarters()
    offered = [f"{year}-{quarter}" for year, quarter in choices]
    raw = params.choice(request, "quarter", offered, default=offered[0])
    return choices[offered.index(raw)]


@requires(Permission.NATIONAL_INDICATORS)
@require_GET
def national_view(request):
    year, quarter = _national_quarter(request)
    start, end = report.quarter_bounds(year, quarter)
    regions, shown, totals = disclosure.national_table(start, end)
    return render(
        request,
        "monitoring/national.html",
        {
            "quarter_options": [(f"{y}-{q}", y, q) for y, q in disclosure.completed_quarters()],
            "selected": f"{year}-{quarter}",
            "year": year,
            "quarter": quarter,
            "start": start,
            "end": end,
            "rows": [(r, [shown[r.code][k] for k in indicators.KEYS]) for r in regions],
            "totals": [totals[k] for k in indicators.KEYS],
            "labels": [indicators.LABELS[k] for k in indicators.KEYS],
            "min_cell": disclosure.min_cell(),
        },
    )


# --- exports, the quarterly report, the labour-market picture -------------------------------

EXPORT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _download(content: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


def _export(rows, fmt: str, name: str) -> HttpResponse:
    if fmt not in EXPORT_TYPES:
        raise Http404()
    content = report.as_csv(rows) if fmt == "csv" else report.as_xlsx(rows, name)
    return _download(content, EXPORT_TYPES[fmt], f"{name}.{fmt}")


@requires(Permission.VIEW_INDICATORS)
@regional
@require_GET
def export_view(request, fmt):
    """The dashboard's numbers as a file, with the filters and suppression of the page, and
    the region's suppressed tables below region level for the filters' quarter."""
    actor = request.actor
    plan = plans.plan_for(actor.region_id)
    _form, f = _filters(request, actor.region_id, plan)
    tables = narrowed.Tables(actor.region_id)
    counts = tables.counts(f)
    region = Region.objects.get(pk=actor.region_id)
    rows = [[_("Region"), _("From"), _("Until"), _("Narrowed to"), _("Indicator"), _("Number")]]
    shown_as = narrowed.describe(f)
    any_provisional = disclosure.provisional(f.end)
    rows += [
        [region.code, f.start, f.end, shown_as, str(indicators.LABELS[k]), counts[k]]
        for k in indicators.KEYS
    ]
    if not _narrowed(f):
        matches = str(indicators.LABELS["matches"])
        rows += [
            [region.code, month, add_months(month, 1) - timedelta(days=1), "", matches, n]
            for month, n in indicators.by_month(f)
        ]
    for dimension, table in _breakdowns(tables, f).items():
        keys = indicators.KEYS if dimension in ("municipality", "target_group") else ["matches"]
        for value, cells in sorted(table.cells.items(), key=lambda t: table.labels[t[0]]):
            for k in keys:
                rows.append(
                    [
                        region.code,
                        table.start,
                        table.end,
                        f"{indicators.DIMENSIONS[dimension]}: {table.labels[value]}",
                        str(indicators.LABELS[k]),
                        cells[k],
                    ]
                )
    # Whether each row can still change: its period runs, or has not settled (see
    # disclosure.provisional); the file's name says so when any row is provisional.
    rows[0].append(_("Status"))
    for row in rows[1:]:
        row.append(_("provisional") if disclosure.provisional(row[2]) else _("final"))
    rows = [[_cell_text(v) for v in row] for row in rows]
    mark = "-voorlopig" if any_provisional else ""
    return _export(rows, fmt, f"pow-{region.code}-{f.start:%Y%m%d}-{f.end:%Y%m%d}{mark}")


def _cell_text(value):
    if value is None:
        return disclosure.MARK
    return value.isoformat() if isinstance(value, date) else value


@requires(Permission.NATIONAL_INDICATORS)
@require_GET
def national_export_view(request, fmt):
    year, quarter = _national_quarter(request)
    start, end = report.quarter_bounds(year, quarter)
    regions, shown, totals = disclosure.national_table(start, end)
    rows = [[_("Region"), *[str(indicators.LABELS[k]) for k in indicators.KEYS]]]
    rows += [
        [f"{r.code} {r.name}", *[_cell_text(shown[r.code][k]) for k in indicators.KEYS]]
        for r in regions
    ]
    rows.append([str(_("The Netherlands")), *[_cell_text(totals[k]) for k in indicators.KEYS]])
    return _export(rows, fmt, f"pow-regio-s-{year}-K{quarter}")


def _report(region, year, quarter, *, suppressed: bool) -> HttpResponse:
    try:
        data = report.quarterly(region, year, quarter, suppressed=suppressed)
    except ValueError:
        raise Http404() from None
    if data.start > timezone.localdate():
        raise Http404(_("This quarter has not begun."))
    return _download(
        report.render_pdf(data),
        "application/pdf",
        report.report_filename(region, year, quarter, bool(data.provisional)),
    )


@requires(Permission.VIEW_INDICATORS)
@regional
@require_GET
def report_view(request, year, quarter):
    region = get_object_or_404(Region, pk=request.actor.region_id)
    return _report(region, year, quarter, suppressed=False)


@requires(Permission.NATIONAL_INDICATORS)
@require_GET
def national_report_view(request, code, year, quarter):
    """A region's report for the ministry: completed quarters only, aggregates suppressed."""
    region = get_object_or_404(Region, code=code)
    if (year, quarter) not in disclosure.completed_quarters(400):
        raise Http404(_("Aggregates come per completed calendar quarter."))
    return _report(region, year, quarter, suppressed=True)


@requires(Permission.VIEW_INDICATORS)
@regional
@require_GET
def market_view(request):
    picture = indicators.labour_market(request.actor.region_id)
    return render(
        request,
        "monitoring/market.html",
        {"picture": picture, "min_cell": disclosure.min_cell()},
    )
