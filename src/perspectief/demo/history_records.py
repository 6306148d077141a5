"""Writing the demo regions' history (:mod:`perspectief.demo.history`) in bulk: the people
as an import registers them (servings, target groups, occupations, skills, an audit event
and an access record each), their routes' courses, and the dated journey transitions the
monitoring counts — each with the cause and reference the services give it. The hires and
what followed them: :mod:`perspectief.demo.history_work`.

Records are dated as they happened (registration, proposal, start of work); the audit and
access log say when they were written (now), by the demo."""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from uuid import UUID

from django.db import connection
from django.utils import timezone
from faker import Faker

from perspectief.accounts.actor import SystemActor
from perspectief.audit import access
from perspectief.audit import services as audit
from perspectief.audit.constants import Operation, ProcessingActivity
from perspectief.candidates.completeness import completeness_of
from perspectief.candidates.models import (
    Candidate,
    CandidateOrganisation,
    CandidateSkill,
    CandidateTargetGroup,
    JourneyTransition,
)
from perspectief.candidates.services.people import legal_basis_for
from perspectief.catalogue.models import Offer
from perspectief.core import bsn as bsn_lib
from perspectief.demo.candidates import Generator, random_bsn
from perspectief.demo.history_lives import (
    INHABITANTS,
    Life,
    Scale,
    benefit_served_by_uwv,
    live,
    stream,
    uid,
)
from perspectief.demo.history_lives import registration_days as days_of
from perspectief.imports.tasks import import_actor
from perspectief.organisations.constants import OrganisationKind
from perspectief.organisations.models import Organisation
from perspectief.regions.models import Postcode, Region
from perspectief.routes.constants import HandOff, StepStatus
from perspectief.routes.models import Route, RouteStep

#: A person's skills as the history keeps them: the first few (the walk-throughs' people,
#: with all their skills, are in :mod:`perspectief.demo.candidates`).
SKILLS = 5
BATCH = 1000


def moment(day: date, rng: random.Random | None = None) -> datetime:
    """A time in office hours on ``day`` (aware, local)."""
    hour, minute = (rng.randint(8, 16), rng.randint(0, 59)) if rng else (10, 0)
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def backdate(objects: Iterable, created: Callable, updated: Callable | None = None) -> None:
    """Set when the records were made (``created(obj)``: a datetime) and last changed, which
    the insert stamped with now (``auto_now``), as a file of the past has them: one
    statement run for all rows (``bulk_update`` builds a CASE per row, far slower here)."""
    objects = list(objects)
    if not objects:
        return
    model = type(objects[0])
    adapt, name = connection.ops.adapt_datetimefield_value, connection.ops.quote_name
    rows = []
    for obj in objects:
        made = created(obj)
        obj.created_at, obj.updated_at = made, updated(obj) if updated else made
        rows.append((adapt(obj.created_at), adapt(obj.updated_at), obj.pk))
    # Names from the model's own metadata, values as parameters.
    sql = (
        f"UPDATE {name(model._meta.db_table)} SET {name('created_at')} = %s, "  # noqa: S608
        f"{name('updated_at')} = %s WHERE {name(model._meta.pk.column)} = %s"
    )
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


@dataclass
class Place:
    """Where a region's people live and who serves them there."""

    region: Region
    postcodes: list[Postcode]
    weights: list[float]
    gemeenten: dict[int, Organisation]  # municipality id → its gemeente's organisation
    uwv: Organisation
    offers: dict[str, Offer] = field(default_factory=dict)

    @classmethod
    def of(cls, region: Region) -> Place | None:
        postcodes = list(
            Postcode.objects.filter(municipality__region=region)
            .select_related("municipality__region")
            .order_by("code")
        )
        organisations = Organisation.objects.filter(region=region).order_by("pk")
        gemeenten = {
            o.municipality_id: o
            for o in organisations.filter(kind=OrganisationKind.GEMEENTE)
            if o.municipality_id is not None
        }
        uwv = organisations.filter(kind=OrganisationKind.UWV).first() or next(
            iter(gemeenten.values()), None
        )
        if not postcodes or uwv is None:
            return None
        # As many people in a municipality as it has inhabitants, spread over its postcodes.
        per = Counter(p.municipality_id for p in postcodes)
        weights = [
            INHABITANTS.get(p.municipality.code, 20) / per[p.municipality_id] for p in postcodes
        ]
        offers = {
            o.kind: o
            for o in Offer.objects.filter(region=region, status="active").order_by("-pk")
            if o.kind in ("mbo", "nt2")
        }
        return cls(region, postcodes, weights, gemeenten, uwv, offers)

    def serving(self, life: Life) -> Organisation:
        """UWV for a UWV benefit, else the gemeente where the person lives (UWV where the
        demo has no organisation for that gemeente)."""
        postcode = life.data.postcode
        gemeente = self.gemeenten.get(postcode.municipality_id) if postcode else None
        if gemeente is None or benefit_served_by_uwv(life.data):
            return self.uwv
        return gemeente


