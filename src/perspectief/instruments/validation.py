"""Checks on an instrument's rules before they are saved or published.

A rule that cannot be evaluated is refused at the door with the reason, so a published
version never fails when an adviser or an employer asks what it gives.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from typing import Any

from perspectief.core.rules import RuleError, validate_condition, validate_formula

from .constants import AmountPer, Anchor
from .facts import SAMPLES, VOCABULARY

RULE_KEYS = {
    "params",
    "conditions",
    "categories",
    "amount",
    "durationMonths",
    "documents",
    "deadlines",
    "notes",
    "amountNote",
}


def _text(value: Any, path: str) -> None:
    ok = isinstance(value, str) and value.strip()
    ok = ok or (
        isinstance(value, Mapping) and isinstance(value.get("nl"), str) and value["nl"].strip()
    )
    if not ok:
        raise RuleError("tekst ontbreekt (in het Nederlands)", "text missing (in Dutch)", path=path)


def _params(params: Any, path: str) -> None:
    if not isinstance(params, Mapping):
        raise RuleError("parameters zijn geen object", "parameters are not an object", path=path)
    for key, value in params.items():
        if not str(key).isidentifier():
            raise RuleError(f"ongeldige naam {key!r}", f"invalid name {key!r}", path=path)
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise RuleError(f"{key} is geen getal", f"{key} is not a number", path=f"{path}.{key}")


def _amount(spec: Mapping[str, Any], params: Mapping[str, Any], path: str) -> None:
    amount = spec.get("amount")
    if amount is not None:
        if not isinstance(amount, Mapping) or amount.get("per") not in AmountPer.values:
            raise RuleError(
                "kies per jaar, per maand, eenmalig of geen bedrag",
                "choose per year, per month, once or no amount",
                path=f"{path}.amount",
            )
        if amount["per"] != AmountPer.NONE:
            _formula(amount.get("formula"), params, f"{path}.amount.formula")
    duration = spec.get("durationMonths")
    if duration is not None and not (
        isinstance(duration, int | float) and not isinstance(duration, bool)
    ):
        _formula(duration, params, f"{path}.durationMonths")


def _formula(formula: Any, params: Mapping[str, Any], path: str) -> None:
    try:
        validate_formula(str(formula or ""), VOCABULARY, params, SAMPLES)
    except RuleError as exc:
        raise RuleError(exc.message, exc.message_en, path=path) from None


def validate_rules(rules: Any, *, extra_params: Mapping[str, Any] | None = None) -> None:
    """Raise :class:`RuleError` (with the path of the fault) unless ``rules`` can be used."""
    if not isinstance(rules, Mapping):
        raise RuleError("de regels zijn geen object", "the rules are not an object")
    unknown = set(rules) - RULE_KEYS
    if unknown:
        raise RuleError(
            f"onbekend onderdeel {sorted(unknown)[0]!r}", f"unknown part {sorted(unknown)[0]!r}"
        )
    params = rules.get("params", {})
    _params(params, "params")
    for number, condition in enumerate(rules.get("conditions", [])):
        validate_condition(condition, VOCABULARY, path=f"conditions[{number}]")
    categories = rules.get("categories") or []
    codes = [category.get("code") for category in categories if isinstance(category, Mapping)]
    if len(set(codes)) != len(categories) or not all(codes):
        raise RuleError(
            "elke categorie heeft een eigen code",
            "each category needs its own code",
            path="categories",
        )
    for number, category in enumerate(categories):
        path = f"categories[{number}]"
        _text(category.get("name"), f"{path}.name")
        _params(category.get("params", {}), f"{path}.params")
        for index, condition in enumerate(category.get("conditions", [])):
            validate_condition(condition, VOCABULARY, path=f"{path}.conditions[{index}]")
        merged = {**params, **category.get("params", {}), **(extra_params or {})}
        _amount(
            {
                "amount": rules.get("amount"),
                "durationMonths": rules.get("durationMonths"),
                **category,
            },
            merged,
            path,
        )
    if not categories:
        _amount(rules, {**params, **(extra_params or {})}, "")
    for number, text in enumerate(rules.get("documents", [])):
        _text(text, f"documents[{number}]")
    for number, deadline in enumerate(rules.get("deadlines", [])):
        _deadline(deadline, f"deadlines[{number}]")


def _deadline(deadline: Any, path: str) -> None:
    if not isinstance(deadline, Mapping) or not str(deadline.get("key", "")).isidentifier():
        raise RuleError("een termijn heeft een sleutel", "a deadline needs a key", path=path)
    if deadline.get("anchor") not in Anchor.values:
        raise RuleError("onbekend ankerpunt", "unknown anchor", path=f"{path}.anchor")
    months = deadline.get("months", 0)
    if isinstance(months, bool) or not isinstance(months, int | float) or not 0 <= months <= 120:
        raise RuleError(
            "maanden tussen 0 en 120", "months between 0 and 120", path=f"{path}.months"
        )
    _text(deadline.get("text"), f"{path}.text")


Period = tuple[datetime.date, datetime.date | None]


def overlapping(period: Period, others: Iterable[Period]) -> Period | None:
    """The first of ``others`` whose period overlaps ``period`` (``None``: open end)."""
    start, end = period
    for other_start, other_end in others:
        if (end is None or other_start <= end) and (other_end is None or start <= other_end):
            return other_start, other_end
    return None
