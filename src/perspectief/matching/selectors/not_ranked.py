""" "Why is this person not in the list?" For a place and a person the adviser may see: the
hard conditions that keep the engine from ranking the pair, in words, or — when none does —
the person's explained score (the list shows only the best). The read is access-logged like
a ranking read.

The conditions are the engine's (:func:`..engine.conditions.hard_conditions`), read from
the same records the ranking uses; being matchable now (status, reconfirmed availability)
is decided before the engine, by ``Candidate.objects.matchable()``. That the work demands
something a functional limitation rules out is said only to users with the health
permission, and then only as "does not fit"; others read that a condition they cannot see
applies."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from perspectief.audit import access
from perspectief.audit.constants import ProcessingActivity
from perspectief.candidates.models import Candidate
from perspectief.core.authz import Actor, Permission
from perspectief.taxonomy.models import Sector
from perspectief.vacancies.models import Vacancy
from perspectief.vacancies.selectors.places import shown_people

from ..engine import conditions, records
from ..engine.candidate_index import CandidateIndex
from ..engine_records import taxonomy
from ..models import ShortlistEntry
from .explanation import day, distance_sentence, number, skills_to_label
from .ranking import person_for_engine, place_for_engine, skill_labels

#: The physical load of work (and what a person can carry), in words.
LOADS = {1: gettext_lazy("light"), 2: gettext_lazy("medium-heavy"), 3: gettext_lazy("heavy")}

#: Not matchable now: status or reconfirmation (decided before the engine).
NOT_MATCHABLE = "not_matchable"
#: A condition the user may not know the nature of (work demands, without the health
#: permission).
RESTRICTED = "restricted"
#: The engine does not rank the pair for a reason none of the named conditions gives.
OTHER = "other"


@dataclass
class Verdict:
    """Why the person is (not) ranked for the place: the reasons in words, and the person's
    match when every condition is met (then the list only shows better scores)."""

    candidate: Candidate
    reasons: list[dict] = field(default_factory=list)
    match: records.Match | None = None
    candidate_record: records.Candidate | None = None
    vacancy_record: records.Vacancy | None = None
    labels: dict[str, str] = field(default_factory=dict)


def _not_matchable(candidate: Candidate) -> list[dict]:
    """Why the person cannot be matched now, if so: availability not reconfirmed in time,
    or a status matching does not propose from."""
    if Candidate.objects.matchable().filter(pk=candidate.pk).exists():
        return []
    days = settings.CANDIDATE_RECONFIRM_DAYS
    confirmed = candidate.availability_confirmed_at
    if confirmed is None:
        text = gettext(
            "availability never confirmed: only people who confirmed it in the last %(days)s "
            "days are matched"
        ) % {"days": days}
    elif confirmed < timezone.now() - timedelta(days=days):
        text = gettext(
            "availability last confirmed on %(date)s: only people who confirmed it in the "
            "last %(days)s days are matched"
        ) % {"date": day(timezone.localtime(confirmed).date()), "days": days}
    else:
        text = gettext("cannot be matched now: status %(status)s") % {
            "status": candidate.get_status_display()
        }
    return [{"code": NOT_MATCHABLE, "text": text}]


def _hours_text(c: records.Candidate, v: records.Vacancy) -> str:
    can = gettext("can work %(hours)s hours a week") % {"hours": number(c.max_hours or 0)}
    if v.min_hours is None:
        asks = gettext("the place asks %(hours)s hours and allows no part time") % {
            "hours": number(v.hours or 0)
        }
    else:
        asks = gettext("the place asks at least %(hours)s hours") % {"hours": number(v.min_hours)}
    return f"{can}; {asks}"


def condition_text(
    code: str, c: records.Candidate, v: records.Vacancy, *, sees_health: bool
) -> str:
    """One hard condition of the pair in words."""
    if code == conditions.LOCATION:
        if c.lat is None or c.lon is None:
            return gettext("no postcode known: the distance to the place cannot be computed")
        return gettext("the place has no location: the distance cannot be computed")
    if code == conditions.REACH:
        return distance_sentence(c, v)
    if code == conditions.LICENCE:
        return gettext("has no driving licence; the place asks for one")
    if code == conditions.AVAILABILITY:
        assert c.available_from is not None and v.start_date is not None
        return gettext("available from %(from)s; the place starts on %(start)s") % {
            "from": day(c.available_from),
            "start": day(v.start_date),
        }
    if code == conditions.HOURS:
        return _hours_text(c, v)
    if code == conditions.LOAD:
        return gettext("can carry only %(can)s work; this work is %(is)s") % {
            "can": LOADS.get(c.max_load or 0, c.max_load),
            "is": LOADS.get(v.load or 0, v.load),
        }
    if code == conditions.SECTOR:
        sector = Sector.objects.filter(code=v.sector).first()
        return gettext("will not work in the sector %(sector)s") % {
            "sector": sector.name if sector is not None else v.sector
        }
    if code == conditions.WORK_DEMANDS:
        if sees_health:
            return gettext("does not fit what the work demands")
        return gettext("a condition only the klantmanager can see")
    return gettext("a condition of the matching that is not met")


def why_not_ranked(
    *,
    actor: Actor,
    vacancy: Vacancy,
    candidate: Candidate,
    weights: records.Weights | None = None,
) -> Verdict:
    """Why the person (whom the actor may see) is not in the place's ranked list: the hard
    conditions in words, or the person's match when all are met. Access-logged."""
    access.record_candidate(actor, candidate, ProcessingActivity.CANDIDATE_MATCHING)
    verdict = Verdict(candidate=candidate, reasons=_not_matchable(candidate))
    c, v = person_for_engine(candidate, actor), place_for_engine(vacancy)
    verdict.candidate_record, verdict.vacancy_record = c, v
    sees_health = actor.has_perm(Permission.VIEW_HEALTH)
    found = conditions.hard_conditions(c, v)
    verdict.reasons += [
        {
            # Not even the code says "health" to a user without the permission.
            "code": code if code != conditions.WORK_DEMANDS or sees_health else RESTRICTED,
            "text": condition_text(code, c, v, sees_health=sees_health),
        }
        for code in found
    ]
    if conditions.LOCATION in found:
        return verdict
    matches = CandidateIndex(taxonomy(), [c], weights).top_for_vacancy(v, 1)
    if matches:
        if not found:
            verdict.match = matches[0]
    elif not found:
        # The engine masks the pair for a reason this module does not name: say so.
        verdict.reasons.append(
            {"code": OTHER, "text": condition_text(OTHER, c, v, sees_health=False)}
        )
    if verdict.match is not None:
        verdict.labels = skill_labels(skills_to_label(verdict.match))
    return verdict


