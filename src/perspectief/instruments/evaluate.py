"""Evaluate one instrument version's rules for one described case (no database).

The answer says, condition by condition, what is met, what is not and which fact is
missing; it computes the amount per year, per month and over the duration; and for an
instrument with categories (LKV) it picks the highest category that applies, because
categories do not stack.
"""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from perspectief.core.dates import add_months
from perspectief.core.rules import RuleError, compute, describe, evaluate, localised

from .constants import AmountPer, Anchor
from .facts import VOCABULARY


@dataclass
class ConditionResult:
    text: str
    met: bool | None
    missing: list[str] = field(default_factory=list)

    @property
    def missing_labels(self) -> list[str]:
        return [
            localised(VOCABULARY[name].label) if name in VOCABULARY else name
            for name in self.missing
        ]


@dataclass
class DeadlineResult:
    key: str
    text: str
    anchor: str
    months: float
    due_on: datetime.date | None = None
    raw_text: Any = None


@dataclass
class CategoryResult:
    code: str
    name: str
    eligible: bool | None
    conditions: list[ConditionResult]
    amount_per_year: float | None = None
    amount_once: float | None = None
    duration_months: float | None = None
    amount_total: float | None = None
    missing_for_amount: list[str] = field(default_factory=list)
    #: The parameters the amount was computed with (``maxPerYear`` for "at most …").
    params: dict[str, Any] = field(default_factory=dict)


@dataclass
class Answer:
    """What one instrument gives in one case."""

    eligible: bool | None
    category: CategoryResult | None
    conditions: list[ConditionResult]
    categories: list[CategoryResult]
    amount_per: str
    amount_per_year: float | None
    amount_total: float | None
    duration_months: float | None
    missing_for_amount: list[str]
    documents: list[str]
    deadlines: list[DeadlineResult]
    notes: list[str]
    amount_note: str

    @property
    def amount_per_month(self) -> float | None:
        return None if self.amount_per_year is None else round(self.amount_per_year / 12, 2)

    @property
    def missing(self) -> list[str]:
        """Every fact that, once known, could change the answer."""
        names = [name for result in self.conditions for name in result.missing]
        return list(dict.fromkeys(names + self.missing_for_amount))


def _kleene_and(values: list[bool | None]) -> bool | None:
    if any(value is False for value in values):
        return False
    if any(value is None for value in values):
        return None
    return True


def _conditions(
    conditions: list[Mapping[str, Any]], facts: Mapping[str, Any]
) -> list[ConditionResult]:
    results = []
    for condition in conditions:
        outcome = evaluate(condition, facts)
        results.append(
            ConditionResult(describe(condition, VOCABULARY), outcome.met, outcome.missing)
        )
    return results


def _number(
    value: Any, facts: Mapping[str, Any], params: Mapping[str, Any]
) -> tuple[float | None, list[str]]:
    if value is None or value == "":
        return None, []
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value), []
    return compute(str(value), facts, params)


def _amounts(
    spec: Mapping[str, Any], rules: Mapping[str, Any], facts, params, result: CategoryResult
):
    amount = spec.get("amount") or rules.get("amount") or {"per": AmountPer.NONE}
    per = amount.get("per", AmountPer.NONE)
    value, missing = _number(amount.get("formula"), facts, params)
    duration, missing_duration = _number(
        spec.get("durationMonths", rules.get("durationMonths")), facts, params
    )
    result.duration_months = duration
    result.missing_for_amount = list(dict.fromkeys(missing + missing_duration))
    if value is None or per == AmountPer.NONE:
        return per
    value = round(max(value, 0.0), 2)
    if per == AmountPer.ONCE:
        result.amount_once = result.amount_total = value
        return per
    result.amount_per_year = value if per == AmountPer.YEAR else round(value * 12, 2)
    if duration is not None:
        result.amount_total = round(result.amount_per_year * duration / 12, 2)
    return per


