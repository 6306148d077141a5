"""Two years of history for the demo regions, so that the dashboard, the quarterly tables,
the lessons' numbers and the ministry's national view and trend show real numbers, with the
small ones suppressed as in real use (issue #19, item 7).

Groot Amsterdam (AM18) gets a few thousand people registered from the autumn of 2024 up to
today, over its municipalities, target groups and — through the places they were hired
into — sectors; Rijnmond (AM22) about a third as many, and Groningen (AM01) a few hundred,
starting later, so that its first quarters stay under the threshold. Each person's journey
is simulated first (:mod:`perspectief.demo.history_lives`), then every record is written in
bulk and dated as it happened, the way the services date them
(:mod:`perspectief.demo.history_records`, :mod:`perspectief.demo.history_work`): the hire
through a proposal for a place (or a job found outside the platform) with its support plan,
check-ins and confirmation, and the dated journey transitions the monitoring counts. Nothing
is dated after today.

Deterministic: seeded random streams per region (the same people on every machine; the
history ends on the day the demo is made). Idempotent: a region whose history employers
exist is left alone. One audit event per region sums up what was made."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone

from perspectief.audit import access
from perspectief.audit import services as audit
from perspectief.candidates.models import Candidate
from perspectief.demo.candidates import Generator
from perspectief.demo.credentials import refuse_in_production
from perspectief.demo.history_lives import SCALES, Scale
from perspectief.demo.history_records import Place, lives, write_courses, write_moves, write_people
from perspectief.demo.history_work import (
    employers,
    has_history,
    write_hires,
    write_places,
    write_support,
)
from perspectief.monitoring.models import PublishedTable
from perspectief.regions.models import Region


def create_demo_history(*, today: date | None = None, scales: tuple[Scale, ...] = SCALES) -> int:
    """The history of every demo region that has none yet. Returns the people made."""
    refuse_in_production()
    today = today or timezone.localdate()
    generator = None
    made = 0
    with access.scope(request="perspectief demo: history"):
        for scale in scales:
            region = Region.objects.filter(code=scale.region).first()
            if region is None or has_history(region):
                continue
            place = Place.of(region)
            if place is None:
                continue
            generator = generator or Generator()
            made += _region(scale, place, generator, today)
    if made:
        # The history is dated back into quarters whose tables may have been published (a
        # demo made before it had one): in the demo only, they are published anew.
        PublishedTable.objects.all().delete()
    return made


@transaction.atomic
def _region(scale: Scale, place: Place, generator: Generator, today: date) -> int:
    taken = {
        index
        for index in Candidate.objects.exclude(bsn_index=None).values_list("bsn_index", flat=True)
        if index
    }
    people = lives(scale, place, generator, today, taken)
    written = write_people(people, place)
    courses = write_courses(people, written, place, today)
    filled_by = write_places(people, employers(place.region), today, place.region)
    hires = write_hires(people, written, filled_by, place.region)
    plans = write_support(people, written, hires, today)
    moves = write_moves(people, written, courses)
    audit.record(
        "demo.history_created",
        actor=None,
        target=place.region,
        changes={
            "people": [None, len(people)],
            "hires": [None, len(hires)],
            "support_plans": [None, plans],
            "transitions": [None, moves],
            "until": [None, str(today)],
        },
    )
    return len(people)
