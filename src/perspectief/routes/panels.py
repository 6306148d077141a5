"""What routes adds to a person's pages and data (``perspectief.candidates.panels``): the
route button on a person's page, the route and support at work on the person's own page,
and both in the person's data (AVG art. 15 and 20). Registered in ``RoutesConfig.ready()``.

Only the person's route, its steps, the support plans and their check-ins are read here,
each through its own ``visible_to`` where a page shows them to an actor.

In a place's cohort section (``vacancies.panels.PLACE_COHORT``) a route planner can put one
start of a course on the route of everyone in the cohort their organisation serves.
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from perspectief.candidates.models import Candidate
from perspectief.candidates.panels import OWN_PAGE, PERSON_BUTTONS, PERSON_DATA, DataPart
from perspectief.candidates.selectors.document import EMPTY, Section, fields, label, table, text
from perspectief.candidates.selectors.export import plain
from perspectief.catalogue.selectors import editions_for
from perspectief.core.authz import Permission
from perspectief.core.contributions import Contributions, Panel
from perspectief.vacancies.panels import PLACE_COHORT

from .constants import PlanStatus, StepStatus
from .models import CheckIn, Route, RouteStep, SupportPlan

#: Blocks on the page of a support plan after a hire, under its facts (registered by higher
#: apps in their ``ready()``). Object: ``plan`` (the ``SupportPlan`` the actor may see).
SUPPORT_PLAN_PAGE = Contributions[Panel]("routes.support_plan_page")


def route_button_panel(request, *, candidate: Candidate, level: str) -> dict:
    """The person's route, or the button to start one (the page shows it to who manages
    the person)."""
    return {"candidate": candidate, "route": getattr(candidate, "route", None)}


def own_route_panel(request, *, candidate: Candidate) -> dict:
    """The person's own route with its steps and their dates, as the person may see it:
    which step runs now and which comes next, and a hand-off still waiting for the
    partner's yes (or declined, so the klantmanager looks for another way)."""
    route = Route.objects.visible_to(request.actor).select_related("organisation").first()
    context: dict = {"route": route}
    if route is not None:
        steps = list(route.steps.select_related("owner"))
        now = next((s for s in steps if s.status == StepStatus.STARTED), None)
        upcoming = next((s for s in steps if s.status == StepStatus.PLANNED), None)
        for step in steps:
            step.is_now, step.is_next = step is now, step is upcoming
        context["route_steps"] = steps
    return context


def own_support_panel(request, *, candidate: Candidate) -> dict:
    """The person's support at work, as the person may see it: who supports them, the
    talks held about their work (when and how: in person, by phone, video or message) and
    the next one. What was said stays with the jobcoach's notes (in the person's data)."""
    plans = list(
        SupportPlan.objects.visible_to(request.actor)
        .select_related("employer", "organisation", "jobcoach")
        .prefetch_related("check_ins")
    )
    for plan in plans:
        check_ins = list(plan.check_ins.all())
        plan.held = [c for c in check_ins if c.held_on is not None]
        plan.next_check_in = (
            next((c for c in check_ins if c.held_on is None), None)
            if plan.status != PlanStatus.DROPPED_OUT
            else None
        )
    return {"support_plans": plans}


def route_export(candidate: Candidate, *, with_health: bool) -> dict | None:
    """The person's route with its steps, for the file of their data."""
    route = getattr(candidate, "route", None)
    if route is None:
        return None
    return {
        "planned_by": route.organisation.name,
        "steps": [
            {
                "title": s.title,
                "kind": s.kind,
                "owner": s.owner.name,
                "planned": [plain(s.planned_start), plain(s.planned_end)],
                "actual": [plain(s.actual_start), plain(s.actual_end)],
                "status": s.status,
                "stop_reason": s.stop_reason,
                "hand_off": s.handoff,
                "hand_off_note": s.handoff_note,
            }
            for s in route.steps.select_related("owner")
        ],
    }