def _value(category: CategoryResult) -> float:
    return category.amount_total or category.amount_once or category.amount_per_year or 0.0


def answer(
    rules: Mapping[str, Any],
    facts: Mapping[str, Any],
    *,
    params: Mapping[str, Any] | None = None,
    extra_conditions: Sequence[Mapping[str, Any]] = (),
    dates: Mapping[str, datetime.date] | None = None,
) -> Answer:
    """The answer of one version's ``rules`` for ``facts``.

    ``params`` overrides the version's parameters (a gemeente's variation), and
    ``extra_conditions`` are the variation's own; ``dates`` (``start``, ``trial_end``, …)
    turn the deadlines into dates. Raises :class:`~perspectief.core.rules.RuleError` if a
    formula cannot be evaluated (a published rule was checked when it was saved).
    """
    base_params = {**rules.get("params", {}), **(params or {})}
    general = _conditions(list(rules.get("conditions", [])) + list(extra_conditions), facts)
    specs = rules.get("categories") or [{"code": "", "name": "", "conditions": []}]
    categories = []
    per = AmountPer.NONE
    for spec in specs:
        own = _conditions(spec.get("conditions", []), facts)
        result = CategoryResult(
            code=spec.get("code", ""),
            name=localised(spec.get("name")),
            eligible=_kleene_and([c.met for c in general + own]),
            conditions=own,
        )
        if result.eligible is not False:
            result.params = {**base_params, **spec.get("params", {})}
            per = _amounts(spec, rules, facts, result.params, result)
        categories.append(result)
    chosen = _choose(categories)
    eligible = _kleene_and([c.met for c in general]) if chosen is None else chosen.eligible
    if chosen is None and eligible is not False:
        eligible = None if any(c.eligible is None for c in categories) else False
    shown = general + (chosen.conditions if chosen else _labelled(categories))
    return Answer(
        eligible=eligible,
        category=chosen if chosen and chosen.code else None,
        conditions=shown,
        categories=[c for c in categories if c.code],
        amount_per=per,
        amount_per_year=chosen.amount_per_year if chosen and chosen.eligible is not False else None,
        amount_total=chosen.amount_total if chosen and chosen.eligible is not False else None,
        duration_months=chosen.duration_months if chosen and chosen.eligible is not False else None,
        missing_for_amount=chosen.missing_for_amount if chosen else [],
        documents=[localised(text) for text in rules.get("documents", [])],
        deadlines=_deadlines(rules.get("deadlines", []), dates or {}),
        notes=[localised(text) for text in rules.get("notes", [])],
        amount_note=localised(rules.get("amountNote")),
    )


def _choose(categories: list[CategoryResult]) -> CategoryResult | None:
    """The category that counts: the highest eligible one; else, if one may still apply,
    the highest of those (the answer is then "can't tell yet")."""
    for wanted in (True, None):
        candidates = [c for c in categories if c.eligible is wanted]
        if candidates:
            return max(candidates, key=_value)
    return categories[0] if len(categories) == 1 else None


def _labelled(categories: list[CategoryResult]) -> list[ConditionResult]:
    return [
        ConditionResult(f"{category.name}: {result.text}", result.met, result.missing)
        for category in categories
        for result in category.conditions
    ]


def _deadlines(
    specs: list[Mapping[str, Any]], dates: Mapping[str, datetime.date]
) -> list[DeadlineResult]:
    results = []
    for spec in specs:
        anchor = spec.get("anchor", Anchor.START)
        months = float(spec.get("months", 0))
        base = dates.get("start" if anchor == Anchor.BEFORE_START else anchor)
        due = None
        if base is not None:
            whole = int(months)
            due = add_months(base, whole) + datetime.timedelta(days=round((months - whole) * 30))
        results.append(
            DeadlineResult(
                spec["key"], localised(spec.get("text")), anchor, months, due, spec.get("text")
            )
        )
    return results


__all__ = ["Answer", "CategoryResult", "ConditionResult", "DeadlineResult", "RuleError", "answer"]
