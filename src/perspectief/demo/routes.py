"""Demo routes in Groot Amsterdam, made through the services so every journey step is dated
and audited as in real use:

- a region template "Logistiek: werkfit → opleiding → proefplaatsing → werk met jobcoach";
- the demo job seeker's own route (``wz.amsterdam``) from that template: werkfit done, the
  MBO course waiting for the school's acceptance (``oa.amsterdam``);
- a route with a step long past its due date and one with a hand-off to the intermediary
  that nobody answered: both on the doorbraak list (``pm.amsterdam``);
- four people at work with a support plan of the SW company's jobcoach (``jc.amsterdam``),
  two hired through a proposal and two into a job they found outside the platform: one
  with a missed check-in; three past six months in work, of whom the jobcoach confirmed two
  as still at work (one with the employer by phone, one at the workplace: durable) and one
  is not confirmed yet (*niet bevestigd*).

Idempotent: nothing happens when the template exists."""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from perspectief.accounts.actor import actor_for
from perspectief.accounts.models import Membership
from perspectief.candidates.models import Candidate
from perspectief.catalogue.models import Offer
from perspectief.core.dates import add_months
from perspectief.demo.credentials import refuse_in_production
from perspectief.demo.placements import able, best_for
from perspectief.matching.models import Proposal
from perspectief.matching.services import hires, outcomes, proposals
from perspectief.organisations.models import Organisation
from perspectief.routes.models import RouteStep, RouteTemplate
from perspectief.routes.services import handoffs, progress, support
from perspectief.routes.services import routes as route_services
from perspectief.routes.services import templates as route_templates
from perspectief.routes.services.steps import StepInput, step_input
from perspectief.routes.services.templates import TemplateStepInput
from perspectief.vacancies.models import Vacancy

TEMPLATE = "Logistiek: werkfit → opleiding → proefplaatsing → werk met jobcoach"


NOTES = {
    1: "Goed gestart; werkt mee in de ochtendploeg.",
    3: "Vaste collega als maatje; leidinggevende tevreden.",
    6: "Contract verlengd; begeleiding kan afbouwen.",
}


def _actor(username: str, role: str):
    membership = Membership.objects.select_related("organisation", "user").get(
        user__username=username, role=role
    )
    return actor_for(membership)


def _offer(kind: str) -> Offer | None:
    return Offer.objects.filter(region__code="AM18", kind=kind, status="active").first()


@transaction.atomic
def create_demo_routes() -> int:
    refuse_in_production()
    if RouteTemplate.objects.filter(name=TEMPLATE).exists() or _offer("mbo") is None:
        return 0
    km = _actor("km.amsterdam", "klantmanager")
    coach = _actor("jc.amsterdam", "jobcoach")
    sw = Organisation.objects.get(name="Amsterdam Werkt SW (demo)")
    today = timezone.localdate()
    template = _templates(km)
    people = _people(km)
    made = _own_route(km, template, today)
    if len(people) >= 6:
        made += _stuck_routes(km, people[0], people[1], today)
        # At work, supported by the SW company's jobcoach: (person, months in work, check-ins
        # held, hired outside the platform, confirmed (by whom, how)).
        at_work = (
            (people[2], 4, (1,), False, None),
            (people[3], 7, (1, 3, 6), False, ("employer", "phone")),
            (people[4], 9, (1, 3, 6), True, ("jobcoach", "visit")),
            (people[5], 8, (1, 3), True, None),  # six months full, nobody confirmed
        )
        for person, months_ago, held, outside, confirmed in at_work:
            started = today - timedelta(days=30 * months_ago)
            plan = _supported_at_work(km, coach, sw, person, started, today, outside=outside)
            _support_recorded(coach, plan, started, held, confirmed)
            made += 1
    return made


def _people(km) -> list[Candidate]:
    """Six people of the klantmanager's office, not at work: the third and fourth (hired
    through a proposal for an order-picker place) the matcher's best for it who can carry
    its hours and were not proposed for it yet; the others the first of the file."""
    serving = (
        Candidate.objects.served_by(km.organisation)
        .filter(merged_into__isnull=True, anonymised_at__isnull=True, user__isnull=True)
        .exclude(status__in=["geplaatst", "duurzaam", "uitgestroomd"])
    )
    place = _place()
    free = serving.matchable().exclude(proposals__vacancy=place)
    hired = best_for(place, able(free), 2) if place else []
    rest = list(serving.exclude(pk__in=[p.pk for p in hired]).order_by("pk")[: 6 - len(hired)])
    return [*rest[:2], *hired, *rest[2:]]


def _place() -> Vacancy | None:
    """The demo's first open place in Groot Amsterdam (the Westpoort order picker)."""
    return (
        Vacancy.objects.filter(employer__organisation__region__code="AM18", status="open")
        .order_by("pk")
        .first()
    )


def _templates(km):
    """The region's two route templates; the logistics one, which the demo job seeker's
    route follows, is returned."""
    template = route_templates.template_save(
        actor=km,
        name=TEMPLATE,
        description="De route voor wie in de logistiek wil werken en daarvoor nog moet leren.",
        steps=[
            TemplateStepInput("werkfit", "Werkfit-traject", 12),
            TemplateStepInput("mbo", "Opleiding logistiek medewerker", 16, _offer("mbo")),
            TemplateStepInput("proefplaatsing", "Proefplaatsing", 8, _offer("proefplaatsing")),
            TemplateStepInput("jobcoaching", "Werk met jobcoach", 26),
        ],
    )
    route_templates.template_save(
        actor=km,
        name="Nederlands en werkfit (statushouders)",
        description="Taal en werkfit tegelijk voorbereiden, daarna bemiddeling.",
        steps=[
            TemplateStepInput("nt2", "Nederlands op de werkvloer", 20, _offer("nt2")),
            TemplateStepInput("werkfit", "Werkfit-traject", 12, _offer("werkfit")),
            TemplateStepInput("bemiddeling", "Bemiddeling naar werk", 8),
        ],
    )
    return template