def route_document(candidate: Candidate, *, with_health: bool) -> list[Section]:
    """The person's route with its steps, in words."""
    section = Section(_("Your route to work"), empty=_("No route has been planned yet."))
    route = getattr(candidate, "route", None)
    if route is None:
        return [section]
    section.note = _("Planned by %(org)s.") % {"org": route.organisation.name}
    section.headers = [
        label(RouteStep, "title"),
        label(RouteStep, "kind"),
        label(RouteStep, "owner"),
        _("Planned"),
        _("Actually"),
        label(RouteStep, "status"),
        label(RouteStep, "stop_reason"),
        label(RouteStep, "handoff_note"),
    ]
    for s in route.steps.select_related("owner"):
        section.rows.append(
            [
                s.title,
                s.get_kind_display(),
                s.owner.name,
                f"{text(s.planned_start)} – {text(s.planned_end)}",
                f"{text(s.actual_start)} – {text(s.actual_end)}" if s.actual_start else EMPTY,
                s.get_status_display(),
                text(s.stop_reason),
                text(s.handoff_note),
            ]
        )
    return [section]


def support_export(candidate: Candidate, *, with_health: bool) -> list[dict]:
    """The person's support at work, with the confirmation and the check-ins."""
    return [
        {
            "work": p.job_title,
            "employer": p.employer_display,
            "hire": "outside the platform" if p.outside_hire_id else "proposal",
            "supported_by": p.organisation.name,
            "started": plain(p.started_on),
            "status": p.status,
            "ended": plain(p.ended_on),
            "drop_out_reason": p.drop_out_reason,
            "confirmation": _confirmation_export(p),
            "check_ins": [
                {
                    "after_months": c.month,
                    "due": plain(c.due_on),
                    "held": plain(c.held_on),
                    "held_how": c.channel or None,
                    "with_person": c.with_person,
                    "with_employer": c.with_employer,
                    "outcome": c.outcome,
                    "note": c.note,
                }
                for c in p.check_ins.all()
            ],
        }
        for p in candidate.support_plans.select_related(
            "employer", "organisation", "confirmation__recorded_for"
        )
    ]


def _confirmation_export(plan: SupportPlan) -> dict | None:
    confirmation = getattr(plan, "confirmation", None)
    if confirmation is None:
        return None
    return {
        "confirmed_on": plain(confirmation.confirmed_on),
        "confirmed_by": confirmation.source,
        "how": confirmation.method,
        "still_employed": confirmation.still_employed,
        "last_day": plain(confirmation.last_day),
        "note": confirmation.note,
        "recorded_by": confirmation.recorded_for.name,
    }


def support_document(candidate: Candidate, *, with_health: bool) -> list[Section]:
    """One section per support plan, with its check-ins, in words."""
    out = []
    for plan in candidate.support_plans.select_related("employer", "organisation"):
        section = Section(_("Support at work: %(work)s") % {"work": plan.job_title})
        section.fields = fields(
            plan,
            ["employer", "organisation", "started_on", "status", "ended_on", "drop_out_reason"],
        )
        section.headers, section.rows = table(
            CheckIn,
            [
                "month",
                "due_on",
                "held_on",
                "channel",
                "with_person",
                "with_employer",
                "outcome",
                "note",
            ],
            plan.check_ins.all(),
        )
        out.append(section)
    if not out:
        out.append(Section(_("Support at work"), empty=_("No support at work recorded.")))
    return out


def register() -> None:
    """Add the routes' panels and parts to the person's pages and data (from ``ready()``)."""
    PERSON_BUTTONS.register(
        "route", Panel("routes/panels/person_route_button.html", route_button_panel)
    )
    OWN_PAGE.register("route", Panel("routes/panels/own_route.html", own_route_panel), order=10)
    OWN_PAGE.register(
        "support_at_work", Panel("routes/panels/own_support.html", own_support_panel), order=20
    )
    PERSON_DATA.register("route", DataPart("route", route_export, route_document), order=40)
    PERSON_DATA.register(
        "support_at_work",
        DataPart("support_at_work", support_export, support_document),
        order=50,
    )


def place_cohort_course(request, *, vacancy, cohort, phases, **_objects):
    """The starts of courses in the actor's region, when there is a cohort to plan on them
    (people the actor sees, on a place with intake phases) and the actor plans routes."""
    actor = request.actor
    if not (cohort and phases and actor.has_perm(Permission.PLAN_ROUTES)):
        return None
    editions = list(editions_for(actor.region_id))
    if not editions:
        return None
    return {"vacancy": vacancy, "course_editions": editions}


def register_place_panels() -> None:
    PLACE_COHORT.register(
        "routes.cohort_course", Panel("routes/panels/place_cohort_course.html", place_cohort_course)
    )
