"""The PoW-dashboard of a region, the drill-down to the people behind a number (for those
who may see them) and the labour-market picture. The pages are thin: the numbers come from
:mod:`perspectief.monitoring.selectors`."""

from __future__ import annotations

import functools

from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from perspectief.candidates.models import Candidate
from perspectief.candidates.selectors import people as candidate_selectors
from perspectief.core import params
from perspectief.core.authz import Actor, Permission
from perspectief.core.disclosure import min_cell
from perspectief.core.policies import deny, requires
from perspectief.monitoring.forms.dashboard import DashboardFilters
from perspectief.monitoring.periods import recent_quarters
from perspectief.monitoring.selectors import indicators
from perspectief.monitoring.selectors.breakdowns import (
    Table,
    Tables,
    activity_matches,
    ambition_parts,
)
from perspectief.monitoring.selectors.instruments import instrument_summary, instrument_table
from perspectief.monitoring.selectors.market import labour_market
from perspectief.monitoring.selectors.net_effect import cached_net_effect
from perspectief.monitoring.selectors.plans import ambition_label, plan_for
from perspectief.monitoring.selectors.progress import (
    budget,
    counted_periods,
    progress,
    progress_per_year,
    years_total,
)
from perspectief.monitoring.selectors.wsp import wsp


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


def dashboard_filters(request, region_id, plan):
    """The page's filters (a form the page shows, refused as a 400 when invalid) and the
    :class:`~perspectief.monitoring.selectors.indicators.Filters` they ask for."""
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
    if f.narrowing():
        f.start, f.end = f.quarter
    return form, f


#: The tables of matches below region level the dashboard and its export show.
BREAKDOWNS = ("municipality", "target_group", "sector")


def breakdowns(tables: Tables, f: indicators.Filters) -> dict[str, Table]:
    """The region's suppressed tables for the filters' completed quarter."""
    quarter = f.quarter
    assert quarter is not None  # dashboard_filters() sets it
    tables.preload((dimension, *quarter) for dimension in BREAKDOWNS)
    return {dimension: tables.get(dimension, *quarter) for dimension in BREAKDOWNS}


#: The tables a plan's part of the dashboard adds up per completed quarter.
PLAN_TABLES = ("target_group", "sector", "activity")


def _preload(tables: Tables, f: indicators.Filters, plan, today) -> None:
    """The published tables the page shows, read in one query: the breakdowns of the
    filters' quarter and, with a plan, every completed quarter of it its parts add up."""
    keys = [(dimension, *f.quarter) for dimension in BREAKDOWNS] if f.quarter else []
    if plan is not None:
        for bounds in tables.quarters(plan.period_start, plan.period_end, today):
            keys += [(dimension, *bounds) for dimension in PLAN_TABLES]
    tables.preload(keys)


def _prefetch(f: indicators.Filters, plan, today) -> None:
    """Every period the page counts (its own, the instruments' quarter, the plan's periods)
    in one read of the region's transitions, and its matches in one more."""
    assert f.quarter is not None  # dashboard_filters() sets it
    quarter = indicators.Filters(*f.quarter, region_id=f.region_id)
    wanted = [quarter, *(counted_periods(plan, today=today) if plan is not None else [])]
    with indicators.through_the_people():
        indicators.prefetch([f, *wanted] if not f.narrowing() else wanted)
        if not f.narrowing():
            around = f.shifted(min(f.start, quarter.start), max(f.end, quarter.end))
            indicators.prefetch_matches(around)


#: Rows a drill-down shows at most (the count says how many more there are).
DRILL_LIMIT = 500


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


def _plan_context(plan, tables: Tables, today) -> dict:
    """The plan's part of the dashboard: ambition against realised (also per target group
    and sector), budget against spend per activity with the matches it contributed to."""
    plan_budget = budget(plan)
    so_far = progress(plan, today=today)
    years = progress_per_year(plan, so_far.baseline_per_year, today=today)
    return {
        "progress": so_far,
        # A plan of more than one year: the ambition and matches per plan year.
        "years": years if len(years) > 1 else [],
        "years_total": years_total(years),
        "budget": plan_budget,
        "net_effect": cached_net_effect(plan, today=today),
        "activity_quarters": activity_matches(plan, plan_budget, tables, today=today),
        "parts": [
            {**row, "label": ambition_label(row["part"])}
            for row in ambition_parts(plan, tables, today=today)
        ],
    }