def _own_route(km, template, today) -> int:
    """The demo job seeker's own route: werkfit done, the course waiting for the school."""
    own = Candidate.objects.filter(user__username="wz.amsterdam").first()
    if own is None:
        return 0
    route = route_services.route_start(
        actor=km, candidate=own, template=template, start_on=today - timedelta(weeks=12)
    )
    werkfit = route.steps.order_by("planned_start").first()
    assert werkfit is not None  # the template's first step
    progress.step_start(actor=km, step=werkfit, on=today - timedelta(weeks=12))
    progress.step_complete(actor=km, step=werkfit, on=today - timedelta(days=3))
    return 1


def _stuck_routes(km, late_person, unanswered_person, today) -> int:
    """Two steps on the doorbraak list: a werkfit step past its due date, and a hand-off
    nobody answered."""
    late = route_services.route_start(actor=km, candidate=late_person)
    step = route_services.step_add(
        actor=km,
        route=late,
        data=StepInput(
            "werkfit",
            "Werkfit-traject",
            km.organisation,
            today - timedelta(weeks=10),
            today - timedelta(days=12),
        ),
    )
    progress.step_start(actor=km, step=step, on=today - timedelta(weeks=10))
    unanswered = route_services.route_start(actor=km, candidate=unanswered_person)
    trial = _offer("proefplaatsing")
    step = route_services.step_add(
        actor=km,
        route=unanswered,
        data=step_input(
            kind="proefplaatsing",
            own=km.organisation,
            offer=trial,
            planned_start=today + timedelta(days=7),
        ),
    )
    RouteStep.objects.filter(pk=step.pk).update(handed_off_at=timezone.now() - timedelta(days=9))
    return 2


def _supported_at_work(km, coach, sw, person, started, today, *, outside: bool):
    """A route with job coaching handed to the SW company and accepted, then the hire
    (through a proposal or outside the platform) that starts the support plan; the
    coaching completes when its six months are over. Returns the plan."""
    route = route_services.route_start(actor=km, candidate=person)
    route_services.step_add(
        actor=km,
        route=route,
        data=StepInput(
            "jobcoaching",
            "Jobcoaching op de werkplek",
            sw,
            started,
            started + timedelta(weeks=26),
        ),
    )
    handoffs.handoff_answer(actor=coach, step=route.steps.get(kind="jobcoaching"), accept=True)
    plan = _outside_hire(km, person, started) if outside else _hire(km, person, started)
    coaching = route.steps.get(kind="jobcoaching")
    if coaching.planned_end < today:  # six months of coaching are over
        progress.step_complete(actor=coach, step=coaching, on=coaching.planned_end)
    return plan


def _support_recorded(coach, plan, started, held, confirmed) -> None:
    """The jobcoach takes the plan, records the check-ins ``held`` and, when ``confirmed``
    (by whom, how), the durable work two days after the six months were full."""
    support.jobcoach_assign(actor=coach, plan=plan, jobcoach=coach.user)
    for month in held:
        support.check_in_record(
            actor=coach,
            plan=plan,
            month=month,
            held_on=add_months(started, month),
            with_person=True,
            with_employer=True,
            outcome="well",
            note=NOTES[month],
        )
    if confirmed is not None:
        source, method = confirmed
        support.work_confirm(
            actor=coach,
            plan=plan,
            confirmed_on=add_months(started, 6) + timedelta(days=2),
            source=source,
            method=method,
            still_employed=True,
            note=CONFIRMED[source],
        )


CONFIRMED = {
    "employer": "Leidinggevende bevestigt: contract met een jaar verlengd.",
    "jobcoach": "Op de werkvloer gesproken; werkt zelfstandig in de vroege dienst.",
}


def _outside_hire(km, person, started):
    """A job the person found themselves, recorded afterwards by the klantmanager."""
    hire = hires.outside_hire_record(
        actor=km,
        candidate=person,
        employer_name="Bakkerij Van der Meulen (demo)",
        job_title="Productiemedewerker bakkerij",
        contract="tijdelijk",
        start_date=started,
        note="Zelf gevonden via een kennis; gemeld bij het klantgesprek.",
    )
    return hire.support_plan


def _hire(km, person, started):
    """Propose the person for a demo order-picker place, record the introduction with their
    consent and the hire, dated ``started`` (as the WSP would after the fact)."""
    place = (
        Vacancy.objects.filter(employer__organisation__region__code="AM18", status="open")
        .exclude(proposals__candidate=person)
        .order_by("pk")
        .first()
    )
    proposal = proposals.proposal_create(actor=km, vacancy=place, candidate=person)
    Proposal.objects.filter(pk=proposal.pk).update(
        created_at=timezone.now() - timedelta(days=(timezone.localdate() - started).days + 14)
    )
    proposal.refresh_from_db()
    proposals.introduction_record(actor=km, proposal=proposal, method="in_person")
    proposal.refresh_from_db()
    outcomes.outcome_record(
        actor=km, proposal=proposal, hired=True, start_date=started, contract="tijdelijk"
    )
    return proposal.support_plan
