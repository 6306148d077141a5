"""Explanations people read: for one match, every criterion with its points out of its
maximum and one plain sentence with the facts behind them ("woont 8 km van de plek; wil
maximaal 15 km reizen").

The points are the engine's (``Match.contributions``), the maximum is the criterion's weight
in the weights the ranking used, and the sentence reads the engine records of the pair — so
what the sentence says agrees with the points: the essential skills it counts as missing are
exactly the match's ``missing_essential`` (no credit), those credited in part through a
related skill are named as such, and an unknown fact is said as unknown with what it counts
for ("uren onbekend: telt half").

Two audiences: advisers (:data:`ADVISER`), and employers (:data:`EMPLOYER`), who never read
the priority criterion, motivation or support needs (they point at a target group or at
health), nor what a person can carry; their sentences address them formally
(:mod:`.explanation_employer`). Every page and API payload that explains a match uses
:func:`explain_criteria`."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date

from django.utils import formats, timezone
from django.utils.functional import Promise
from django.utils.translation import gettext, gettext_lazy, ngettext

from ..engine import conditions
from ..engine.records import CRITERIA, Candidate, Match, Vacancy, Weights
from .explanation_employer import EMPLOYER_PHRASES, distance_band

ADVISER = "adviser"
EMPLOYER = "employer"

CRITERIA_LABELS = {
    "essential_skills": gettext_lazy("essential skills"),
    "optional_skills": gettext_lazy("optional skills"),
    "occupation": gettext_lazy("occupation"),
    "distance": gettext_lazy("distance"),
    "hours": gettext_lazy("hours"),
    "education": gettext_lazy("education"),
    "language": gettext_lazy("Dutch language"),
    "priority": gettext_lazy("priority (furthest from work)"),
    "readiness": gettext_lazy("work-readiness"),
    "motivation": gettext_lazy("motivation"),
    "support": gettext_lazy("support at work"),
}

#: Criteria an employer never reads: the priority (a target group), motivation (an
#: adviser's assessment) and support needs (they point at health or a target group).
EMPLOYER_HIDDEN = frozenset({"priority", "motivation", "support"})

#: The adviser's wording of the sentences that name the place (the employer's is in
#: :data:`.explanation_employer.EMPLOYER_PHRASES`, under the same keys).
ADVISER_PHRASES: dict[str, Promise] = {
    "distance": gettext_lazy("lives %(km)s km from the place"),
    "occupation_none": gettext_lazy("the place names no occupation"),
    "occupation_same": gettext_lazy("wants this occupation"),
    "occupation_group": gettext_lazy("wants an occupation in the same occupational group"),
    "occupation_other": gettext_lazy("did not give this occupation"),
    "occupation_skills": gettext_lazy(
        "did not give this occupation, but has skills the place asks that are typical of it"
    ),
    "hours_place": gettext_lazy("the place is %(hours)s hours a week"),
    "hours_place_part_time": gettext_lazy(
        "the place is %(hours)s hours a week, part time from %(min)s hours"
    ),
    "hours_place_unknown": gettext_lazy("the place names no hours"),
    "education_place": gettext_lazy("the place asks %(level)s or higher"),
    "education_place_none": gettext_lazy("the place asks no education level"),
    "language_place": gettext_lazy("the place asks %(level)s"),
    "language_place_none": gettext_lazy("the place asks no level of Dutch"),
    "essential_none": gettext_lazy("the place names no essential skills"),
    "optional_none": gettext_lazy("the place names no optional skills"),
    "starts": gettext_lazy("the place starts on %(date)s"),
    "taught": gettext_lazy("%(n)s taught by the employer on the job"),
}

#: Education levels (NLQF) in words.
EDUCATION_LEVELS = {
    0: gettext_lazy("no diploma"),
    1: gettext_lazy("level 1 (mbo 1)"),
    2: gettext_lazy("level 2 (mbo 2)"),
    3: gettext_lazy("level 3 (mbo 3)"),
    4: gettext_lazy("level 4 (mbo 4, havo, vwo)"),
    5: gettext_lazy("level 5 (associate degree)"),
    6: gettext_lazy("level 6 (bachelor)"),
    7: gettext_lazy("level 7 (master)"),
    8: gettext_lazy("level 8 (doctorate)"),
}
#: The engine's language scale (0-6) in words.
LANGUAGE_LEVELS = {
    0: gettext_lazy("A0 (hardly any Dutch)"),
    1: "A1",
    2: "A2",
    3: "B1",
    4: "B2",
    5: "C1",
    6: gettext_lazy("native speaker"),
}
#: Support a person needs, and the same offered by a place.
NEEDS = {
    "adjusted": gettext_lazy("an adjusted place"),
    "jobcoach": gettext_lazy("a jobcoach"),
    "flexible_hours": gettext_lazy("flexible working hours"),
}
OFFERS = {
    "adjusted": gettext_lazy("adjusted work"),
    "jobcoach": gettext_lazy("job coaching"),
    "flexible_hours": gettext_lazy("flexible working hours"),
}


@dataclass(frozen=True)
class Pair:
    """What the sentences read: the match, the pair's records and how the criterion
    counted (``value``: its contribution over its weight, None without a weight)."""

    match: Match
    candidate: Candidate
    vacancy: Vacancy
    labels: Mapping[str, str]
    audience: str
    today: date
    value: float | None = None

    @property
    def employer(self) -> bool:
        return self.audience == EMPLOYER

    def phrase(self, key: str, **values) -> str:
        table = EMPLOYER_PHRASES if self.employer else ADVISER_PHRASES
        return str(table[key]) % values if values else str(table[key])

    def label(self, uri: str) -> str:
        return self.labels.get(uri, uri)


# --- words ---------------------------------------------------------------------------------


def number(value: float) -> str:
    """A number as the page writes it: whole numbers without decimals, else one (8,5)."""
    if abs(value - round(value)) < 0.05:
        return str(round(value))
    return formats.number_format(round(value, 1), 1)


def day(value: date) -> str:
    """A date in full, as the product says it elsewhere (6 december 2026)."""
    return formats.date_format(value, "j F Y")


def joined(items: list[str], *, either: bool = False) -> str:
    """ "a, b and c" (or "a, b or c")."""
    items = [str(i) for i in items]
    if len(items) < 2:
        return "".join(items)
    last = {"items": ", ".join(items[:-1]), "last": items[-1]}
    if either:
        return gettext("%(items)s or %(last)s") % last
    return gettext("%(items)s and %(last)s") % last


def counts(value: float | None) -> str:
    """What an unknown (or absent) fact counts for."""
    if value is None:
        return ""
    if value >= 0.995:
        return gettext("counts in full")
    if abs(value - 0.5) < 0.005:
        return gettext("counts half")
    if value <= 0.005:
        return gettext("does not count")
    return gettext("counts for %(percent)s%%") % {"percent": round(100 * value)}


def _unknown(text: str, value: float | None) -> str:
    said = counts(value)
    return f"{text}: {said}" if said else text


def _parts(*parts: str | None) -> str:
    return "; ".join(p for p in parts if p)


# --- one sentence per criterion ------------------------------------------------------------


def distance_sentence(candidate: Candidate, vacancy: Vacancy) -> str:
    """How far the person lives from the place and will travel, as an adviser reads it."""
    km = conditions.pair_km(candidate, vacancy)
    if km is None:
        return gettext("distance unknown: no location")
    shown = gettext("less than 1") if km < 1 else str(round(km))
    where = str(ADVISER_PHRASES["distance"]) % {"km": shown}
    if candidate.max_distance_km is None:
        travel = gettext("gave no maximum travel distance (counts as %(km)s km)")
    else:
        travel = gettext("will travel up to %(km)s km")
    return _parts(where, travel % {"km": number(conditions.reach_km(candidate))})


def _distance(p: Pair) -> str:
    if not p.employer:
        return distance_sentence(p.candidate, p.vacancy)
    km = conditions.pair_km(p.candidate, p.vacancy)
    if km is None:
        return gettext("distance unknown: no location")
    return p.phrase("distance", band=distance_band(km))


def _hours(p: Pair) -> str:
    c, v = p.candidate, p.vacancy
    wants = (
        gettext("wants to work %(hours)s hours a week") % {"hours": number(c.hours)}
        if c.hours is not None
        else gettext("hours wanted unknown")
    )
    carry = None
    if c.max_hours is not None and not p.employer:
        carry = gettext("can carry %(hours)s hours a week") % {"hours": number(c.max_hours)}
    if v.hours is None:
        place = p.phrase("hours_place_unknown")
    elif v.min_hours is not None and v.min_hours < v.hours:
        place = p.phrase("hours_place_part_time", hours=number(v.hours), min=number(v.min_hours))
    else:
        place = p.phrase("hours_place", hours=number(v.hours))
    text = _parts(wants, carry, place)
    return _unknown(text, p.value) if c.hours is None or v.hours is None else text


def _level_sentence(p: Pair, have, need, names, unknown: str, key: str) -> str:
    person = str(names.get(have, have)) if have is not None else unknown
    if not need:
        place = p.phrase(f"{key}_place_none")
    else:
        place = p.phrase(f"{key}_place", level=names.get(need, need))
    text = _parts(person, place)
    return _unknown(text, p.value) if have is None and need else text


def _education(p: Pair) -> str:
    return _level_sentence(
        p,
        p.candidate.education_level,
        p.vacancy.min_education_level,
        EDUCATION_LEVELS,
        gettext("education level unknown"),
        "education",
    )


def _language(p: Pair) -> str:
    return _level_sentence(
        p,
        p.candidate.dutch_level,
        p.vacancy.dutch_level,
        LANGUAGE_LEVELS,
        gettext("level of Dutch unknown"),
        "language",
    )


#: Where a match's occupation points come from (``Match.occupation_via``) → its phrase.
OCCUPATION_VIA = {
    "occupation": "occupation_same",
    "group": "occupation_group",
    "skills": "occupation_skills",
}


def _occupation_via(p: Pair) -> str | None:
    """The engine's word for where the points come from; for a match stored before the
    engine said so, read from the value (1: the occupation, 0.5: typical skills, less: the
    group)."""
    if p.match.occupation_via is not None or not p.value:
        return p.match.occupation_via
    if p.value >= 0.99:
        return "occupation"
    return "skills" if p.value >= 0.45 else "group"


def _occupation(p: Pair) -> str:
    wanted = p.vacancy.occupation
    if wanted is None:
        return p.phrase("occupation_none")
    if p.value is None:  # the criterion does not count: say what the records say
        same = wanted in p.candidate.occupations
        return p.phrase("occupation_same" if same else "occupation_other")
    return p.phrase(OCCUPATION_VIA.get(_occupation_via(p) or "", "occupation_other"))


def essential_counts(match: Match, vacancy: Vacancy) -> tuple[int, int, int, int]:
    """(the place's essential skills, those the person has, those credited in part through
    a related skill, those missing) — missing is exactly the match's ``missing_essential``."""
    total = len(dict.fromkeys(vacancy.essential_skills))
    missing = len(match.missing_essential)
    related = len(match.related_essential)
    return total, max(total - missing - related, 0), related, missing