def lives(
    scale: Scale, place: Place, generator: Generator, today: date, taken: set[str]
) -> list[Life]:
    """The region's people and their journeys, from its seeded stream. ``taken``: the BSN
    indexes already in use (a BSN drawn twice is drawn again)."""
    rng = stream(scale.region)
    fake = Faker("nl_NL")
    fake.seed_instance(f"history:{scale.region}")
    out = []
    for day in days_of(scale, rng, today):
        postcode = rng.choices(place.postcodes, weights=place.weights)[0]
        data, bsn = generator.person(rng, fake, [postcode])
        while bsn and bsn_lib.blind_index(bsn) in taken:
            bsn = random_bsn(rng)
        if bsn:
            taken.add(bsn_lib.blind_index(bsn))
        data.skills = (data.skills or [])[:SKILLS]
        life = Life(data=data, bsn=bsn, registered=day, uuid=uid(rng))
        occupation = data.occupations[0] if data.occupations else None
        isco = generator.profiles.group.get(occupation.pk, "") if occupation else ""
        live(life, rng, today, isco=isco)
        out.append(life)
    return out


@dataclass
class Written:
    """The people written, with who serves each (by the person's uuid)."""

    candidates: dict[UUID, Candidate]
    serving: dict[UUID, Organisation]


def write_people(lives_: list[Life], place: Place) -> Written:
    """The people, as an import registers them: the record, whom it is served by, its
    target groups, occupations and skills, an audit event and an access record each."""
    rng = stream(place.region.code, "times")
    serving = {life.uuid: place.serving(life) for life in lives_}
    candidates = [_candidate(life, place.region) for life in lives_]
    Candidate.objects.bulk_create(candidates, batch_size=BATCH)
    through = Candidate.occupations.through
    servings, groups, occupations, skills, events = [], [], [], [], []
    actors: dict[int, SystemActor] = {}
    for life, candidate in zip(lives_, candidates, strict=True):
        organisation = serving[life.uuid]
        servings.append(
            CandidateOrganisation(
                candidate=candidate,
                organisation=organisation,
                legal_basis=legal_basis_for(organisation),
            )
        )
        data = life.data
        groups += [
            CandidateTargetGroup(candidate=candidate, group=g) for g in data.target_groups or []
        ]
        occupations += [
            through(candidate_id=candidate.pk, occupation_id=o.pk)
            for o in {o.pk: o for o in data.occupations or []}.values()
        ]
        skills += [
            CandidateSkill(candidate=candidate, skill=s, source=source)
            for s, source in {s.pk: (s, src) for s, src in data.skills or []}.values()
        ]
        actor = actors.setdefault(organisation.pk, import_actor(organisation, None, channel="demo"))
        events.append(
            audit.build(
                "candidate.registered",
                actor=actor,
                target=candidate,
                changes={"source": [None, "import"], "bsn": [None, "***" if life.bsn else None]},
            )
        )
        access.record_candidate(
            actor, candidate, ProcessingActivity.CANDIDATE_IMPORT, Operation.CREATE
        )
    CandidateOrganisation.objects.bulk_create(servings, batch_size=BATCH)
    CandidateTargetGroup.objects.bulk_create(groups, batch_size=BATCH)
    through.objects.bulk_create(occupations, batch_size=BATCH)
    CandidateSkill.objects.bulk_create(skills, batch_size=BATCH)
    audit.AuditEvent.objects.bulk_create(events, batch_size=BATCH)
    of = {life.uuid: life for life in lives_}
    backdate(
        candidates,
        lambda c: moment(of[c.uuid].registered, rng),
        lambda c: moment(of[c.uuid].last_day),
    )
    return Written({c.uuid: c for c in candidates}, serving)


