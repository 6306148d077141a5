"""The mutation audit: call :func:`record` inside the service's transaction."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import models

from perspectief.core import bulk
from perspectief.core.authz import Actor

from .models import AuditEvent


def _plain(value: Any) -> Any:
    if isinstance(value, models.Model):
        return str(getattr(value, "uuid", value.pk))
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    return str(value)


def diff(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    """Changed fields as ``{field: [old, new]}``."""
    return {
        key: [_plain(before.get(key)), _plain(after.get(key))]
        for key in sorted(set(before) | set(after))
        if _plain(before.get(key)) != _plain(after.get(key))
    }


def build(
    event: str,
    *,
    actor: Actor | None,
    target: models.Model,
    changes: dict[str, list[Any]] | None = None,
) -> AuditEvent:
    """An unsaved audit event, for services that write many at once (bulk imports)."""
    return builder(actor)(event, target=target, changes=changes)


def builder(actor: Actor | None) -> Callable[..., AuditEvent]:
    """:func:`build` for many events of one actor: what the events take of the actor is
    worked out once, and the events are built without ``Model.__init__``'s work per field
    (:class:`~perspectief.core.bulk.Blueprint`); the same events as :func:`build`'s."""
    user = getattr(actor, "user", None)
    of_actor = {
        "actor_user": user,
        "actor_display": str(getattr(user, "username", None) or "system"),
        "organisation": getattr(actor, "organisation", None),
        "channel": getattr(actor, "channel", "system"),
    }
    make = bulk.Blueprint(AuditEvent)

    def build_one(
        event: str, *, target: models.Model, changes: dict[str, list[Any]] | None = None
    ) -> AuditEvent:
        return make(
            event=event,
            **of_actor,
            target_type=getattr(target, "audit_target_type", None) or target._meta.label_lower,
            target_id=str(getattr(target, "uuid", None) or target.pk),
            changes=changes or {},
        )

    return build_one


def record(
    event: str,
    *,
    actor: Actor | None,
    target: models.Model,
    changes: dict[str, list[Any]] | None = None,
) -> AuditEvent:
    """Write a mutation audit event (event name such as ``organisation.created``)."""
    event_row = build(event, actor=actor, target=target, changes=changes)
    event_row.save()
    return event_row