def _essential(p: Pair) -> str:
    total, has, related, missing = essential_counts(p.match, p.vacancy)
    if total == 0:
        return _unknown(p.phrase("essential_none"), p.value)
    parts = [
        ngettext(
            "has %(has)s of the %(total)s essential skill",
            "has %(has)s of the %(total)s essential skills",
            total,
        )
        % {"has": has, "total": total}
    ]
    if related:
        via = "; ".join(
            gettext("%(skill)s, via %(via)s")
            % {"skill": p.label(r["skill"]), "via": p.label(r["via"])}
            for r in p.match.related_essential
        )
        parts.append(
            ngettext(
                "%(n)s in part through a related skill (%(via)s)",
                "%(n)s in part through related skills (%(via)s)",
                related,
            )
            % {"n": related, "via": via}
        )
    if missing:
        taught = sum(1 for m in p.match.missing_essential if m["teachable"])
        lacks = ngettext("misses %(n)s", "misses %(n)s", missing) % {"n": missing}
        if taught:
            lacks = f"{lacks} ({p.phrase('taught', n=taught)})"
        parts.append(lacks)
    return _parts(*parts)


def _optional(p: Pair) -> str:
    essential = set(p.vacancy.essential_skills)
    optional = [s for s in dict.fromkeys(p.vacancy.optional_skills) if s not in essential]
    if not optional:
        return p.phrase("optional_none")
    held = set(p.candidate.skills)
    has = sum(1 for s in optional if s in held)
    text = ngettext(
        "has %(has)s of the %(total)s optional skill",
        "has %(has)s of the %(total)s optional skills",
        len(optional),
    ) % {"has": has, "total": len(optional)}
    if has < len(optional) and p.value is not None and p.value > has / len(optional) + 1e-6:
        text = _parts(text, gettext("related skills count in part"))
    return text


