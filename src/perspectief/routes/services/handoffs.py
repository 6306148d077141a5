"""Hand-offs: a step owned by another organisation than the one that plans the route waits
until that organisation accepts it, or declines it with a reason."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from perspectief.audit import services as audit
from perspectief.audit.constants import ProcessingActivity
from perspectief.core.authz import Actor, Permission
from perspectief.core.exceptions import NotFoundError, PermissionDeniedError

from ..constants import HandOff
from ..models import RouteStep
from . import notices
from .steps import log_change


def _owned(actor: Actor, step: RouteStep) -> RouteStep:
    """A step the actor's organisation owns, locked."""
    if not actor.has_perm(Permission.VIEW_ROUTES):
        raise PermissionDeniedError()
    found = (
        RouteStep.objects.select_for_update()
        .select_related("route__candidate")
        .filter(pk=step.pk, owner_id=actor.organisation.pk)
        .first()
    )
    if found is None:
        raise NotFoundError(_("Step not found."))
    return found


@transaction.atomic
def handoff_answer(*, actor: Actor, step: RouteStep, accept: bool, reason: str = "") -> RouteStep:
    """The organisation a step was handed to accepts it, or declines it with the reason
    (the planning organisation then finds another owner)."""
    step = _owned(actor, step)
    if step.handoff != HandOff.PENDING:
        raise ValidationError(_("This step is not waiting for your answer."))
    reason = (reason or "").strip()
    if not accept and not reason:
        raise ValidationError(
            {"reason": _("Say why you decline, so that the klantmanager finds another way.")}
        )
    step.handoff = HandOff.ACCEPTED if accept else HandOff.DECLINED
    step.handoff_decided_at, step.handoff_decided_by = timezone.now(), actor.user
    step.decline_reason = "" if accept else reason[:300]
    step.save()
    audit.record(
        "route.handoff_accepted" if accept else "route.handoff_declined",
        actor=actor,
        target=step.route,
        changes={"handoff": [HandOff.PENDING, step.handoff], "step": [None, step.title]},
    )
    log_change(actor, step.route.candidate, ProcessingActivity.ROUTE_STEP)
    notices.handoff_answered(step)
    return step
