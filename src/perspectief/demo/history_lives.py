"""The people of the demo regions' history and what happened to them, simulated before
anything is written (:mod:`perspectief.demo.history`): when they registered, their journey
(in view → werkfit or a course → ready for placement → a hire → six months of support →
durable, dropped out or not confirmed), keeping only what happened by today."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta
from uuid import UUID, uuid4

from perspectief.candidates.constants import Benefit, TargetGroup
from perspectief.candidates.services.people import CandidateInput
from perspectief.core.dates import add_months
from perspectief.routes.constants import DURABLE_MONTHS

SEED = 20250101
#: The first registrations: a few months before the history the tables show (from 2025),
#: so that its first quarters already have people who reached a placement.
REGISTRATIONS_FROM = date(2024, 6, 1)
#: From this month on, registrations grow (the plan of 2026-2027 being prepared and run).
GROWTH_FROM = date(2025, 7, 1)


@dataclass(frozen=True)
class Scale:
    """How many people a region registers: ``monthly`` a month until :data:`GROWTH_FROM`,
    then ``growth`` more each month (as a share of ``monthly``), at most ``cap`` times it."""

    region: str
    monthly: float
    start: date = REGISTRATIONS_FROM
    growth: float = 0.035
    cap: float = 1.6


SCALES = (
    Scale("AM18", 80),
    Scale("AM22", 28),
    # Starts later and smaller: its first quarters have too few matches to show.
    Scale("AM01", 9, start=date(2025, 2, 1), growth=0.02),
)

#: Of the people registered: how many get a hire (a match) — more of those who registered
#: once the plan's activities were being prepared (:data:`PLAN_FROM`) — and how many leave
#: the programme without one; the rest are still on their way.
PLACED = 0.48
PLACED_WITH_PLAN = 0.55
PLAN_FROM = date(2025, 9, 1)
LEFT = 0.12
#: Of the hires: found outside the platform (no place, no proposal); dropped out within the
#: six months; confirmed durable after them. The rest pass six months unconfirmed.
OUTSIDE = 0.12
DROPPED_OUT = 0.13
CONFIRMED = 0.74
#: Courses on the route: Dutch (NT2) for statushouders, the logistics course (MBO) for
#: people who want logistics work: (kind, weeks, how likely).
COURSES = {"nt2": (20, 0.6), "mbo": (16, 0.3)}
WORK_READY = 0.5  # a werkfit programme first (people without a course)


@dataclass
class Move:
    """One dated step of the journey: to ``status``, caused by ``cause``; ``ref`` names
    what it follows from ("course", "hire", "plan" or "")."""

    on: date
    status: str
    cause: str
    ref: str = ""


@dataclass
class Course:
    kind: str
    start: date
    end: date

    def done(self, today: date) -> bool:
        return self.end <= today


@dataclass
class Hire:
    """A recorded hire: the start of work, through a place (``sector``) or outside the
    platform, and what became of it by today."""

    start: date
    proposed_on: date
    outside: bool
    sector: str
    contract: str
    #: "active" (support running), "durable" (confirmed) or "dropped_out"
    outcome: str = "active"
    ended_on: date | None = None  # the six months full (durable) or the last day of work
    confirmed_on: date | None = None
    uuid: UUID = field(default_factory=uuid4)
    plan_uuid: UUID = field(default_factory=uuid4)


@dataclass
class Life:
    """One person's history: who they are, when they registered, and what happened."""

    data: CandidateInput
    bsn: str | None
    registered: date
    uuid: UUID
    moves: list[Move] = field(default_factory=list)
    course: Course | None = None
    hire: Hire | None = None

    @property
    def status(self) -> str:
        return self.moves[-1].status if self.moves else "aangemeld"

    @property
    def last_day(self) -> date:
        return self.moves[-1].on if self.moves else self.registered


def stream(*parts: str) -> random.Random:
    """A seeded random stream of its own for each part of the history (a change to one
    part leaves the others as they were)."""
    return random.Random(":".join([str(SEED), *parts]))


def uid(rng: random.Random) -> UUID:
    """A version-4 UUID from the seeded stream (the same records on every run)."""
    return UUID(int=rng.getrandbits(128), version=4)


def _days(rng: random.Random, low: int, high: int) -> timedelta:
    return timedelta(days=rng.randint(low, high))


def registration_days(scale: Scale, rng: random.Random, today: date) -> list[date]:
    """The days people registered, month by month from the scale's start up to today."""
    days: list[date] = []
    month = scale.start
    while month <= today:
        grown = max(0, (month.year - GROWTH_FROM.year) * 12 + month.month - GROWTH_FROM.month)
        rate = scale.monthly * min(1 + scale.growth * grown, scale.cap)
        count = int(rate) + (rng.random() < rate % 1)
        length = (add_months(month, 1) - month).days
        days += sorted(month + _days(rng, 0, length - 1) for _i in range(count))
        month = add_months(month, 1)
    return [day for day in days if day <= today]


#: Where people are hired who want logistics work (ISCO 93xx, 83xx) or care (53xx); the
#: others into any of these sectors by weight.
SECTOR_OF_WORK = {"93": "H", "83": "H", "53": "Q"}
SECTOR_WEIGHTS = {"G": 25, "I": 20, "N": 20, "C": 15, "F": 10, "O": 5, "P": 5}