def not_listed(*, actor: Actor, vacancy: Vacancy, ranked) -> list[dict]:
    """People of the place's cohort (a bulk request) or shortlist whom the actor may see
    and the ranked list leaves out, each once (access-logged): ``{candidate, name, code,
    cohort, shortlist}``. The page links each to the reasons."""
    left_out = {c.pk for c in ranked}
    cohort = [
        m for m in vacancy.cohort.select_related("candidate") if m.candidate_id not in left_out
    ]
    shortlist = [
        e
        for e in ShortlistEntry.objects.filter(vacancy=vacancy).select_related("candidate")
        if e.candidate_id not in left_out
    ]
    in_cohort = {m.candidate_id for m in cohort}
    on_shortlist = {e.candidate_id for e in shortlist}
    people: dict[int, dict] = {}
    for row in shown_people(actor, [*cohort, *shortlist]):
        if row.candidate_id in people:
            continue
        access.record_candidate(actor, row.candidate, ProcessingActivity.CANDIDATE_MATCHING)
        people[row.candidate_id] = {
            "candidate": row.candidate,
            "name": row.shown_name,
            "code": row.candidate.partner_label,
            "cohort": row.candidate_id in in_cohort,
            "shortlist": row.candidate_id in on_shortlist,
        }
    return sorted(people.values(), key=lambda p: p["code"])
