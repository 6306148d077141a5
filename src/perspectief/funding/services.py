"""Writes of the funding overview: a region keeps its own pots (national ones are shipped
and not changed here), and the checks a route step or plan activity makes when it says
which pot pays it. Every write is one transaction with its audit event."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from itertools import pairwise
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.utils.translation import gettext as _

from perspectief.audit import services as audit
from perspectief.core.authz import Actor, Permission
from perspectief.core.dates import short_date
from perspectief.core.exceptions import NotFoundError, PermissionDeniedError

from .conditions import validate_rules
from .constants import MAX_AMOUNT, PotKind
from .models import ApplicationPeriod, FundingPot


@dataclass
class PotInput:
    name: str
    kind: str
    purpose: str = ""
    who_may_apply: str = ""
    conditions_text: str = ""
    rules: list[dict[str, Any]] = field(default_factory=list)
    amount_available: Decimal | None = None
    #: ``(from, until)``; ``until`` may be ``None`` (open-ended).
    periods: list[tuple[date | None, date | None]] = field(default_factory=list)
    sources: list[str] = field(default_factory=list)
    verified: bool = False
    verify_note: str = ""
    contact: str = ""


def _check_amount(errors: dict, amount: Decimal | None, name: str) -> None:
    if amount is None:
        return
    if amount < 0:
        errors[name] = [_("The amount cannot be negative.")]
    elif amount >= MAX_AMOUNT:
        errors[name] = [_("This amount is not plausible; check the number.")]
    elif amount != amount.quantize(Decimal("0.01")):
        errors[name] = [_("Give the amount in euros and cents.")]


def _check_periods(errors: dict, periods: list[tuple[date | None, date | None]]) -> None:
    problems = []
    for number, (start, end) in enumerate(periods, start=1):
        if start is None:
            problems.append(_("Period %(n)s: give the date it opens.") % {"n": number})
        elif end is not None and end < start:
            problems.append(
                _("Period %(n)s: it closes (%(end)s) before it opens (%(start)s).")
                % {"n": number, "end": short_date(end), "start": short_date(start)}
            )
    ordered = sorted((s, e) for s, e in periods if s is not None)
    for (_start, end), (start, _end) in pairwise(ordered):
        if end is None or start <= end:
            problems.append(_("Two periods overlap: let one end before the next opens."))
            break
    if problems:
        errors["periods"] = problems


def _check_sources(errors: dict, sources: list[str]) -> None:
    check = URLValidator(schemes=["https", "http"])
    for source in sources:
        try:
            check(source)
        except ValidationError:
            errors.setdefault("sources", []).append(
                _("%(value)s is not a web address (https://…).") % {"value": source[:100]}
            )


def _validate(data: PotInput) -> list[dict[str, Any]]:
    errors: dict[str, list] = {}
    if not (data.name or "").strip():
        errors["name"] = [_("Give the pot a name.")]
    if data.kind not in PotKind.values:
        errors["kind"] = [_("Unknown kind of pot.")]
    _check_amount(errors, data.amount_available, "amount_available")
    _check_periods(errors, data.periods)
    _check_sources(errors, data.sources)
    rules: list[dict[str, Any]] = []
    try:
        rules = validate_rules(data.rules)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    return rules


def _kept(actor: Actor, pot: FundingPot | None) -> FundingPot | None:
    """The region's own pot, locked; refused without the permission, not found when it is
    another region's or a national one."""
    if not actor.has_perm(Permission.MANAGE_FUNDING) or not actor.region_id:
        raise PermissionDeniedError()
    if pot is None:
        return None
    found = FundingPot.objects.kept_by(actor).select_for_update().filter(pk=pot.pk).first()
    if found is None:
        raise NotFoundError(_("Funding pot not found."))
    return found


FIELDS = (
    "name",
    "kind",
    "purpose",
    "who_may_apply",
    "conditions_text",
    "rules",
    "amount_available",
    "sources",
    "verified",
    "verify_note",
    "contact",
)


def _state(pot: FundingPot) -> dict[str, str]:
    state = {name: str(getattr(pot, name)) for name in FIELDS}
    state["periods"] = "; ".join(str(p) for p in pot.periods.all()) if pot.pk else ""
    return state


@transaction.atomic
def pot_save(*, actor: Actor, data: PotInput, pot: FundingPot | None = None) -> FundingPot:
    """Create or change one of the region's own pots, with its application periods."""
    pot = _kept(actor, pot)
    rules = _validate(data)
    created = pot is None
    if pot is None:
        pot = FundingPot(region_id=actor.region_id, created_by=actor.user)
    before = _state(pot) if not created else {}
    pot.name = data.name.strip()[:200]
    pot.kind = data.kind
    pot.purpose, pot.who_may_apply = data.purpose.strip(), data.who_may_apply.strip()
    pot.conditions_text, pot.rules = data.conditions_text.strip(), rules
    pot.amount_available = data.amount_available
    pot.sources = [source.strip() for source in data.sources if source.strip()]
    pot.verified, pot.verify_note = data.verified, data.verify_note.strip()
    pot.contact = data.contact.strip()[:300]
    pot.full_clean(exclude=["region", "created_by"])
    pot.save()
    pot.periods.all().delete()
    ApplicationPeriod.objects.bulk_create(
        ApplicationPeriod(pot=pot, opens_on=start, closes_on=end)
        for start, end in sorted(data.periods, key=lambda p: p[0] or date.min)
        if start is not None  # _check_periods() refused a period without its start
    )
    after = _state(pot)
    changes = {k: [before.get(k), v] for k, v in after.items() if before.get(k) != v}
    audit.record(
        "funding.pot_created" if created else "funding.pot_changed",
        actor=actor,
        target=pot,
        changes=changes,
    )
    return pot


# --- Paying a route step or plan activity from a pot -------------------------------------


def check_payer(
    pot: FundingPot | None, amount: Any, *, region_id: int, errors: dict | None = None
) -> Decimal | None:
    """Check that a pot of the region (or a national one) pays an amount; returns the
    amount. A pot needs an amount, an amount a pot, and the amount is not negative.

    The errors are added to ``errors`` (fields ``funding_pot``/``funding_amount``) when
    given, else raised as a ValidationError. A pot may be committed beyond what it holds:
    the overview says so, the plan is not refused."""
    found: dict[str, list] = {}
    value: Decimal | None = None
    if amount not in (None, ""):
        try:
            value = Decimal(str(amount))
        except InvalidOperation:
            value = None
        if value is None or not value.is_finite():
            value = None
            found["funding_amount"] = [_("Give the amount in euros.")]
    if value is not None:
        _check_amount(found, value, "funding_amount")
    if pot is None and value is not None and "funding_amount" not in found:
        found["funding_pot"] = [_("Say which pot pays this amount.")]
    if pot is not None:
        if not FundingPot.objects.for_region(region_id).filter(pk=pot.pk).exists():
            found["funding_pot"] = [_("Choose a pot of the region or a national one.")]
        if value is None and "funding_amount" not in found:
            found["funding_amount"] = [_("Give the amount the pot pays.")]
    if found:
        if errors is None:
            raise ValidationError(found)
        errors.update(found)
        return None
    return value


@dataclass
class Payer:
    """What a route step or plan activity says about its funding: the pot (``None``: no
    pot) and the amount it pays."""

    pot: FundingPot | None
    amount: Decimal | None = None
