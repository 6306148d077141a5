"""Spend on the activities of an action plan: recorded per activity, with a date within the
plan's period and not in the future, in one transaction with the audit."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from perspectief.audit import services as audit
from perspectief.core.authz import Actor
from perspectief.monitoring.models import PlanActivity, Spend
from perspectief.monitoring.selectors.plans import money
from perspectief.monitoring.services.plans import own_plan


@transaction.atomic
def spend_record(
    *, actor: Actor, activity: PlanActivity, spent_on: date, amount, description: str
) -> Spend:
    """Record money spent on an activity, within the plan's period and not in the future."""
    plan = own_plan(actor, activity.plan)
    errors = {}
    amount = Decimal(amount if amount is not None else 0)
    if amount <= 0:
        errors["amount"] = _("The amount is more than € 0.")
    if spent_on is None:
        errors["spent_on"] = _("Give the date.")
    elif spent_on > timezone.localdate():
        errors["spent_on"] = _("This date lies in the future.")
    elif not plan.period_start <= spent_on <= plan.period_end:
        errors["spent_on"] = _("The date lies outside the plan's period.")
    if not (description or "").strip():
        errors["description"] = _("Say what it was spent on.")
    if errors:
        raise ValidationError(errors)
    spend = Spend.objects.create(
        activity=activity,
        spent_on=spent_on,
        amount=amount,
        description=description.strip()[:200],
        recorded_by=actor.user,
    )
    audit.record(
        "plan.spend",
        actor=actor,
        target=plan,
        changes={"activity": [None, activity.name], "amount": [None, money(amount)]},
    )
    return spend
