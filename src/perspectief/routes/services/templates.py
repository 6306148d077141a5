"""The region's route templates: common routes a klantmanager starts a person's route
from ("werkfit → logistics course → proefplaatsing → werk met jobcoach")."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from perspectief.audit import services as audit
from perspectief.catalogue.constants import OfferStatus
from perspectief.catalogue.models import Offer
from perspectief.core.authz import Actor, Permission
from perspectief.core.exceptions import NotFoundError, PermissionDeniedError

from ..constants import StepKind
from ..models import RouteTemplate, RouteTemplateStep


@dataclass
class TemplateStepInput:
    kind: str
    title: str
    weeks: int
    offer: Offer | None = None


@transaction.atomic
def template_save(
    *,
    actor: Actor,
    name: str,
    description: str,
    steps: list[TemplateStepInput],
    template: RouteTemplate | None = None,
) -> RouteTemplate:
    """Create or change one of the region's route templates (steps replace the old ones)."""
    if not actor.has_perm(Permission.MANAGE_ROUTE_TEMPLATES) or not actor.region_id:
        raise PermissionDeniedError()
    if template is not None:
        template = (
            RouteTemplate.objects.select_for_update()
            .filter(pk=template.pk, region_id=actor.region_id)
            .first()
        )
        if template is None:
            raise NotFoundError(_("Route template not found."))
    errors: dict[str, Any] = {}  # a field's message, or the steps' messages
    if not (name or "").strip():
        errors["name"] = _("Give the template a name.")
    if not steps:
        errors["steps"] = _("A route has at least one step.")
    for number, item in enumerate(steps, start=1):
        problem = None
        if item.kind not in StepKind.values:
            problem = _("unknown kind of step")
        elif not (item.title or "").strip():
            problem = _("no title")
        elif not item.weeks or item.weeks < 1:
            problem = _("a duration of at least one week")
        elif item.offer is not None and (
            item.offer.region_id != actor.region_id or item.offer.status != OfferStatus.ACTIVE
        ):
            problem = _("the service or training is not offered in the region")
        if problem:
            errors.setdefault("steps", [])
            errors["steps"].append(
                _("Step %(n)s: %(problem)s.") % {"n": number, "problem": problem}
            )
    if errors:
        raise ValidationError(errors)
    created = template is None
    if template is None:
        template = RouteTemplate(region_id=actor.region_id, made_by=actor.organisation)
    before = (
        {"name": template.name, "steps": [s.title for s in template.steps.all()]}
        if not created
        else {}
    )
    template.name, template.description = name.strip()[:150], (description or "").strip()
    template.save()
    template.steps.all().delete()
    RouteTemplateStep.objects.bulk_create(
        RouteTemplateStep(
            template=template,
            position=position,
            kind=item.kind,
            title=item.title.strip()[:200],
            weeks=item.weeks,
            offer=item.offer,
        )
        for position, item in enumerate(steps, start=1)
    )
    audit.record(
        "route_template.created" if created else "route_template.changed",
        actor=actor,
        target=template,
        changes=audit.diff(before, {"name": template.name, "steps": [i.title for i in steps]}),
    )
    return template


@transaction.atomic
def template_retire(*, actor: Actor, template: RouteTemplate) -> RouteTemplate:
    """Take a template out of use (routes made from it keep their steps)."""
    if not actor.has_perm(Permission.MANAGE_ROUTE_TEMPLATES):
        raise PermissionDeniedError()
    found = (
        RouteTemplate.objects.select_for_update()
        .filter(pk=template.pk, region_id=actor.region_id)
        .first()
    )
    if found is None:
        raise NotFoundError(_("Route template not found."))
    if found.is_active:
        found.is_active = False
        found.save(update_fields=["is_active", "updated_at"])
        audit.record(
            "route_template.retired", actor=actor, target=found, changes={"active": [True, False]}
        )
    return found
