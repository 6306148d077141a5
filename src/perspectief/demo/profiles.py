"""What demo people want to do and can do, generated from ESCO so that the top of every demo
ranking makes sense.

Most demo people want the occupation of one of the demo's places (an order picker, a forklift
driver, a home-care worker) or another occupation of its ISCO unit group (a warehouse worker
for the order-picker places); the rest — a minority, so rankings are not trivially uniform —
want another occupation of the ISCO major groups where most of this programme's work is. Each
person holds a realistic share of their occupation's skills from ESCO's occupation–skill
relations, with noise: some essential skills missing, a few optional ones, and a few skills of
a neighbouring occupation (one of the same ISCO unit or minor group). Deterministic: every
draw comes from the caller's seeded random stream, over reference data in a fixed order.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from django.db.models import Q

from perspectief.candidates.constants import SkillSource
from perspectief.taxonomy.constants import SkillRelation
from perspectief.taxonomy.models import Occupation, OccupationSkill, Skill

#: ISCO major groups where most vacancies for this programme are: elementary occupations,
#: operators, craft, service and sales, clerical support.
ISCO_MAJOR = r"^[98754]"

#: Share of the demo people who want the occupation (ESCO Dutch label) of a demo place, or
#: another occupation of its ISCO unit group: logistics and care are where most people of
#: this programme look for work. The rest want another occupation (:data:`ISCO_MAJOR`).
SHARES = {"orderpicker": 0.32, "heftruckchauffeur": 0.13, "thuiszorgmedewerker": 0.17}
#: Of the people of a place's occupation, how many want exactly it (the others another
#: occupation of its ISCO unit group, where it has one).
OWN_OCCUPATION = 0.7
#: How likely a person holds each essential / optional skill of their occupation.
ESSENTIAL_KEPT = 0.7
OPTIONAL_KEPT = 0.2
#: How likely a person also wants a neighbouring occupation, and how many skills of a
#: neighbouring occupation a person holds besides their own.
SECOND_OCCUPATION = 0.3
NEIGHBOUR_SKILLS = (0, 1, 1, 2, 3)
#: Where people's skills come from, as in real files: mostly what they say and their work.
SOURCES = [SkillSource.STATED] * 3 + [SkillSource.EXPERIENCE] * 2 + [SkillSource.TESTED]


@dataclass
class Skills:
    essential: list[Skill]
    optional: list[Skill]


class Profiles:
    """ESCO reference data loaded once: the demo places' occupations with their unit
    groups, the other occupations, and every one's essential and optional skills."""

    def __init__(self) -> None:
        occupations = list(
            Occupation.objects.filter(_wanted())
            .select_related("isco_group")
            .only("pk", "uri", "label_nl", "isco_group__code")
            .order_by("uri")
        )
        self.group = {o.pk: o.isco_group.code if o.isco_group else "" for o in occupations}
        self.by_group: dict[str, list[Occupation]] = {}
        for occupation in occupations:
            self.by_group.setdefault(self.group[occupation.pk], []).append(occupation)
        #: (a demo place's occupation, the others of its unit group); (None, []): the rest.
        self.families: list[tuple[Occupation | None, list[Occupation]]] = []
        self.weights: list[float] = []
        for label, share in SHARES.items():
            own = next((o for o in occupations if o.label_nl.lower() == label), None)
            if own is not None:
                group = self.group[own.pk]
                mates = [o for o in self.by_group[group] if o.pk != own.pk] if group else []
                self.families.append((own, mates))
                self.weights.append(share)
        taken = {self.group[own.pk] for own, _mates in self.families if own is not None}
        self.others = [o for o in occupations if self.group[o.pk] not in taken]
        if self.others:  # the rest of the people
            self.families.append((None, []))
            self.weights.append(max(0.0, 1.0 - sum(self.weights)))
        self.skills = _skills(occupations)

    def draw(self, rng: random.Random) -> tuple[list[Occupation], list[tuple[Skill, str]]]:
        """One person's wanted occupations and skills (with where each comes from)."""
        if not self.families:
            return [], []
        own, mates = rng.choices(self.families, weights=self.weights)[0]
        if own is None:
            main = rng.choice(self.others)
        else:
            main = own if not mates or rng.random() < OWN_OCCUPATION else rng.choice(mates)
        skills = self.skills.get(main.pk, Skills([], []))
        held = [s for s in skills.essential if rng.random() < ESSENTIAL_KEPT]
        held += [s for s in skills.optional if rng.random() < OPTIONAL_KEPT]
        occupations = [main]
        neighbour = self._neighbour(rng, main)
        if neighbour is not None:
            theirs = self.skills.get(neighbour.pk, Skills([], [])).essential
            held += rng.sample(theirs, k=min(len(theirs), rng.choice(NEIGHBOUR_SKILLS)))
            if rng.random() < SECOND_OCCUPATION:
                occupations.append(neighbour)
        unique = {s.pk: s for s in held}
        return occupations, [(s, rng.choice(SOURCES)) for s in unique.values()]

    def _neighbour(self, rng: random.Random, occupation: Occupation) -> Occupation | None:
        """Another occupation of the same ISCO unit group, else of the same minor group."""
        group = self.group[occupation.pk]
        if not group:
            return None
        mates = [o for o in self.by_group[group] if o.pk != occupation.pk]
        if not mates:
            mates = [
                o
                for code, members in self.by_group.items()
                if code[:3] == group[:3] and code != group
                for o in members
            ]
        return rng.choice(mates) if mates else None

    def occupation(self, label: str) -> Occupation | None:
        """A demo place's occupation by its Dutch label (None where ESCO is not loaded)."""
        return next((own for own, _mates in self.families if own and own.label_nl == label), None)

    def essential(self, occupation: Occupation) -> list[Skill]:
        """The occupation's essential skills, in a fixed order."""
        return self.skills.get(occupation.pk, Skills([], [])).essential


def _wanted() -> Q:
    """The occupations demo people want: of :data:`ISCO_MAJOR`, and the demo places'."""
    return Q(isco_group__code__regex=ISCO_MAJOR) | Q(label_nl__in=list(SHARES))


def _skills(occupations: list[Occupation]) -> dict[int, Skills]:
    """Essential and optional skills per occupation, each list ordered by skill URI."""
    out: dict[int, Skills] = {o.pk: Skills([], []) for o in occupations}
    relations = list(
        OccupationSkill.objects.filter(occupation__in=Occupation.objects.filter(_wanted()))
        .order_by("occupation_id", "skill__uri")
        .values_list("occupation_id", "skill_id", "relation")
    )
    # One object per skill (only its key is read: people's skills are saved by it).
    skills = Skill.objects.only("pk").in_bulk({skill for _o, skill, _r in relations})
    for occupation, skill, relation in relations:
        entry = out[occupation]
        (entry.essential if relation == SkillRelation.ESSENTIAL else entry.optional).append(
            skills[skill]
        )
    return out
