"""Handing the person their data (AVG art. 15 and 20): the file for a computer and the
readable document, for the person themself or a klantmanager of a serving organisation.
Each is logged as a processing (``candidate.export``), health data also under their own
activity."""

from __future__ import annotations

from perspectief.audit import access
from perspectief.audit import services as audit
from perspectief.audit.constants import Operation, ProcessingActivity
from perspectief.core.authz import Actor, Permission

from ..models import Candidate
from ..selectors.document import Section, sections
from ..selectors.export import export_data
from ..selectors.people import own_or_served


def _with_health(actor: Actor, *, own: bool) -> bool:
    """Health data (functional limitations) keep their own permission: the person sees
    their own; staff only with that permission."""
    return own or actor.has_perm(Permission.VIEW_HEALTH)


def _log_data(actor: Actor, candidate, operation, *, own: bool, with_health: bool) -> None:
    """Log handing out the person's data; health data also under their own activity."""
    access.record_candidate(actor, candidate, ProcessingActivity.CANDIDATE_EXPORT, operation)
    if with_health and not own and hasattr(candidate, "health"):
        access.record_candidate(actor, candidate, ProcessingActivity.CANDIDATE_HEALTH, operation)


def candidate_export(*, actor: Actor, candidate: Candidate) -> dict:
    """Everything the platform holds about the person, for the person (AVG art. 15)."""
    own = own_or_served(actor, candidate)
    with_health = _with_health(actor, own=own)
    data = export_data(candidate, with_health=with_health)
    _log_data(actor, candidate, Operation.EXPORT, own=own, with_health=with_health)
    audit.record("candidate.exported", actor=actor, target=candidate)
    return data


def candidate_document(*, actor: Actor, candidate: Candidate) -> list[Section]:
    """The same data as :func:`candidate_export`, as a readable document for the person
    (AVG art. 15); shown, so logged as a read."""
    own = own_or_served(actor, candidate)
    with_health = _with_health(actor, own=own)
    document = sections(candidate, with_health=with_health)
    _log_data(actor, candidate, Operation.READ, own=own, with_health=with_health)
    return document
