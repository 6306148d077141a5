"""The access log: one record per read or change of one person's data.

Records are collected per request (or per CLI/task scope) and written by
:class:`~perspectief.audit.middleware.AccessLogMiddleware` *after* the view has finished,
outside its transaction, so a request that fails or rolls back still leaves its trace,
with the result the request ended with.
"""

from __future__ import annotations

import contextlib
import contextvars
import uuid
from dataclasses import dataclass, field
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from perspectief.core import bulk
from perspectief.core.authz import Actor

from .constants import AccessResult, SubjectType
from .models import AccessRecord, subject_pseudonym


@dataclass
class _Pending:
    activity: str
    subject_type: str
    subject_id: str
    actor: object
    operation: str
    result: str | None
    started_at: datetime = field(default_factory=timezone.now)


@dataclass
class Scope:
    trace_id: str
    request: str = ""
    pending: list[_Pending] = field(default_factory=list)


_scope: contextvars.ContextVar[Scope | None] = contextvars.ContextVar("access_scope", default=None)


def record_candidate(actor: Actor, candidate, activity: str, operation: str = "read") -> None:
    """:func:`record` for one job seeker (the most common subject)."""
    record(
        actor=actor,
        activity=activity,
        subject_type=SubjectType.CANDIDATE,
        subject_id=candidate.uuid,
        operation=operation,
    )


def record(
    *,
    actor: Actor,
    activity: str,
    subject_type: str,
    subject_id,
    operation: str = "read",
    result: str | None = None,
) -> None:
    """Log that ``actor`` processed a person's data for ``activity``.

    ``result`` is normally left open and filled in from how the request ends (completed,
    denied, not found, failed); pass it to fix the outcome explicitly.
    """
    item = _Pending(
        activity=str(activity),
        subject_type=str(subject_type),
        subject_id=str(subject_id),
        actor=actor,
        operation=operation,
        result=result,
    )
    scope = _scope.get()
    if scope is not None:
        scope.pending.append(item)
        return
    # No request or CLI scope: write straight away (own scope of one record).
    _write(Scope(trace_id=uuid.uuid4().hex), [item], AccessResult.OK)


def _write(scope: Scope, items: list[_Pending], default_result: str) -> None:
    make = bulk.Blueprint(AccessRecord)
    # What a record takes of its actor, worked out once per actor (a batch has one).
    of_actor: dict[int, dict] = {}
    rows = []
    for item in items:
        actor = item.actor
        if id(actor) not in of_actor:
            of_actor[id(actor)] = _of_actor(actor)
        rows.append(
            make(
                trace_id=scope.trace_id,
                started_at=item.started_at,
                activity=item.activity,
                data_subject=subject_pseudonym(item.subject_type, item.subject_id),
                data_subject_type=item.subject_type,
                **of_actor[id(actor)],
                operation=item.operation,
                result=item.result or default_result,
                request=scope.request[:300],
            )
        )
    if rows:
        # A savepoint when called inside a transaction; the caller decides about rollbacks.
        with transaction.atomic():
            bulk.insert(rows)


def _of_actor(actor) -> dict:
    membership = getattr(actor, "membership", None)
    organisation = getattr(actor, "organisation", None)
    return {
        "actor_user_id": getattr(getattr(actor, "user", None), "pk", None),
        "actor_display": str(getattr(getattr(actor, "user", None), "username", None) or "system"),
        "organisation_id": getattr(organisation, "pk", None),
        "organisation_name": getattr(organisation, "name", ""),
        "role": getattr(membership, "role", "") or getattr(actor, "role", ""),
        "channel": getattr(actor, "channel", "system"),
    }


@contextlib.contextmanager
def scope(*, request: str = ""):
    """Collect access records and write them when the scope ends, also when it fails.

    The outcome of records without an explicit result: OK when the block completes,
    ERROR when it raises (unless :func:`finish` was called with another result).
    """
    current = Scope(trace_id=uuid.uuid4().hex, request=request)
    token = _scope.set(current)
    outcome = {"result": AccessResult.OK}
    try:
        yield outcome
    except BaseException:
        outcome["result"] = AccessResult.ERROR
        raise
    finally:
        _scope.reset(token)
        _write(current, current.pending, outcome["result"])


def flush(result: str = AccessResult.OK) -> None:
    """Write what the current scope collected so far (long jobs call this per batch, so a
    crash later does not lose the records of the work already committed)."""
    current = _scope.get()
    if current is not None and current.pending:
        _write(current, current.pending, result)
        current.pending = []


def mark() -> int:
    """How many records the current scope holds unwritten: :func:`discard` drops those
    collected after this (work rolled back and done again: a batch of an import retried
    after its database connection dropped)."""
    current = _scope.get()
    return len(current.pending) if current is not None else 0


def discard(since: int) -> None:
    """Drop the unwritten records collected after :func:`mark` returned ``since``."""
    current = _scope.get()
    if current is not None:
        del current.pending[since:]


def current_trace_id() -> str | None:
    scope_ = _scope.get()
    return scope_.trace_id if scope_ else None