def _priority(p: Pair) -> str:
    value = p.value if p.value is not None else p.candidate.priority
    if value >= 0.5:
        return gettext("belongs to a group furthest from work: gets priority")
    return gettext("not in a priority group")


def _readiness(p: Pair) -> str:
    c = p.candidate
    starts = p.phrase("starts", date=day(p.vacancy.start_date)) if p.vacancy.start_date else None
    if c.readiness is None:
        return _unknown(_parts(gettext("work-readiness unknown"), starts), p.value)
    when = c.ready_from
    if c.readiness >= 0.75:
        if when is None:
            state = gettext("work-ready")
        elif when <= p.today:
            state = gettext("work-ready since %(date)s") % {"date": day(when)}
        else:
            state = gettext("work-ready from %(date)s") % {"date": day(when)}
        return _parts(state, starts)
    state = gettext("nearly work-ready") if c.readiness >= 0.25 else gettext("not yet work-ready")
    expected = gettext("expected work-ready on %(date)s") % {"date": day(when)} if when else None
    return _parts(state, expected, starts)


def _motivation(p: Pair) -> str:
    level = p.candidate.motivation
    if level is None:
        return _unknown(gettext("motivation unknown"), p.value)
    if level >= 0.8:
        return gettext("motivation high")
    if level >= 0.4:
        return gettext("motivation medium")
    return gettext("motivation low")