def _candidate(life: Life, region: Region) -> Candidate:
    """An unsaved person, as the import makes one, at the status their journey reached."""
    data = life.data
    candidate = Candidate(uuid=life.uuid, region=region, status=life.status)
    for name, value in data.profile_values().items():
        setattr(candidate, name, value)
    if life.bsn:
        candidate.bsn_encrypted = bsn_lib.encrypt(life.bsn)
        candidate.bsn_index = bsn_lib.blind_index(life.bsn)
    candidate.completeness = completeness_of(
        candidate, {"occupations": bool(data.occupations), "skills": bool(data.skills)}
    )
    return candidate


def write_courses(lives_: list[Life], written: Written, place: Place, today: date) -> dict:
    """A route with the course step for each person who followed one of the region's
    offers (the plan's activities count these people): started, or completed on its end
    date. Returns the step's uuid per person (the reference of the moves it caused)."""
    rng = stream(place.region.code, "courses")
    taking = [
        life for life in lives_ if life.course is not None and life.course.kind in place.offers
    ]
    routes = [
        Route(
            uuid=uid(rng),
            candidate=written.candidates[life.uuid],
            organisation=written.serving[life.uuid],
        )
        for life in taking
    ]
    Route.objects.bulk_create(routes, batch_size=BATCH)
    steps = []
    for life, route in zip(taking, routes, strict=True):
        course = life.course
        assert course is not None  # taking: people with a course
        offer = place.offers[course.kind]
        done = course.done(today)
        handed = offer.provider_id != route.organisation_id
        steps.append(
            RouteStep(
                uuid=uid(rng),
                route=route,
                kind=course.kind,
                title=offer.title,
                owner_id=offer.provider_id,
                offer=offer,
                planned_start=course.start,
                planned_end=course.end,
                actual_start=course.start,
                actual_end=course.end if done else None,
                status=StepStatus.COMPLETED if done else StepStatus.STARTED,
                handoff=HandOff.ACCEPTED if handed else HandOff.NONE,
                handed_off_at=moment(course.start - timedelta(days=14)) if handed else None,
                handoff_decided_at=moment(course.start - timedelta(days=10)) if handed else None,
            )
        )
    RouteStep.objects.bulk_create(steps, batch_size=BATCH)
    when = {step.route_id: moment(step.planned_start - timedelta(days=21)) for step in steps}
    backdate(routes, lambda r: when[r.pk])
    backdate(steps, lambda s: when[s.route_id], lambda s: moment(s.actual_end or s.actual_start))
    return {life.uuid: step.uuid for life, step in zip(taking, steps, strict=True)}


def write_moves(lives_: list[Life], written: Written, courses: dict) -> int:
    """The dated transitions of every person's journey, in the order they happened, each
    with its cause and what it follows from (the course step, the hire, the support plan).
    A move a course caused without a route step (the region has no such offer) was the
    klantmanager's. Returns the transitions written."""
    rows = []
    for life in lives_:
        candidate = written.candidates[life.uuid]
        organisation = written.serving[life.uuid]
        previous = "aangemeld"
        for move in life.moves:
            cause, reference = move.cause, ""
            if move.ref == "course":
                step = courses.get(life.uuid)
                cause, reference = ("route", str(step)) if step else ("manual", "")
            elif move.ref == "hire" and life.hire is not None:
                reference = str(life.hire.uuid)
            elif move.ref == "plan" and life.hire is not None:
                reference = str(life.hire.plan_uuid)
            rows.append(
                JourneyTransition(
                    candidate=candidate,
                    from_status=previous,
                    to_status=move.status,
                    occurred_on=move.on,
                    cause=cause,
                    reference=reference,
                    organisation=organisation,
                )
            )
            previous = move.status
    JourneyTransition.objects.bulk_create(rows, batch_size=BATCH)
    return len(rows)
