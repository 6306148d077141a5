"""Functional limitations: a more restricted part of the profile, with its own permission
and processing activity."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from perspectief.audit import services as audit
from perspectief.core.authz import Actor, Permission
from perspectief.core.exceptions import NotFoundError, PermissionDeniedError

from ..models import Candidate, HealthInformation
from ..selectors.people import serves


@transaction.atomic
def health_update(
    *, actor: Actor, candidate: Candidate, functional_limitations: str, adjustments: str
):
    """Functional limitations in plain words (never diagnoses); audited without content."""
    if not actor.has_perm(Permission.VIEW_HEALTH):
        raise PermissionDeniedError()
    if not serves(actor, candidate):
        raise NotFoundError(_("Job seeker not found."))
    health, _created = HealthInformation.objects.get_or_create(candidate=candidate)
    changed = [
        name
        for name, value in (
            ("functional_limitations", functional_limitations),
            ("adjustments", adjustments),
        )
        if getattr(health, name) != value
    ]
    if changed:
        health.functional_limitations = functional_limitations
        health.adjustments = adjustments
        health.save()
        # The audit names the changed fields, not their content (health data stays here).
        audit.record(
            "candidate.health_updated",
            actor=actor,
            target=candidate,
            changes={name: ["…", "…"] for name in changed},
        )
    return health