def _support(p: Pair) -> str:
    needs = [n for n in dict.fromkeys(p.candidate.needs) if n in NEEDS]
    if not needs:
        return gettext("needs no support at work (as far as known)")
    offered = set(p.vacancy.offers)
    met = [str(OFFERS[n]) for n in needs if n in offered]
    unmet = [str(OFFERS[n]) for n in needs if n not in offered]
    need = gettext("needs %(needs)s") % {"needs": joined([str(NEEDS[n]) for n in needs])}
    if not unmet:
        place = gettext("the place offers %(offers)s") % {"offers": joined(met)}
    elif not met:
        place = gettext("the place does not offer %(missing)s") % {
            "missing": joined(unmet, either=True)
        }
    else:
        place = gettext("the place offers %(offers)s, but not %(missing)s") % {
            "offers": joined(met),
            "missing": joined(unmet, either=True),
        }
    return _parts(need, place)


SENTENCES: dict[str, Callable[[Pair], str]] = {
    "essential_skills": _essential,
    "optional_skills": _optional,
    "occupation": _occupation,
    "distance": _distance,
    "hours": _hours,
    "education": _education,
    "language": _language,
    "priority": _priority,
    "readiness": _readiness,
    "motivation": _motivation,
    "support": _support,
}


# --- the explanation -----------------------------------------------------------------------


#: The order criteria are said in: the engine's (a criterion it does not know comes last).
CRITERIA_ORDER = {name: i for i, name in enumerate(CRITERIA)}


def shown_criteria(match: Match, *, show_priority: bool, audience: str = ADVISER) -> list[str]:
    """The criteria of the match the reader may see, in the engine's order — not the order
    of the stored contributions, which PostgreSQL's jsonb does not keep."""
    hidden = set(EMPLOYER_HIDDEN) if audience == EMPLOYER else set()
    if not show_priority:
        hidden.add("priority")
    shown = [name for name in match.contributions if name not in hidden]
    return sorted(shown, key=lambda name: CRITERIA_ORDER.get(name, len(CRITERIA_ORDER)))


def explain_criteria(
    match: Match,
    candidate: Candidate,
    vacancy: Vacancy,
    *,
    weights: Weights | None = None,
    labels: Mapping[str, str] | None = None,
    show_priority: bool = True,
    audience: str = ADVISER,
    today: date | None = None,
) -> list[dict]:
    """Per criterion the reader may see: ``{criterion, label, points, max, text}``.

    ``points`` is ``round(100 * contribution)``, ``max`` ``round(100 * weight)`` in the
    ``weights`` the ranking used (None for a criterion those weights do not have),
    ``text`` one sentence with the facts. ``labels``: skill labels by URI (see
    :func:`skills_to_label`). Without ``show_priority`` (an organisation that does not serve
    the person) and for employers the priority criterion is left out."""
    by_name = (weights or Weights()).as_dict()
    today = today or timezone.localdate()
    rows = []
    for name in shown_criteria(match, show_priority=show_priority, audience=audience):
        contribution = match.contributions[name]
        weight = by_name.get(name)
        pair = Pair(
            match=match,
            candidate=candidate,
            vacancy=vacancy,
            labels=labels or {},
            audience=audience,
            today=today,
            value=contribution / weight if weight else None,
        )
        sentence = SENTENCES.get(name)
        rows.append(
            {
                "criterion": name,
                "label": str(CRITERIA_LABELS.get(name, name.replace("_", " "))),
                "points": round(100 * contribution),
                "max": round(100 * weight) if weight is not None else None,
                "text": sentence(pair) if sentence is not None else "",
            }
        )
    return rows


def skills_to_label(match: Match) -> set[str]:
    """The skill URIs an explanation names: the missing essential skills, and those credited
    in part with the skill they are credited through."""
    uris = {m["skill"] for m in match.missing_essential}
    for r in match.related_essential:
        uris |= {r["skill"], r["via"]}
    return uris
