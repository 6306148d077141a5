"""Why a person rises in a ranking: skills a place asks for (or that count for a skill it
asks for, as a related one) which the person gained by completing a course on their route in
the last :data:`RECENT_DAYS` days ("stijgt door scholing: Orderpicken afgerond op 6 december
2026"). The course is named to those who may see the person's route; others read only that
the skills came from training, and when."""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta

from django.utils import timezone

from perspectief.candidates.constants import SkillSource
from perspectief.candidates.models import CandidateSkill
from perspectief.core.authz import Actor
from perspectief.routes.models import Route, RouteStep

#: A skill from training explains a rise in the ranking for this many days.
RECENT_DAYS = 90


def _recent(people) -> dict[int, list[CandidateSkill]]:
    """The skills from training of ``people`` acquired in the last :data:`RECENT_DAYS`."""
    since = timezone.localdate() - timedelta(days=RECENT_DAYS)
    found: dict[int, list[CandidateSkill]] = defaultdict(list)
    for row in CandidateSkill.objects.filter(
        candidate__in=[p.pk for p in people],
        source=SkillSource.TRAINING,
        acquired_on__gte=since,
    ).select_related("skill"):
        found[row.candidate_id].append(row)
    return found


def _courses(actor: Actor, recent: dict[int, list[CandidateSkill]]) -> dict:
    """The titles of the courses behind the skills, of the routes the actor may see."""
    steps = {row.route_step for rows in recent.values() for row in rows if row.route_step}
    if not steps:
        return {}
    return dict(
        RouteStep.objects.filter(
            uuid__in=steps, route__in=Route.objects.visible_to(actor)
        ).values_list("uuid", "title")
    )


def _why(rows: list[CandidateSkill], asked: set[str], match, courses: dict) -> list[dict]:
    """The courses whose skills count at the place (which asks ``asked``), each with its
    day and those skills."""
    if not rows:
        return []
    asked = asked | {r["via"] for r in match.related_essential}
    by_step: dict = {}
    for row in sorted(rows, key=lambda r: (r.acquired_on, r.skill.label)):
        if row.skill.uri not in asked:
            continue
        note = by_step.setdefault(
            row.route_step,
            {"course": courses.get(row.route_step), "on": row.acquired_on, "skills": []},
        )
        note["skills"].append(row.skill.label)
    return sorted(by_step.values(), key=lambda n: n["on"], reverse=True)


def for_place(actor: Actor, place, ranked) -> dict[int, list[dict]]:
    """For a place's ranking (``ranked``: (person, match) pairs): per person, the recent
    courses whose skills count at the place."""
    recent = _recent([person for person, _match in ranked])
    courses = _courses(actor, recent)
    asked = set(place.skills.values_list("skill__uri", flat=True)) if recent else set()
    return {
        person.pk: _why(recent.get(person.pk, []), asked, match, courses)
        for person, match in ranked
    }


def for_person(actor: Actor, person, ranked) -> dict[int, list[dict]]:
    """For a person's ranked places (``ranked``: (place, match) pairs): per place, the
    person's recent courses whose skills count there."""
    recent = _recent([person])
    courses = _courses(actor, recent)
    rows = recent.get(person.pk, [])
    return {
        # The places come with their skills (engine_records.places_for_engine).
        place.pk: _why(rows, {s.skill.uri for s in place.skills.all()}, match, courses)
        for place, match in ranked
    }
