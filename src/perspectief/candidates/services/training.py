"""Skills from training: a course the person completed on their route adds the ESCO skills
it teaches to the profile, with the source *scholing*, the day and the route step it came
from. The route (an app above this one) calls these inside the transaction of the
completion, after it checked who may record it; each writes the audit and the access log
of the profile change."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from uuid import UUID

from perspectief.audit import access
from perspectief.audit import services as audit
from perspectief.audit.constants import Operation
from perspectief.core.authz import Actor
from perspectief.taxonomy.models import Skill

from ..completeness import completeness_of
from ..constants import SkillSource
from ..models import Candidate, CandidateSkill


def skills_from_training(
    *,
    actor: Actor,
    candidate: Candidate,
    skills: Iterable[Skill],
    on: date,
    route_step: UUID,
    activity: str,
) -> dict[str, list[str]]:
    """Add the skills a completed course taught. A skill the person did not have yet comes
    in with the source *scholing* and ``on`` as the day it was acquired; a skill they had
    keeps its source and its date, and the course is noted on it (unless an earlier course
    already is). Returns the URIs ``added`` and ``noted``."""
    candidate = Candidate.objects.select_for_update().get(pk=candidate.pk)
    have = {row.skill_id: row for row in candidate.skills.select_related("skill")}
    added: list[CandidateSkill] = []
    noted: list[CandidateSkill] = []
    for skill in {s.pk: s for s in skills}.values():
        row = have.get(skill.pk)
        if row is None:
            added.append(
                CandidateSkill(
                    candidate=candidate,
                    skill=skill,
                    source=SkillSource.TRAINING,
                    acquired_on=on,
                    route_step=route_step,
                    trained_on=on,
                )
            )
        elif row.route_step is None:
            row.route_step, row.trained_on = route_step, on
            noted.append(row)
    CandidateSkill.objects.bulk_create(added)
    CandidateSkill.objects.bulk_update(noted, ["route_step", "trained_on"])
    result = {
        "added": sorted(r.skill.uri for r in added),
        "noted": sorted(r.skill.uri for r in noted),
    }
    if added or noted:
        _changed(
            actor,
            candidate,
            "candidate.skills_from_training",
            {
                "skills_added": [None, result["added"]],
                "skills_noted": [None, result["noted"]],
                "route_step": [None, str(route_step)],
                "acquired_on": [None, on.isoformat()],
            },
        )
    access.record_candidate(actor, candidate, activity, Operation.CHANGE)
    return result


def skills_from_training_withdrawn(
    *, actor: Actor, candidate: Candidate, route_step: UUID, activity: str
) -> dict[str, list[str]]:
    """Undo what :func:`skills_from_training` did for ``route_step``: remove only the skills
    that the course added, and take the course's note off the skills the person already
    had (they keep them, with their own source)."""
    candidate = Candidate.objects.select_for_update().get(pk=candidate.pk)
    rows = candidate.skills.filter(route_step=route_step).select_related("skill")
    removed = [r for r in rows if r.source == SkillSource.TRAINING]
    kept = [r for r in rows if r.source != SkillSource.TRAINING]
    CandidateSkill.objects.filter(pk__in=[r.pk for r in removed]).delete()
    for row in kept:
        row.route_step = row.trained_on = None
    CandidateSkill.objects.bulk_update(kept, ["route_step", "trained_on"])
    result = {
        "removed": sorted(r.skill.uri for r in removed),
        "unnoted": sorted(r.skill.uri for r in kept),
    }
    if removed or kept:
        _changed(
            actor,
            candidate,
            "candidate.skills_from_training_withdrawn",
            {
                "skills_removed": [result["removed"], None],
                "skills_unnoted": [result["unnoted"], None],
                "route_step": [str(route_step), None],
            },
        )
    access.record_candidate(actor, candidate, activity, Operation.CHANGE)
    return result


def _changed(actor: Actor, candidate: Candidate, event: str, changes: dict) -> None:
    """The profile changed: its completeness follows, and the audit records what changed."""
    completeness = completeness_of(candidate)
    if completeness != candidate.completeness:
        candidate.completeness = completeness
        candidate.save(update_fields=["completeness", "updated_at"])
    else:
        candidate.save(update_fields=["updated_at"])
    audit.record(event, actor=actor, target=candidate, changes=changes)