def sector_for(rng: random.Random, isco: str) -> str:
    """Where a person who wants an occupation of ISCO unit group ``isco`` is hired: in
    the sector of that work (logistics sometimes in industry), else any by weight."""
    sector = SECTOR_OF_WORK.get(isco[:2])
    if sector == "H" and rng.random() < 0.15:
        return "C"
    if sector is None:
        return rng.choices(list(SECTOR_WEIGHTS), weights=list(SECTOR_WEIGHTS.values()))[0]
    return sector


def live(life: Life, rng: random.Random, today: date, *, isco: str) -> None:
    """Simulate the person's journey from registration, keeping only what happened by
    ``today`` (a move, course or hire after it has not happened yet)."""
    groups = set(life.data.target_groups or [])
    moves: list[Move] = [Move(life.registered + _days(rng, 2, 21), "in_beeld", "manual")]
    course_kind = None
    if TargetGroup.STATUSHOUDER in groups and rng.random() < COURSES["nt2"][1]:
        course_kind = "nt2"
    elif isco.startswith(("93", "83")) and rng.random() < COURSES["mbo"][1]:
        course_kind = "mbo"
    if course_kind is None and rng.random() < WORK_READY:
        moves.append(Move(moves[-1].on + _days(rng, 10, 60), "werkfit", "manual"))
    course = None
    if course_kind is not None:
        start = moves[-1].on + _days(rng, 7, 45)
        course = Course(course_kind, start, start + timedelta(weeks=COURSES[course_kind][0]))
        moves.append(Move(course.start, "in_scholing", "route", "course"))
        moves.append(Move(course.end, "bemiddelbaar", "route", "course"))
    fate = rng.random()
    placed = PLACED_WITH_PLAN if life.registered >= PLAN_FROM else PLACED
    if fate < placed:
        if course is None:
            moves.append(Move(moves[-1].on + _days(rng, 15, 100), "bemiddelbaar", "manual"))
        start = moves[-1].on + _days(rng, 10, 90)
        proposed = max(moves[-1].on, start - _days(rng, 14, 45))
        life.hire = _hire(rng, start, proposed, isco)
        moves.append(Move(start, "geplaatst", "hire", "hire"))
        moves += _after_hire(life.hire, rng, today)
    elif fate < placed + LEFT:
        moves.append(Move(moves[-1].on + _days(rng, 40, 240), "uitgestroomd", "manual"))
    elif rng.random() < 0.5 and course is None:
        moves.append(Move(moves[-1].on + _days(rng, 20, 120), "bemiddelbaar", "manual"))
    life.moves = [move for move in moves if move.on <= today]
    life.course = course if course is not None and course.start <= today else None
    if life.hire is not None and life.hire.start > today:
        life.hire = None


def _hire(rng: random.Random, start: date, proposed: date, isco: str) -> Hire:
    outside = rng.random() < OUTSIDE
    return Hire(
        start=start,
        proposed_on=proposed,
        outside=outside,
        sector="" if outside else sector_for(rng, isco),
        contract=rng.choice(["tijdelijk", "tijdelijk", "tijdelijk", "vast", "uitzend"]),
        uuid=uid(rng),
        plan_uuid=uid(rng),
    )


def _after_hire(hire: Hire, rng: random.Random, today: date) -> list[Move]:
    """What became of a hire by today: dropped out within the six months (back on the
    route), confirmed durable after them (dated the day they were full), or neither yet."""
    due = add_months(hire.start, DURABLE_MONTHS)
    fate = rng.random()
    if fate < DROPPED_OUT:
        last = hire.start + _days(rng, 20, 170)
        if last <= today:
            hire.outcome, hire.ended_on = "dropped_out", last
            return [Move(last, "uitgevallen", "drop_out", "plan")]
    elif fate < DROPPED_OUT + CONFIRMED:
        confirmed = due + _days(rng, 0, 25)
        if confirmed <= today:
            hire.outcome, hire.ended_on, hire.confirmed_on = "durable", due, confirmed
            return [Move(due, "duurzaam", "durable", "plan")]
    return []


def benefit_served_by_uwv(data: CandidateInput) -> bool:
    """UWV serves people with a UWV benefit (WW, WIA, Wajong); the gemeente the others."""
    return data.benefit in (Benefit.WW, Benefit.WIA, Benefit.WAJONG)


#: Inhabitants (thousands, rounded, CBS 2024) of the demo regions' municipalities: where
#: the history's people live. A municipality not listed counts as 20.
INHABITANTS = {
    # Groot Amsterdam
    "GM0363": 930, "GM0394": 160, "GM0362": 95, "GM0736": 45, "GM0358": 33, "GM0384": 32,
    "GM0451": 30, "GM0437": 14,
    # Rijnmond
    "GM0599": 670, "GM1963": 90, "GM1930": 88, "GM0606": 80, "GM0622": 75, "GM1992": 70,
    "GM0502": 68, "GM1924": 52, "GM0489": 50, "GM0597": 47, "GM1892": 45, "GM0556": 34,
    "GM0542": 30, "GM0613": 26,
    # Groningen
    "GM0014": 240, "GM0106": 69, "GM1969": 65, "GM1952": 61, "GM1966": 48, "GM1979": 45,
    "GM1895": 39, "GM1730": 35, "GM1699": 33, "GM0037": 32, "GM0047": 28, "GM1680": 25,
    "GM1950": 26, "GM0765": 12,
}  # fmt: skip
