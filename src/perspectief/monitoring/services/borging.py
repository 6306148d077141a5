"""What should last after the programme (borging, the final evaluation's seventh lesson:
think from the start about what stays when the money stops): per plan, what continues, who
owns it, who pays for it and from when, and whether that was arranged. Recorded and changed
by the region's programme manager, audited, and kept in the plan's history.

When a plan has ended, every item still *planned* is checked once: the daily
:func:`check_borging` marks it and tells the region's programme managers, and the item
waits in their inbox (``monitoring.inbox``) until it is marked arranged or not arranged."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from perspectief.accounts.models import Membership
from perspectief.audit import services as audit
from perspectief.core.authz import Actor, Role
from perspectief.core.exceptions import NotFoundError
from perspectief.funding.models import FundingPot
from perspectief.monitoring.constants import BorgingStatus, PlanStatus
from perspectief.monitoring.models import ActionPlan, BorgingItem
from perspectief.monitoring.selectors.plans import snapshot
from perspectief.monitoring.services.plans import own_plan
from perspectief.monitoring.services.revisions import revise
from perspectief.notifications.constants import Kind
from perspectief.notifications.services import notify
from perspectief.organisations.models import Organisation

log = logging.getLogger(__name__)


@dataclass
class BorgingInput:
    what: str
    owner: Organisation | None
    planned_from: date | None
    payer: str = ""
    funding_pot: FundingPot | None = None


def region_organisations(region_id: int):
    """The organisations that may own something of the region's plan (not employers)."""
    orgs = Organisation.objects.filter(is_active=True)
    return (
        (orgs.filter(region_id=region_id) | orgs.filter(municipality__region_id=region_id))
        .exclude(kind="employer")
        .distinct()
        .order_by("name")
    )


def _check(plan: ActionPlan, data: BorgingInput) -> None:
    errors: dict[str, list] = {}
    if not (data.what or "").strip():
        errors["what"] = [_("Say what continues after the programme.")]
    if (
        data.owner is None
        or not region_organisations(plan.region_id).filter(pk=data.owner.pk).exists()
    ):
        errors["owner"] = [_("Choose the organisation of the region that owns it.")]
    if not (data.payer or "").strip() and data.funding_pot is None:
        errors["payer"] = [_("Say who pays for it: an organisation, or a funding pot.")]
    if (
        data.funding_pot is not None
        and not FundingPot.objects.for_region(plan.region_id)
        .filter(pk=data.funding_pot.pk)
        .exists()
    ):
        errors["funding_pot"] = [_("Choose a funding pot of the region.")]
    if data.planned_from is None:
        errors["planned_from"] = [_("Give the date from which it should continue.")]
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def borging_save(
    *, actor: Actor, plan: ActionPlan, data: BorgingInput, item: BorgingItem | None = None
) -> BorgingItem:
    """Add an item of what lasts after the plan, or change one (its what, owner, payer and
    date; its status: :func:`borging_set_status`)."""
    plan = own_plan(actor, plan)
    if item is not None and item.plan_id != plan.pk:
        raise NotFoundError(_("Item not found."))
    _check(plan, data)
    before = snapshot(plan)
    created = item is None
    if item is None:
        item = BorgingItem(plan=plan)
    # _check() refuses an item without its owner or date
    assert data.owner is not None and data.planned_from is not None
    item.what, item.owner = data.what.strip()[:300], data.owner
    item.payer, item.funding_pot = (data.payer or "").strip()[:200], data.funding_pot
    item.planned_from = data.planned_from
    item.save()
    revise(actor, plan, before, _("What lasts after the plan: added.") if created else "")
    audit.record(
        "plan.borging_added" if created else "plan.borging_changed",
        actor=actor,
        target=plan,
        changes={
            "what": [None, item.what],
            "owner": [None, item.owner.name],
            "payer": [None, item.payer or (item.funding_pot.name if item.funding_pot else "")],
            "planned_from": [None, str(item.planned_from)],
        },
    )
    return item


@transaction.atomic
def borging_set_status(
    *, actor: Actor, item: BorgingItem, status: str, note: str = ""
) -> BorgingItem:
    """Mark an item arranged, not arranged (or planned again), with a note; dated, so the
    plan's page shows whether it was confirmed after the plan's end."""
    plan = own_plan(actor, item.plan)
    item = BorgingItem.objects.select_for_update().get(pk=item.pk, plan=plan)
    if status not in BorgingStatus.values:
        raise ValidationError({"status": _("Unknown status.")})
    note = (note or "").strip()
    if len(note) > 500:
        raise ValidationError({"note": _("Keep the note under 500 characters.")})
    before = snapshot(plan)
    old = [item.status, item.note]
    item.status, item.note = status, note
    if status == BorgingStatus.PLANNED:
        item.decided_on, item.decided_by = None, None
    else:
        item.decided_on, item.decided_by = timezone.localdate(), getattr(actor, "user", None)
    item.save(update_fields=["status", "note", "decided_on", "decided_by", "updated_at"])
    revise(actor, plan, before, "")
    audit.record(
        "plan.borging_status",
        actor=actor,
        target=plan,
        changes={
            "what": [item.what, item.what],
            "status": [old[0], status],
            "note": [old[1], note],
        },
    )
    return item


def plan_url(plan: ActionPlan) -> str:
    return reverse("monitoring:plan") + "#borging"


def waiting_check(region_id: int):
    """The region's items the check found still planned after their plan ended."""
    return (
        BorgingItem.objects.filter(
            plan__region_id=region_id, status=BorgingStatus.PLANNED, check_asked_on__isnull=False
        )
        .select_related("plan", "owner")
        .order_by("plan__period_end", "planned_from", "id")
    )


@transaction.atomic
def check_borging(*, today: date | None = None) -> int:
    """Daily: every item still *planned* of a plan (in force or closed) whose end date has
    passed is marked as asked, once, and the region's programme managers are told (one
    message per plan). Running it again asks nothing new."""
    today = today or timezone.localdate()
    due = (
        BorgingItem.objects.select_for_update()
        .filter(
            status=BorgingStatus.PLANNED,
            check_asked_on__isnull=True,
            plan__period_end__lt=today,
        )
        .exclude(plan__status=PlanStatus.DRAFT)
        .select_related("plan")
    )
    asked = 0
    plans: dict[int, ActionPlan] = {}
    for item in due:
        item.check_asked_on = today
        item.save(update_fields=["check_asked_on", "updated_at"])
        audit.record(
            "plan.borging_check_asked",
            actor=None,
            target=item.plan,
            changes={"what": [item.what, item.what], "check_asked_on": [None, str(today)]},
        )
        plans[item.plan_id] = item.plan
        asked += 1
    for plan in plans.values():
        managers = Membership.objects.active().filter(
            role=Role.PROGRAMME_MANAGER,
            organisation__region_id=plan.region_id,
            user__is_active=True,
        )
        notify(
            kind=Kind.BORGING_CHECK,
            memberships=managers.select_related("user", "organisation"),
            url=plan_url(plan),
        )
    log.info("borging checks asked=%d plans=%d", asked, len(plans))
    return asked
