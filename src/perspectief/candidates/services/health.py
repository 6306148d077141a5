"""Functional limitations: a more restricted part of the profile, with its own permission
and processing activity."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from perspectief.audit import services as audit
from perspectief.core import codes
from perspectief.core.authz import Actor, Permission
from perspectief.core.exceptions import NotFoundError, PermissionDeniedError
from perspectief.taxonomy.constants import WorkDemand

from ..models import Candidate, HealthInformation
from ..selectors.people import serves


@transaction.atomic
def health_update(
    *,
    actor: Actor,
    candidate: Candidate,
    functional_limitations: str,
    adjustments: str,
    limitations: list[str] | None = None,
):
    """Functional limitations in plain words (never diagnoses) and the work demands they
    rule out (``limitations``, codes of ``WorkDemand``; None leaves them as they are);
    audited without content."""
    if not actor.has_perm(Permission.VIEW_HEALTH):
        raise PermissionDeniedError()
    if not serves(actor, candidate):
        raise NotFoundError(_("Job seeker not found."))
    health, _created = HealthInformation.objects.get_or_create(candidate=candidate)
    values = {"functional_limitations": functional_limitations, "adjustments": adjustments}
    if limitations is not None:
        values["limitations"] = codes.join(limitations, WorkDemand.values)
    changed = [name for name, value in values.items() if getattr(health, name) != value]
    if changed:
        for name, value in values.items():
            setattr(health, name, value)
        health.full_clean(exclude=["candidate"])
        health.save()
        # The audit names the changed fields, not their content (health data stays here).
        audit.record(
            "candidate.health_updated",
            actor=actor,
            target=candidate,
            changes={name: ["…", "…"] for name in changed},
        )
    return health