@requires(Permission.VIEW_INDICATORS)
@regional
@require_GET
def dashboard_view(request):
    """The region's numbers for the filters' period (exact), or per completed quarter from
    the suppressed tables when narrowed, with the plan's progress, budget and the WSP."""
    with indicators.one_page():
        return _dashboard(request)


def _dashboard(request):
    actor = request.actor
    region_id = actor.region_id
    plan = plan_for(region_id)
    form, f = dashboard_filters(request, region_id, plan)
    today = timezone.localdate()
    tables = Tables(region_id)
    _preload(tables, f, plan, today)
    is_narrowed = bool(f.narrowing())
    _prefetch(f, plan, today)
    shown = tables.counts(f)
    lead_time = indicators.lead_time_days(f) if shown["matches"] is not None else None
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
            for dimension, table in breakdowns(tables, f).items()
        },
        "breakdown_period": f.quarter,
        # Instruments per match: a breakdown, so per completed quarter (see the selector).
        "instruments": instrument_table(region_id, *(f.quarter or (f.start, f.end))),
        "instrument_summary": None
        if is_narrowed or shown["matches"] is None
        else instrument_summary(f, matches=shown["matches"]),
        "narrowed": is_narrowed,
        "min_cell": min_cell(),
        "may_drill": actor.has_perm(Permission.VIEW_CANDIDATES),
        "may_manage": actor.has_perm(Permission.MANAGE_PLANS),
        "wsp": wsp(region_id, f.start, f.end),
        "query": request.GET.urlencode(),
        "quarters": recent_quarters(),
    }
    if plan is not None:
        context.update(_plan_context(plan, tables, today))
    return render(request, "monitoring/dashboard/dashboard.html", context)


def _drill_rows(actor: Actor, behind, visible: set, *, people: bool) -> list[tuple]:
    """The transitions of the people the actor may see, newest first (each person once
    where the card counts people), at most :data:`DRILL_LIMIT`, each read in the access
    log at the level the actor sees the person."""
    served = set(
        Candidate.objects.served_by(actor.organisation)
        .filter(pk__in=visible)
        .values_list("pk", flat=True)
    )
    rows: list[tuple] = []
    seen = set()
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
    return rows


@requires(Permission.VIEW_CANDIDATES)
@regional
@require_GET
def drill_view(request, key):
    """The transitions behind one number: the people the actor may see (each in the access
    log), and how many more there are that other organisations serve."""
    if key not in indicators.KEYS:
        raise Http404()
    actor = request.actor
    plan = plan_for(actor.region_id)
    _form, f = dashboard_filters(request, actor.region_id, plan)
    behind = indicators.transitions(f, key).select_related("candidate", "organisation")
    visible = set(
        Candidate.objects.visible_to(actor)
        .filter(pk__in=behind.values("candidate_id"))
        .values_list("pk", flat=True)
    )
    people = indicators.PEOPLE[key]
    # The card counts people (each once) or events; the list counts the same way. Below the
    # region the card is a suppressed cell, and the count of the rest comes from it: hidden
    # with it, so that the list adds no number the card does not show.
    total = Tables(actor.region_id).counts(f)[key]
    mine = len(visible) if people else behind.filter(candidate_id__in=visible).count()
    rows = _drill_rows(actor, behind, visible, people=people)
    return render(
        request,
        "monitoring/dashboard/drill.html",
        {
            "key": key,
            "label": indicators.LABELS[key],
            "filters": f,
            "rows": rows,
            "hidden": None if total is None else total - mine,
            "more": mine - len(rows),
            "min_cell": min_cell(),
            "query": request.GET.urlencode(),
        },
    )


@requires(Permission.VIEW_INDICATORS)
@regional
@require_GET
def market_view(request):
    """The labour-market picture: open places per occupation against the people for it."""
    picture = labour_market(request.actor.region_id)
    return render(
        request,
        "monitoring/dashboard/market.html",
        {"picture": picture, "min_cell": min_cell()},
    )
