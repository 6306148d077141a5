"""Reads of the funding overview: the region's pots with what is committed to them, one
pot with its commitments, and "which pot can pay for this course for this person?"."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from perspectief.core.authz import Actor
from perspectief.core.dates import short_date
from perspectief.core.rules import evaluate, localised

from . import commitments
from .conditions import in_words
from .constants import Answer, PotKind
from .facts import VOCABULARY
from .models import ApplicationPeriod, FundingPot


@dataclass
class Money:
    """What a pot holds: available (``None``: not known, a national pot), committed (the
    sum of its links) and what remains."""

    available: Decimal | None
    committed: Decimal

    @property
    def remaining(self) -> Decimal | None:
        return None if self.available is None else self.available - self.committed

    @property
    def over(self) -> bool:
        """Commitments exceed what is available."""
        return self.available is not None and self.committed > self.available


def pots_for(actor: Actor) -> QuerySet[FundingPot]:
    return FundingPot.objects.visible_to(actor).select_related("region").prefetch_related("periods")


def money_of(pots: list[FundingPot], *, region_id: int) -> dict[int, Money]:
    """Available, committed (by the region's links) and remaining, per pot."""
    sums = commitments.committed((pot.pk for pot in pots), region_id=region_id)
    return {pot.pk: Money(pot.amount_available, sums[pot.pk]) for pot in pots}


def current_period(pot: FundingPot, on: date) -> tuple[ApplicationPeriod | None, bool | None]:
    """The period open on ``on`` (``True``), else the next one (``False``); ``(None, False)``
    when all periods are past, ``(None, None)`` when none is recorded (not known: a pot one
    can apply to all year has one period without an end)."""
    periods = sorted(pot.periods.all(), key=lambda period: period.opens_on)
    if not periods:
        return None, None
    for period in periods:
        if period.is_open(on):
            return period, True
    upcoming = [period for period in periods if period.opens_on > on]
    return (upcoming[0], False) if upcoming else (None, False)


@dataclass
class PotRow:
    pot: FundingPot
    money: Money
    period: ApplicationPeriod | None
    open_now: bool | None
    conditions: list[str] = field(default_factory=list)


def overview(actor: Actor, *, on: date) -> list[tuple[str, list[PotRow]]]:
    """The pots the actor sees, grouped by kind in the order of :class:`PotKind`."""
    pots = list(pots_for(actor))
    money = money_of(pots, region_id=actor.region_id)
    groups: dict[str, list[PotRow]] = {}
    for pot in pots:
        period, open_now = current_period(pot, on)
        groups.setdefault(pot.kind, []).append(
            PotRow(pot, money[pot.pk], period, open_now, [in_words(r) for r in pot.rules])
        )
    labels = dict(PotKind.choices)
    return [(str(labels[kind]), groups[kind]) for kind in PotKind.values if kind in groups]


def commitment_lines(actor: Actor, pot: FundingPot) -> list[tuple[str, list[commitments.Line]]]:
    """What is committed to the pot, per kind of source (each keeps its own visibility)."""
    return [(str(source.label), source.lines(actor, pot)) for source in commitments.SOURCES]


# --- Which pot can pay for this course for this person? -----------------------------------


@dataclass
class ConditionResult:
    text: str
    met: bool | None
    missing: list[str] = field(default_factory=list)


@dataclass
class PotAnswer:
    pot: FundingPot
    answer: str
    conditions: list[ConditionResult]
    reasons: list[str]
    money: Money
    period: ApplicationPeriod | None
    open_now: bool | None


def _conditions(pot: FundingPot, facts: dict[str, Any]) -> tuple[bool | None, list]:
    results = []
    for rule in pot.rules:
        outcome = evaluate(rule, facts)
        missing = [localised(VOCABULARY[name].label) for name in outcome.missing]
        results.append(ConditionResult(in_words(rule), outcome.met, missing))
    if any(result.met is False for result in results):
        return False, results
    if any(result.met is None for result in results):
        return None, results
    return True, results


def can_pay(
    pot: FundingPot, facts: dict[str, Any], *, on: date, money: Money, price: Decimal | None
) -> PotAnswer:
    """Yes, no or can't tell yet, with the reasons: the conditions one by one, whether one
    can apply now, and whether enough is left for the price."""
    met, results = _conditions(pot, facts)
    reasons: list[str] = []
    no = met is False
    if met is False:
        reasons.append(_("A condition is not met."))
    elif not pot.rules and pot.conditions_text.strip():
        met = None
        reasons.append(_("The conditions are in words only: read them to decide."))
    elif met is None:
        reasons.append(_("A fact is missing: find it out to get an answer."))
    period, open_now = current_period(pot, on)
    if open_now is None:
        met = None if met is not False else met
        reasons.append(_("No application period is recorded: ask the fund when one can apply."))
    elif not open_now:
        no = True
        if period is not None:
            reasons.append(
                _("No application period is open now; the next opens on %(date)s.")
                % {"date": short_date(period.opens_on)}
            )
        else:
            reasons.append(_("No application period is open now, and none is known to come."))
    remaining = money.remaining
    if remaining is not None and (remaining <= 0 or (price is not None and remaining < price)):
        no = True
        reasons.append(
            _("Not enough is left: € %(left)s remains.")
            % {"left": _euro(max(remaining, Decimal(0)))}
        )
    answer = Answer.NO if no else (Answer.UNKNOWN if met is None else Answer.YES)
    return PotAnswer(pot, answer, results, reasons, money, period, open_now)


def _euro(amount: Decimal) -> str:
    return f"{amount:,.0f}".replace(",", ".")


def question(
    actor: Actor, *, facts: dict[str, Any], on: date, price: Decimal | None
) -> list[PotAnswer]:
    """Every pot the actor sees, answered for the facts (yes first, then can't tell, no)."""
    pots = list(pots_for(actor))
    money = money_of(pots, region_id=actor.region_id)
    answers = [can_pay(pot, facts, on=on, money=money[pot.pk], price=price) for pot in pots]
    order = {Answer.YES: 0, Answer.UNKNOWN: 1, Answer.NO: 2}
    return sorted(answers, key=lambda a: (order[Answer(a.answer)], a.pot.kind, a.pot.name))
