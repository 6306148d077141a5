"""Reads of a place's shortlist, shared by the region's partners: the people the adviser may
see (names only for a serving organisation, the score without the priority part otherwise),
each access logged, and how many others are on it."""

from __future__ import annotations

from perspectief.audit import access
from perspectief.audit.constants import Operation, ProcessingActivity
from perspectief.core.authz import Actor
from perspectief.vacancies.selectors.places import shown_people

from ..models import ShortlistEntry
from .proposals import shown_score


def entry_score(entry) -> float | None:
    """The engine's score of a shortlist entry as the viewer may see it: without the
    priority part unless the viewer's organisation serves the person (``entry.served``)."""
    if entry.engine_score is None:
        return None
    return shown_score(entry.engine_score, entry.engine_priority, served=entry.served)


def shortlist_visible(*, actor: Actor, vacancy):
    """The shortlist of a place as the adviser may see it (names only for a serving
    organisation), each person logged, and how many others are on it."""
    rows = list(
        ShortlistEntry.objects.filter(vacancy=vacancy).select_related("candidate", "added_for")
    )
    shown = shown_people(actor, rows)
    for entry in shown:
        entry.can_change = entry.served or entry.added_for_id == actor.organisation.pk
        entry.shown_score = entry_score(entry)
        access.record_candidate(
            actor, entry.candidate, ProcessingActivity.CANDIDATE_MATCHING, Operation.READ
        )
    # By the score the viewer sees, then when the entry was added (the stored order uses the
    # full score, whose priority part an organisation that does not serve the person may not
    # see, also among equal shown scores); unscored last.
    shown.sort(key=lambda e: (e.shown_score is None, -(e.shown_score or 0), e.created_at, e.pk))
    return shown, len(rows) - len(shown)
