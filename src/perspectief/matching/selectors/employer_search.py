"""The employer's search of the region's anonymous profiles, ranked by the matching engine.

An employer searches for one of its own open places, or for an occupation (an ESCO concept
chosen from the suggestions, or free words that resolve to occupations). The people in the
employer's pool (:func:`~.employer.search_pool`: current, available, with a regional profile
the person and their klantmanager agreed to) are then ranked with the same constraints an
adviser's ranking uses — reach, driving licence, availability by the start, the hours a person
can carry, physical load, sectors a person will not work in — and the same criteria, minus
what an employer may not see: the priority criterion (it would reveal a target group) and
functional limitations (never loaded for an employer). Only people with some evidence for the
search (the occupation, its ISCO group or one of its essential skills itself) are listed, best
first, a page at a time, with the weights and minimum score of the region's matching setting
in force (:mod:`.configuration`). Without a place or an occupation the search is a filter on the
profile, in the profile's own order (:data:`~.employer.SEARCH_ORDER`).

Each page counts as one search against the employer's hourly limit and its profiles against
the daily limit; each search is audited and each profile shown is in the access log.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext, pgettext_lazy

from perspectief.audit import services as audit
from perspectief.candidates.models import Candidate
from perspectief.core.authz import Actor
from perspectief.regions.models import Postcode
from perspectief.taxonomy.models import Occupation, OccupationSkill, Skill
from perspectief.taxonomy.search import resolve_occupations, suggest
from perspectief.vacancies.constants import VacancyStatus
from perspectief.vacancies.models import Vacancy

from ..engine import records
from ..engine.candidate_index import CandidateIndex
from ..engine_records import (
    candidate_record,
    people_for_engine,
    places_for_engine,
    taxonomy,
    vacancy_record,
)
from . import employer as employer_side
from .configuration import Setting, in_force
from .explanation import (
    EMPLOYER,
    EMPLOYER_SEARCH,
    essential_counts,
    explain_criteria,
    skills_to_label,
)

#: Profiles per page of an employer's search.
PAGE_SIZE = employer_side.PAGE_SIZE


@dataclass
class RankedSearch:
    """One page of a search: the profiles (projections, each with what counted), how many
    were found, and what the search was ranked for."""

    profiles: list[dict]
    total: int
    #: The page shown (a Django Page over the ranked people), None for a plain filter.
    page: Page | None = None
    ranked: bool = False
    #: The occupations the search was ranked for (the first counts), as (uri, label).
    occupations: list[tuple[str, str]] = field(default_factory=list)
    place: Vacancy | None = None


def _location(employer) -> Postcode | None:
    """Where the employer works: its own postcode, else its first location, else the first
    postcode of its gemeente (a fixed choice, so that a search is repeatable)."""
    if employer.postcode_id:
        return employer.postcode
    first = employer.locations.select_related("postcode").order_by("pk").first()
    if first is not None:
        return first.postcode
    municipality = employer.organisation.municipality_id
    if municipality is None:
        return None
    return Postcode.objects.filter(municipality_id=municipality).order_by("code").first()


def search_record(
    employer, occupation: Occupation, skill_uris: list[str], hours: int | None = None
) -> records.Vacancy:
    """What the engine ranks for when an employer searches an occupation: a place of that
    occupation at the employer's location, asking the occupation's essential skills (ESCO)
    and any skill the employer named, and the hours the employer filtered on; no level or
    licence asked."""
    known = taxonomy().skills
    relations = OccupationSkill.objects.filter(occupation=occupation).values_list(
        "skill__uri", "relation"
    )
    essential = [u for u, rel in relations if rel == "essential" and u in known]
    optional = [u for u, rel in relations if rel == "optional" and u in known]
    extra = [u for u in skill_uris if u in known]
    where = _location(employer)
    return records.Vacancy(
        id="search",
        lat=where.latitude if where is not None else None,
        lon=where.longitude if where is not None else None,
        occupation=occupation.uri if occupation.uri in taxonomy().occupations else None,
        essential_skills=list(dict.fromkeys(essential + extra)),
        optional_skills=[u for u in optional if u not in essential and u not in extra],
        sector=employer.sector.code if employer.sector_id else None,
        hours=hours,
    )


def occupations_for(text: str, uri: str = "") -> list[Occupation]:
    """The occupations a search is for: the chosen concept, or what the free words resolve
    to (best first, at most five). A URI that is not an ESCO occupation is refused."""
    if uri:
        chosen = Occupation.objects.filter(uri=uri).first()
        if chosen is None:
            raise ValidationError(
                _("This occupation does not exist. Choose one of the suggestions."),
                code="unknown_occupation",
            )
        return [chosen]
    if not text:
        return []
    found = [s.uri for s in resolve_occupations(text, limit=5)]
    by_uri = Occupation.objects.in_bulk(found, field_name="uri")
    return [by_uri[u] for u in found if u in by_uri]


def skills_for(text: str) -> list[str]:
    """The ESCO skill that a skill typed in the search stands for (the best suggestion)."""
    if not text:
        return []
    return [s.uri for s in suggest(text, kind="skill", limit=1)]


def _relevant(match: records.Match, vacancy: records.Vacancy) -> bool:
    """Some evidence for what was searched: the occupation (or its group, or skills typical
    of it), or one of the essential skills itself — credit through a related skill alone
    is too weak (the walk of #18 listed a train dispatcher for "orderpicker" on it)."""
    c = match.contributions
    if c.get("occupation", 0.0) > 0:
        return True
    if not vacancy.essential_skills:
        return c.get("essential_skills", 0.0) > 0
    _total, has, _related, _missing = essential_counts(match, vacancy)
    return has > 0


def _filtered_pool(employer, filters: dict):
    qs = employer_side.profile_filters(employer_side.search_pool(employer), filters)
    return Candidate.objects.filter(pk__in=qs.values("pk").distinct())


def rank_pool(
    employer, pool, vacancy: records.Vacancy, setting: Setting
) -> list[tuple[Candidate, records.Match, records.Candidate]]:
    """Everyone in the pool the engine admits for the record, with some evidence, best
    first by the score an employer's ranking may use (without the priority criterion), then
    by the employer's code for the person (a keyed hash: it says nothing about them)."""
    if vacancy.lat is None:
        return []
    people = list(people_for_engine(pool))
    if not people:
        return []
    by_id = {str(p.uuid): p for p in people}
    person_records = {str(p.uuid): candidate_record(p) for p in people}
    index = CandidateIndex(taxonomy(), list(person_records.values()), setting.weights)
    found = setting.keep(index.top_for_vacancy(vacancy, len(people)))
    ranked = [m for m in found if _relevant(m, vacancy)]
    for m in ranked:
        m.score = m.score - m.contributions.pop("priority", 0.0)
    # The code is a keyed hash, computed here: only the people shown get a stored pseudonym
    # (profiles_for), not everyone the search ranks.
    ranked.sort(key=lambda m: (-m.score, employer_side.code_for(employer, by_id[m.id])))
    return [(by_id[m.id], m, person_records[m.id]) for m in ranked]


#: How well a criterion fits, in words for an employer (beside its points).
FIT_WORDS = (
    (0.99, pgettext_lazy("employer", "fits")),
    (0.5, pgettext_lazy("employer", "fits largely")),
    (0.01, pgettext_lazy("employer", "fits partly")),
    (-1.0, pgettext_lazy("employer", "does not fit")),
)

#: What an employer is told per criterion (never priority: it would reveal a target group;
#: nor motivation or support needs).
EMPLOYER_CRITERIA = {
    "occupation": gettext_lazy("occupation"),
    "essential_skills": gettext_lazy("essential skills"),
    "optional_skills": gettext_lazy("optional skills"),
    "distance": gettext_lazy("distance"),
    "hours": gettext_lazy("hours"),
    "education": gettext_lazy("education"),
    "language": gettext_lazy("Dutch language"),
}

#: Criteria an employer reads without points: the distance's points are its km over the
#: person's reach, and from a few places of its choosing an employer could work out where
#: the person lives; it reads the distance as a band.
WITHOUT_POINTS = frozenset({"distance"})


def _asked(name: str, vacancy: records.Vacancy) -> bool:
    """Whether the search or place asks anything of this criterion (an unasked one is not
    a fit or a misfit, so it is not said)."""
    asked = {
        "optional_skills": bool(vacancy.optional_skills),
        "essential_skills": bool(vacancy.essential_skills),
        "occupation": vacancy.occupation is not None,
        "hours": vacancy.hours is not None,
        "education": vacancy.min_education_level is not None,
        "language": vacancy.dutch_level is not None,
    }
    return asked.get(name, True)


def employer_skill_labels(uris) -> dict[str, str]:
    """Skill labels for an employer's sentences, by URI; a skill with only an English label
    is marked as such ("pick orders (Engels)")."""
    return {
        s.uri: (
            pgettext("employer", "%(label)s (English)") % {"label": s.label}
            if s.label_is_english
            else s.label
        )
        for s in Skill.objects.filter(uri__in=list(uris))
    }


def explain_for_employer(
    match: records.Match,
    vacancy: records.Vacancy,
    person: records.Candidate,
    *,
    for_place: bool,
    weights: records.Weights | None = None,
):
    """Per criterion an employer may read that counts and is asked: its points out of its
    maximum (not for the distance: a band), how well the person fits in words, and the
    sentence with the facts (:mod:`.explanation_employer`), worded for one of the employer's
    places or for its search of an occupation; never priority, motivation or support
    needs, never a total score."""
    w = (weights or records.Weights()).as_dict()
    rows = []
    for row in explain_criteria(
        match,
        person,
        vacancy,
        weights=weights,
        labels=employer_skill_labels(skills_to_label(match)),
        show_priority=False,
        audience=EMPLOYER if for_place else EMPLOYER_SEARCH,
    ):
        name = row["criterion"]
        if name not in EMPLOYER_CRITERIA or not w.get(name) or not _asked(name, vacancy):
            continue
        share = match.contributions[name] / w[name]
        shown = name not in WITHOUT_POINTS
        rows.append(
            {
                "criterion": name,
                "label": EMPLOYER_CRITERIA[name],
                "points": row["points"] if shown else None,
                "max": row["max"] if shown else None,
                "fit": next(text for floor, text in FIT_WORDS if share >= floor),
                "text": row["text"],
            }
        )
    return rows


def own_open_place(employer, uuid) -> Vacancy | None:
    return places_for_engine(
        Vacancy.objects.filter(employer=employer, status=VacancyStatus.OPEN, uuid=uuid)
    ).first()


def search(
    *,
    actor: Actor,
    filters: dict,
    occupations: list[Occupation] | None = None,
    skill_uris: list[str] | None = None,
    place: Vacancy | None = None,
    page: int = 1,
) -> RankedSearch:
    """A page of the employer's search, ranked by the engine for ``place`` (one of the
    employer's open places) or the first of ``occupations``; without either, the profile
    filter of :func:`.employer.search`. Limits, audit and access log as described above."""
    employer = employer_side.employer_of(actor)
    occupations = occupations or []
    if place is None and not occupations:
        result = employer_side.search(actor=actor, filters=filters)
        return RankedSearch(profiles=result.profiles, total=result.total)
    employer_side.limit_search(actor, employer)
    if place is not None:
        record = vacancy_record(place)
    else:
        record = search_record(
            employer, occupations[0], skill_uris or [], hours=filters.get("hours")
        )
    setting = in_force(employer.organisation.region_id)
    ranked = rank_pool(employer, _filtered_pool(employer, filters), record, setting)
    shown_page = Paginator(ranked, PAGE_SIZE).get_page(page)
    shown_rows = list(shown_page.object_list)
    employer_side.charge_profiles(actor, employer, len(shown_rows))
    shown = employer_side.profiles_for(
        actor, employer, [c for c, _m, _r in shown_rows], vacancy=place
    )
    profiles = []
    for candidate, match, person in shown_rows:
        fits = explain_for_employer(
            match, record, person, for_place=place is not None, weights=setting.weights
        )
        profiles.append({**shown[candidate.pk], "explanation": fits})
    audit.record(
        "employer.searched",
        actor=actor,
        target=employer,
        changes={
            "filters": [None, {k: v for k, v in filters.items() if v not in (None, "", False)}],
            "ranked_for": [
                None,
                str(place.uuid) if place is not None else occupations[0].uri,
            ],
            "page": [None, shown_page.number],
            "shown": [None, len(shown_rows)],
        },
    )
    return RankedSearch(
        profiles=profiles,
        total=len(ranked),
        page=shown_page,
        ranked=True,
        occupations=[(o.uri, o.label) for o in occupations or []],
        place=place,
    )


def search_for(*, actor: Actor, employer, data: dict) -> RankedSearch:
    """The search as the page and the API ask it, from a valid search form's data: the
    occupation (chosen or typed), a skill, one of the employer's places, the filters and
    the page. Each profile shown carries, per criterion, its points and the facts in
    words. An unknown occupation URI is a ValidationError."""
    occupations = occupations_for(data.get("occupation", ""), data.get("occupation_uri", ""))
    place = own_open_place(employer, data["place"]) if data.get("place") else None
    result = search(
        actor=actor,
        filters={k: data.get(k) for k in ("municipality", "hours", "driving_licence")},
        occupations=occupations,
        skill_uris=skills_for(data.get("skill", "")),
        place=place,
        page=data.get("page") or 1,
    )
    return result
